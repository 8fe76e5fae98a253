package main

import (
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// sensitiveFields returns the names of the properties, anywhere in the spec,
// that carry a secret value: marked x-sensitive (by the overlay), writeOnly,
// format password, or described as INPUT_ONLY (a Secret's value).
func sensitiveFields(spec *openapi3.T) []string {
	names := map[string]bool{}
	seen := map[*openapi3.Schema]bool{}
	var walk func(*openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		for name, prop := range s.Properties {
			if prop != nil && prop.Value != nil && isSensitive(prop.Value) {
				names[name] = true
			}
			walk(prop)
		}
		walk(s.Items)
		if s.AdditionalProperties.Schema != nil {
			walk(s.AdditionalProperties.Schema)
		}
		for _, group := range [][]*openapi3.SchemaRef{s.AllOf, s.AnyOf, s.OneOf} {
			for _, sub := range group {
				walk(sub)
			}
		}
	}
	for _, ref := range spec.Components.Schemas {
		walk(ref)
	}
	for _, op := range operations(spec) {
		if rb := op.Operation.RequestBody; rb != nil && rb.Value != nil {
			for _, mt := range rb.Value.Content {
				walk(mt.Schema)
			}
		}
		for _, resp := range op.Operation.Responses.Map() {
			if resp.Value != nil {
				for _, mt := range resp.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	sort.Strings(list)
	return list
}

func isSensitive(s *openapi3.Schema) bool {
	if v, ok := s.Extensions["x-sensitive"].(bool); ok && v {
		return true
	}
	return s.WriteOnly || s.Format == "password" || strings.Contains(s.Description, "INPUT_ONLY")
}
