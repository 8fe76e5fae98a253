package specvalidate

import (
	"slices"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// unknownProperty returns the JSON pointer of the first property of v, in
// document order of sorted keys, that schema does not declare where it
// allows no others. v has validated against schema already, so only the
// keys are in question.
//
// An object schema is closed when it (with its allOf, anyOf and oneOf
// branches, and what they reference) declares properties and allows no
// additional or pattern properties; a schema without properties is
// free-form (google.protobuf.Struct, a map) and takes any key.
func unknownProperty(schema *jsonschema.Schema, v any, at string) (string, bool) {
	shapes := objectShapes(schema, nil, 0)
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if p, found := unknownKey(shapes, k, v[k], at+"/"+escapePointerToken(k)); found {
				return p, true
			}
		}
	case []any:
		for i, item := range v {
			for _, s := range shapes {
				if items := itemSchema(s, i); items != nil {
					if p, found := unknownProperty(items, item, at+"/"+itoa(i)); found {
						return p, true
					}
				}
			}
		}
	}
	return "", false
}

// unknownKey checks one key of an object against the schemas that shape
// it, and the key's value against the schemas that declare it.
func unknownKey(shapes []*jsonschema.Schema, key string, value any, where string) (string, bool) {
	declared, closed := false, false
	for _, s := range shapes {
		if sub := s.Properties[key]; sub != nil {
			declared = true
			if p, found := unknownProperty(sub, value, where); found {
				return p, true
			}
		}
	}
	if declared {
		return "", false
	}
	for _, s := range shapes {
		switch extra := s.AdditionalProperties.(type) {
		case *jsonschema.Schema:
			if p, found := unknownProperty(extra, value, where); found {
				return p, true
			}
			return "", false
		case bool:
			if extra {
				return "", false
			}
			closed = true
		}
		switch {
		case len(s.PatternProperties) > 0:
			return "", false
		case len(s.Properties) > 0:
			closed = true
		case s.AdditionalProperties == nil && s.Types != nil && slices.Contains(s.Types.ToStrings(), "object"):
			return "", false // a free-form object
		}
	}
	if closed {
		return where, true
	}
	return "", false
}

// itemSchema is the schema of item i of an array under s, or nil.
func itemSchema(s *jsonschema.Schema, i int) *jsonschema.Schema {
	if i < len(s.PrefixItems) {
		return s.PrefixItems[i]
	}
	if s.Items2020 != nil {
		return s.Items2020
	}
	if items, ok := s.Items.(*jsonschema.Schema); ok {
		return items
	}
	return nil
}

// objectShapes collects schema and the schemas it combines with (its
// reference, allOf, anyOf and oneOf), which together say which keys an
// object may hold. Depth bounds a recursive spec.
func objectShapes(s *jsonschema.Schema, out []*jsonschema.Schema, depth int) []*jsonschema.Schema {
	if s == nil || depth > 32 || slices.Contains(out, s) {
		return out
	}
	if s.Bool == nil {
		out = append(out, s)
	}
	out = objectShapes(s.Ref, out, depth+1)
	for _, group := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf} {
		for _, sub := range group {
			out = objectShapes(sub, out, depth+1)
		}
	}
	return out
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for ; i > 0; i /= 10 {
		n--
		b[n] = byte('0' + i%10)
	}
	return string(b[n:])
}
