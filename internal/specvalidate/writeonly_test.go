package specvalidate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestWriteOnlyFoundWhereverTheSchemaPutsIt: a writeOnly property is found
// under properties, array items, additionalProperties, allOf/anyOf/oneOf
// and a recursive schema, named by its JSON pointer (escaped), never by
// its value; a schema with none costs no walk; a property of the same name
// that is not writeOnly where it is passes.
func TestWriteOnlyFoundWhereverTheSchemaPutsIt(t *testing.T) {
	str := func() *openapi3.SchemaRef { return openapi3.NewSchemaRef("", openapi3.NewStringSchema()) }
	secretSchema := func() *openapi3.SchemaRef {
		s := openapi3.NewObjectSchema()
		s.Properties = openapi3.Schemas{"name": str(), "value": str()}
		s.Properties["value"].Value.WriteOnly = true
		return openapi3.NewSchemaRef("", s)
	}
	node := openapi3.NewObjectSchema() // a tree: children of its own kind
	node.Properties = openapi3.Schemas{"secret": secretSchema()}
	node.Properties["children"] = openapi3.NewSchemaRef("", openapi3.NewArraySchema().WithItems(node))
	withMap := openapi3.NewObjectSchema()
	withMap.Properties = openapi3.Schemas{"value": str()} // not writeOnly here
	withMap.AdditionalProperties = openapi3.AdditionalProperties{Schema: secretSchema()}
	composed := &openapi3.Schema{AllOf: openapi3.SchemaRefs{openapi3.NewSchemaRef("", openapi3.NewObjectSchema()), secretSchema()}}
	plain := openapi3.NewObjectSchema()
	plain.Properties = openapi3.Schemas{"value": str()}

	x := newWriteOnlyIndex()
	nodes := map[string]*writeOnlyNode{
		"tree":     x.forSchema(openapi3.NewSchemaRef("", node)),
		"map":      x.forSchema(openapi3.NewSchemaRef("", withMap)),
		"composed": x.forSchema(openapi3.NewSchemaRef("", composed)),
		"plain":    x.forSchema(openapi3.NewSchemaRef("", plain)),
		"list":     x.forSchema(openapi3.NewSchemaRef("", openapi3.NewArraySchema().WithItems(secretSchema().Value))),
	}
	x.finish()
	if nodes["plain"].isRelevant() {
		t.Error("a schema with no writeOnly property is walked")
	}
	const leaked = "sk-never-in-an-error"
	tests := []struct {
		schema, body, want string // want "": no problem
	}{
		{"tree", `{"secret":{"name":"n"},"children":[{"children":[{"secret":{"name":"m"}}]}]}`, ""},
		{"tree", `{"children":[{"children":[{"secret":{"name":"m","value":"` + leaked + `"}}]}]}`, "response body at /children/0/children/0/secret/value: writeOnly property: the spec says it is never returned"},
		{"map", `{"value":"declared, not writeOnly here","a/b":{"name":"n","value":"` + leaked + `"}}`, "response body at /a~1b/value: writeOnly property: the spec says it is never returned"},
		{"map", `{"value":"declared, not writeOnly here","k":{"name":"n"}}`, ""},
		{"composed", `{"name":"n","value":"` + leaked + `"}`, "response body at /value: writeOnly property: the spec says it is never returned"},
		{"list", `[{"name":"a"},{"value":"` + leaked + `"},{"value":null}]`, "response body at /1/value: writeOnly property: the spec says it is never returned (and 1 more problem)"},
		{"plain", `{"value":"` + leaked + `"}`, ""},
	}
	for _, tt := range tests {
		var v any
		if err := json.Unmarshal([]byte(tt.body), &v); err != nil {
			t.Fatal(err)
		}
		e := nodes[tt.schema].problem(v)
		switch {
		case tt.want == "" && e != nil:
			t.Errorf("%s %s: got %v, want no problem", tt.schema, tt.body, e)
		case tt.want != "" && (e == nil || e.Error() != tt.want):
			t.Errorf("%s: got %v, want %q", tt.schema, e, tt.want)
		case e != nil && strings.Contains(e.Error(), leaked):
			t.Errorf("%s: the error quotes the value", tt.schema)
		}
	}
}
