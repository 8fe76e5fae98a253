package gatewaytest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// synthesize returns a minimal JSON value that conforms to schema: every
// required property filled, optional ones left out, the schema's example
// used where it has one. withExamples false ignores examples, for the rare
// example that does not validate against its own schema.
func synthesize(ref *openapi3.SchemaRef, withExamples bool) any {
	return synth(ref, withExamples, map[*openapi3.Schema]int{})
}

func synth(ref *openapi3.SchemaRef, withExamples bool, depth map[*openapi3.Schema]int) any {
	if ref == nil || ref.Value == nil {
		return map[string]any{}
	}
	s := ref.Value
	if depth[s] > 2 { // a recursive schema: stop before it loops
		return nil
	}
	depth[s]++
	defer func() { depth[s]-- }()

	if withExamples && s.Example != nil {
		return s.Example
	}
	if withExamples && len(s.Examples) > 0 {
		return s.Examples[0]
	}
	if s.Const != nil {
		return s.Const
	}
	if len(s.Enum) > 0 {
		return firstNonZeroEnum(s.Enum)
	}
	if len(s.AllOf) > 0 {
		merged := map[string]any{}
		for _, sub := range s.AllOf {
			if m, ok := synth(sub, withExamples, depth).(map[string]any); ok {
				for k, v := range m {
					merged[k] = v
				}
			}
		}
		for k, v := range objectOf(s, withExamples, depth) {
			merged[k] = v
		}
		return merged
	}
	if len(s.OneOf) > 0 {
		return synth(s.OneOf[0], withExamples, depth)
	}
	if len(s.AnyOf) > 0 {
		return synth(s.AnyOf[0], withExamples, depth)
	}
	is := func(t string) bool { return s.Type != nil && s.Type.Includes(t) }
	switch {
	case s.Type == nil || is("object"):
		return objectOf(s, withExamples, depth)
	case is("array"):
		items := []any{}
		for range s.MinItems {
			items = append(items, synth(s.Items, withExamples, depth))
		}
		return items
	case is("string"):
		return stringOf(s)
	case is("integer"):
		return max(int64(0), int64(floatOr(s.Min, 0)))
	case is("number"):
		return floatOr(s.Min, 0)
	case is("boolean"):
		return false
	case is("null"):
		return nil
	}
	return map[string]any{}
}

func objectOf(s *openapi3.Schema, withExamples bool, depth map[*openapi3.Schema]int) map[string]any {
	obj := map[string]any{}
	for _, name := range s.Required {
		obj[name] = synth(s.Properties[name], withExamples, depth)
	}
	return obj
}

// stringOf returns a string of the schema's format and bounds.
func stringOf(s *openapi3.Schema) string {
	var v string
	switch s.Format {
	case "date-time":
		v = "2026-01-01T00:00:00Z"
	case "date":
		v = "2026-01-01"
	case "int64", "uint64", "int32", "uint32":
		v = "0" // proto3 JSON writes 64-bit integers as strings
	case "byte":
		v = ""
	case "uuid":
		v = "00000000-0000-0000-0000-000000000000"
	case "email":
		v = "user@example.com"
	case "uri", "url":
		v = "https://example.com"
	default:
		v = "x" // not empty: required names and ids must name something
	}
	if n := int(s.MinLength); len(v) < n {
		v += strings.Repeat("x", n-len(v))
	}
	return v
}

func floatOr(p *float64, d float64) float64 {
	if p == nil {
		return d
	}
	return *p
}

// firstNonZeroEnum prefers a real value to the "…_UNSPECIFIED" zero value
// that protobuf enums start with, so that synthesized objects look like
// something a server would send.
func firstNonZeroEnum(values []any) any {
	for _, v := range values {
		if s, ok := v.(string); !ok || !strings.HasSuffix(s, "_UNSPECIFIED") {
			return v
		}
	}
	return values[0]
}

// synthesizedBody returns the JSON body for op's 200 response.
func synthesizedBody(op *openapi3.Operation, withExamples bool) ([]byte, error) {
	resp := op.Responses.Value("200")
	if resp == nil || resp.Value == nil {
		return nil, fmt.Errorf("%s declares no 200 response", op.OperationID)
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(synthesize(mt.Schema, withExamples))
}
