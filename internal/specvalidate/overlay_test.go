package specvalidate

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/gen/spec"
)

// TestEveryOperationDocumentsTheErrorBody protects the overlay's default
// response: every operation of the embedded spec declares the Gateway's
// error body (google.rpc.Status), so that an error answer is validated
// like a 200 is, for every operation, not only those a test names.
func TestEveryOperationDocumentsTheErrorBody(t *testing.T) {
	s := mustLoad(t)
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	for _, info := range gen.Operations {
		op := s.Document().Paths.Value(info.Path).GetOperation(info.Method)
		def := op.Responses.Default()
		if def == nil || def.Value == nil {
			t.Errorf("%s: no default response", info.ID)
			continue
		}
		media := def.Value.Content.Get("application/json")
		if media == nil || media.Schema == nil || media.Schema.Ref != "#/components/schemas/googlerpcStatus" {
			t.Errorf("%s: the default response is not application/json googlerpcStatus", info.ID)
			continue
		}
		r := &Route{Operation: info}
		if err := s.ValidateResponse(r, http.StatusNotFound, jsonHeader, []byte(`{"code":5,"message":"not found","details":[]}`)); err != nil {
			t.Errorf("%s: a google.rpc.Status 404 does not validate: %v", info.ID, err)
		}
		if err := s.ValidateResponse(r, http.StatusInternalServerError, jsonHeader, []byte(`{"code":"INTERNAL"}`)); err == nil {
			t.Errorf("%s: an error body with a code name validated", info.ID)
		}
		if err := s.ValidateResponse(r, http.StatusCreated, jsonHeader, []byte(`{"code":5}`)); err == nil {
			t.Errorf("%s: an undeclared 201 validated as an error body", info.ID)
		}
	}
}

// TestWriteOnlyMarksFollowInputOnly protects the overlay's rule: a
// property is writeOnly exactly when its description says INPUT_ONLY,
// anywhere in the spec (components and inline bodies alike), so that the
// JSONPath filter neither misses one nor marks a property without the
// word (its library's search() is true of a missing description).
func TestWriteOnlyMarksFollowInputOnly(t *testing.T) {
	doc := mustLoad(t).Document()
	marked := 0
	seen := map[*openapi3.Schema]bool{}
	var walk func(where string, ref *openapi3.SchemaRef)
	walk = func(where string, ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		for name, p := range s.Properties {
			if p == nil || p.Value == nil {
				continue
			}
			inputOnly := strings.Contains(p.Value.Description, "INPUT_ONLY")
			if p.Value.WriteOnly != inputOnly {
				t.Errorf("%s.%s: writeOnly %v, but INPUT_ONLY in its description: %v", where, name, p.Value.WriteOnly, inputOnly)
			}
			if p.Value.WriteOnly {
				marked++
			}
			walk(where+"."+name, p)
		}
		walk(where+"[]", s.Items)
		walk(where+"{}", s.AdditionalProperties.Schema)
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, sub := range group {
				walk(where, sub)
			}
		}
	}
	for name, ref := range doc.Components.Schemas {
		walk(name, ref)
	}
	for _, info := range gen.Operations {
		op := doc.Paths.Value(info.Path).GetOperation(info.Method)
		if rb := op.RequestBody; rb != nil && rb.Value != nil {
			for _, media := range rb.Value.Content {
				walk(info.ID+" request", media.Schema)
			}
		}
		for code, resp := range op.Responses.Map() {
			for _, media := range resp.Value.Content {
				walk(info.ID+" "+code, media.Schema)
			}
		}
	}
	if ref := doc.Components.Schemas["gatewaySecret"]; ref == nil || !ref.Value.Properties["value"].Value.WriteOnly {
		t.Error("a Secret's value is not writeOnly")
	}
	if marked == 0 {
		t.Error("no property is writeOnly")
	}
}

// TestContentSchemaRefsHaveNoSiblings protects an assumption of
// compileContent: a body schema that is a $ref is compiled at the
// component it names, once for all that name it, which is right only while
// the $ref stands alone (in OpenAPI 3.1 a keyword beside it would apply
// too, and would be lost).
func TestContentSchemaRefsHaveNoSiblings(t *testing.T) {
	raw, err := spec.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	type content map[string]struct {
		Schema map[string]json.RawMessage `json:"schema"`
	}
	refs := 0
	for path, item := range doc.Paths {
		for method, rawOp := range item {
			var op struct {
				RequestBody struct {
					Content content `json:"content"`
				} `json:"requestBody"`
				Responses map[string]struct {
					Content content `json:"content"`
				} `json:"responses"`
			}
			if json.Unmarshal(rawOp, &op) != nil {
				continue // the path item's parameters, not an operation
			}
			all := []content{op.RequestBody.Content}
			for _, r := range op.Responses {
				all = append(all, r.Content)
			}
			for _, c := range all {
				for mt, media := range c {
					if _, ok := media.Schema["$ref"]; !ok {
						continue
					}
					refs++
					if len(media.Schema) != 1 {
						t.Errorf("%s %s %s: a $ref schema with other keywords beside it", method, path, mt)
					}
				}
			}
		}
	}
	if refs == 0 {
		t.Error("no body schema is a $ref: the check checked nothing")
	}
}
