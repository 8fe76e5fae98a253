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
	eachSchemaRef(spec, func(ref *openapi3.SchemaRef) {
		if ref.Value == nil {
			return
		}
		for name, prop := range ref.Value.Properties {
			if prop != nil && prop.Value != nil && isSensitive(prop.Value) {
				names[name] = true
			}
		}
	})
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
