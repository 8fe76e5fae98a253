package gatewaytest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// The field rules, all read from the resource's schema:
//
//   - A client never sets a readOnly (output-only) property: the server
//     owns it, and ignores what the client sent.
//   - A property the schema does not declare is dropped, as a proto-JSON
//     server drops an unknown field (WithStrictBodies refuses it instead).
//   - A sensitive property (x-sensitive, writeOnly, format password, or
//     described as INPUT_ONLY: a Secret's value, an OIDC client secret) is
//     stored apart and never returned; StoredValue shows it to the test.
//   - The server fills what it can derive: the name, createTime and
//     updateTime, the state; a readOnly sensitive string (an API key's
//     key) is generated and returned once, in the create response; a
//     required property still missing gets a synthesized value, so that
//     the answer is always valid.

// isSensitive: the rule the generator uses for gen.SensitiveFields.
func isSensitive(s *openapi3.Schema) bool {
	if v, ok := s.Extensions["x-sensitive"].(bool); ok && v {
		return true
	}
	return s.WriteOnly || s.Format == "password" || strings.Contains(s.Description, "INPUT_ONLY")
}

// keepInput removes from obj what the client may not set, moving
// sensitive values into hidden (by JSON pointer under at). Nested objects
// and arrays of objects with declared properties are treated alike. When
// seeding (Put, Seed), readOnly properties are the fixture's to set and
// are kept, and a property the schema does not declare is an error: its
// JSON pointer is returned.
func keepInput(schema *openapi3.Schema, obj map[string]any, at string, hidden map[string]json.RawMessage, seeding bool) (unknown string) {
	if schema == nil || len(schema.Properties) == 0 {
		return "" // free-form: kept as sent
	}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		v := obj[name]
		where := at + "/" + pointerToken(name)
		prop := schema.Properties[name]
		switch {
		case prop == nil || prop.Value == nil:
			if seeding && unknown == "" {
				unknown = where
			}
			delete(obj, name)
			continue
		case isSensitive(prop.Value):
			raw, _ := json.Marshal(v)
			hidden[where] = raw
			delete(obj, name)
			continue
		case prop.Value.ReadOnly && !seeding:
			delete(obj, name)
			continue
		}
		var inner string
		switch v := v.(type) {
		case map[string]any:
			inner = keepInput(prop.Value, v, where, hidden, seeding)
		case []any:
			if prop.Value.Items != nil {
				for i, item := range v {
					if m, ok := item.(map[string]any); ok {
						if u := keepInput(prop.Value.Items.Value, m, where+"/"+strconv.Itoa(i), hidden, seeding); inner == "" {
							inner = u
						}
					}
				}
			}
		}
		if unknown == "" {
			unknown = inner
		}
	}
	return unknown
}

// derive fills what the server owns on create; it returns the JSON
// properties to show once, in the create response only (a generated key).
func (e *engine) derive(c *collection, obj map[string]any, name, id string, now time.Time, hidden map[string]json.RawMessage) map[string]any {
	if c.nameField != "" {
		if c.nameIsID {
			obj[c.nameField] = id
		} else {
			obj[c.nameField] = name
		}
	}
	setTime(c.schema, obj, "createTime", now)
	setTime(c.schema, obj, "updateTime", now)
	if c.machine != nil {
		obj["state"] = c.machine.Created
	}
	once := map[string]any{}
	for _, prop := range slices.Sorted(maps.Keys(c.schema.Properties)) {
		p := c.schema.Properties[prop].Value
		if p == nil || !p.ReadOnly || !isSensitive(p) || !p.Type.Is(openapi3.TypeString) {
			continue
		}
		secret := "gwt-" + randomHex(24)
		raw, _ := json.Marshal(secret)
		hidden["/"+pointerToken(prop)] = raw
		once[prop] = secret
	}
	fillRequired(c.schema, obj)
	return once
}

// fillRequired gives a required property that is still missing a value
// synthesized from its schema.
func fillRequired(schema *openapi3.Schema, obj map[string]any) {
	for _, name := range schema.Required {
		if _, ok := obj[name]; !ok {
			obj[name] = synthesize(schema.Properties[name], false)
		}
	}
}

// setTime sets a readOnly date-time property, if the schema has it.
func setTime(schema *openapi3.Schema, obj map[string]any, prop string, t time.Time) {
	if p := schema.Properties[prop]; p != nil && p.Value != nil && p.Value.Format == "date-time" {
		obj[prop] = formatTime(t)
	}
}

// formatTime writes a time as proto3 JSON does (RFC 3339, UTC), with a
// fixed number of digits so that the strings sort as the times do.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// merge applies an update: with an updateMask (a query parameter that
// grpc-gateway reads although the spec omits it), exactly the fields it
// names, cleared when the body does not hold them; without one, every
// field the body holds, objects merged field by field (grpc-gateway
// derives the mask from the body). It returns the first mask path the
// schema does not have, if any.
func merge(schema *openapi3.Schema, stored, patch map[string]any, mask []string) (badPath string) {
	if len(mask) == 0 {
		mergeObjects(schema, stored, patch)
		return ""
	}
	for _, path := range mask {
		if path == "*" {
			for name := range stored {
				if p := schema.Properties[name]; p != nil && p.Value != nil && !p.Value.ReadOnly {
					delete(stored, name)
				}
			}
			mergeObjects(schema, stored, patch)
			continue
		}
		parts := strings.Split(path, ".")
		s, dst, src := schema, stored, patch
		for i, part := range parts {
			part = camel(part)
			p := s.Properties[part]
			if p == nil || p.Value == nil {
				return path
			}
			if i == len(parts)-1 {
				if v, ok := src[part]; ok {
					dst[part] = v
				} else {
					delete(dst, part)
				}
				break
			}
			next, _ := dst[part].(map[string]any)
			if next == nil {
				next = map[string]any{}
				dst[part] = next
			}
			s, dst = p.Value, next
			src, _ = src[part].(map[string]any)
		}
	}
	return ""
}

func mergeObjects(schema *openapi3.Schema, dst, src map[string]any) {
	for name, v := range src {
		sub, isObj := v.(map[string]any)
		p := schema.Properties[name]
		if old, ok := dst[name].(map[string]any); ok && isObj && p != nil && p.Value != nil && len(p.Value.Properties) > 0 {
			mergeObjects(p.Value, old, sub)
			continue
		}
		dst[name] = v
	}
}

// decodeObject decodes a JSON object, numbers kept exact.
func decodeObject(raw []byte) (map[string]any, error) {
	obj := map[string]any{}
	if len(bytes.TrimSpace(raw)) == 0 {
		return obj, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// encodeObject encodes a resource; keys sorted, HTML left alone.
func encodeObject(obj map[string]any) []byte { return encodeValue(obj) }

// encodeValue encodes a JSON value as the fake answers it: map keys
// sorted, numbers as they came, HTML left alone (a proto-JSON server does
// not escape "<").
func encodeValue(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// withFields returns the JSON object raw with props added (for the
// fields a create response shows once).
func withFields(raw []byte, props map[string]any) []byte {
	if len(props) == 0 {
		return raw
	}
	obj, err := decodeObject(raw)
	if err != nil {
		return raw
	}
	for k, v := range props {
		obj[k] = v
	}
	return encodeObject(obj)
}

func pointerToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func randomHex(n int) string {
	b := make([]byte, n/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// rawString is the JSON encoding of s.
func rawString(s string) json.RawMessage {
	raw, _ := json.Marshal(s)
	return raw
}
