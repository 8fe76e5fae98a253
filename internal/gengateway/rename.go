package main

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
)

const schemaRefPrefix = "#/components/schemas/"

// stripSchemaPrefixes renames every component schema whose name starts
// with the upstream's "gateway" or "Gateway" prefix followed by a capital
// letter ("gatewaySecret" becomes "Secret", "GatewayCancelDpoJobBody"
// becomes "CancelDpoJobBody"), as operation ids lose their "Gateway_"
// prefix, and rewrites every $ref to them. Two schemas that would share a
// name fail generation.
func stripSchemaPrefixes(spec *openapi3.T) error {
	renames := map[string]string{}
	for _, name := range sortedSchemaNames(spec) {
		if short, ok := withoutGatewayPrefix(name); ok {
			renames[name] = short
		}
	}
	return renameSchemas(spec, renames)
}

// withoutGatewayPrefix returns name without a leading "gateway" or
// "Gateway" when a capital letter follows it.
func withoutGatewayPrefix(name string) (string, bool) {
	for _, prefix := range []string{"gateway", "Gateway"} {
		rest, ok := strings.CutPrefix(name, prefix)
		if ok && rest != "" && unicode.IsUpper(rune(rest[0])) {
			return rest, true
		}
	}
	return name, false
}

// renameSchemas moves components.schemas[old] to components.schemas[new]
// for every entry of renames and rewrites the $refs that point to them.
func renameSchemas(spec *openapi3.T, renames map[string]string) error {
	if len(renames) == 0 {
		return nil
	}
	schemas := spec.Components.Schemas
	taken := map[string]string{} // new name -> old name
	for name := range schemas {
		if _, moving := renames[name]; !moving {
			taken[name] = name
		}
	}
	olds := make([]string, 0, len(renames))
	for old := range renames {
		olds = append(olds, old)
	}
	sort.Strings(olds)
	for _, old := range olds {
		if other, clash := taken[renames[old]]; clash {
			return fmt.Errorf("schemas %q and %q would both be named %q", other, old, renames[old])
		}
		taken[renames[old]] = old
	}
	moved := make(openapi3.Schemas, len(schemas))
	for name, ref := range schemas {
		if n, ok := renames[name]; ok {
			name = n
		}
		moved[name] = ref
	}
	spec.Components.Schemas = moved
	eachSchemaRef(spec, func(ref *openapi3.SchemaRef) {
		if old, ok := strings.CutPrefix(ref.Ref, schemaRefPrefix); ok {
			if n, ok := renames[old]; ok {
				ref.Ref = schemaRefPrefix + n
			}
		}
	})
	return nil
}

// hoistRequestBodies gives every inline JSON request body schema a name:
// it becomes the component schema "<operation id>Body", as upstream
// already names most of them (GatewayCancelDpoJobBody), so that every
// body has a Go type named after its operation (UpdateSecretBody) rather
// than oapi-codegen's UpdateSecretJSONBody. It runs after the operation
// ids lost their prefix; a name that is taken fails generation.
func hoistRequestBodies(spec *openapi3.T) error {
	for _, op := range operations(spec) {
		rb := op.Operation.RequestBody
		if rb == nil || rb.Value == nil || rb.Ref != "" {
			continue
		}
		mt := rb.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil || mt.Schema.Ref != "" || mt.Schema.Value == nil {
			continue
		}
		name := op.Operation.OperationID + "Body"
		if _, taken := spec.Components.Schemas[name]; taken {
			return fmt.Errorf("%s %s: the inline request body cannot be named %q: a schema has that name", op.Method, op.Path, name)
		}
		spec.Components.Schemas[name] = &openapi3.SchemaRef{Value: mt.Schema.Value}
		mt.Schema = &openapi3.SchemaRef{Ref: schemaRefPrefix + name, Value: mt.Schema.Value}
	}
	return nil
}

func sortedSchemaNames(spec *openapi3.T) []string {
	if spec.Components == nil {
		return nil
	}
	names := make([]string, 0, len(spec.Components.Schemas))
	for name := range spec.Components.Schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// eachSchemaRef calls fn once for every schema reference of the spec: in
// components, parameters, request bodies and responses, and inside every
// schema they reach.
func eachSchemaRef(spec *openapi3.T, fn func(*openapi3.SchemaRef)) {
	seenRef := map[*openapi3.SchemaRef]bool{}
	seenSchema := map[*openapi3.Schema]bool{}
	var walk func(*openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || seenRef[ref] {
			return
		}
		seenRef[ref] = true
		fn(ref)
		s := ref.Value
		if s == nil || seenSchema[s] {
			return
		}
		seenSchema[s] = true
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			walk(s.Properties[name])
		}
		walk(s.Items)
		walk(s.Not)
		walk(s.AdditionalProperties.Schema)
		for _, group := range [][]*openapi3.SchemaRef{s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems} {
			for _, sub := range group {
				walk(sub)
			}
		}
	}
	for _, name := range sortedSchemaNames(spec) {
		walk(spec.Components.Schemas[name])
	}
	walkParams := func(params openapi3.Parameters) {
		for _, p := range params {
			if p.Value != nil {
				walk(p.Value.Schema)
			}
		}
	}
	if spec.Components != nil {
		for _, p := range spec.Components.Parameters {
			if p.Value != nil {
				walk(p.Value.Schema)
			}
		}
	}
	for _, path := range spec.Paths.InMatchingOrder() {
		walkParams(spec.Paths.Value(path).Parameters)
	}
	for _, op := range operations(spec) {
		walkParams(op.Operation.Parameters)
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
}
