package specvalidate

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// queryParam is a compiled query parameter: how to parse its text, and the
// schema its parsed value must match.
type queryParam struct {
	name       string
	required   bool
	allowEmpty bool
	types      []string // the schema's types; none means any string
	bits       int      // 32 for format int32, else 64
	array      bool
	explode    bool
	delimiter  string // between the items of an array that is not exploded
	schema     *jsonschema.Schema
}

// compileQueryParam returns nil for a parameter that is not in the query.
// Serializations this package cannot parse are refused, so that a spec that
// starts using one is noticed when Load fails, not validated wrongly.
func compileQueryParam(c *jsonschema.Compiler, ref *openapi3.ParameterRef, ptr string) (*queryParam, error) {
	p := ref.Value
	if p == nil || p.In != openapi3.ParameterInQuery {
		return nil, nil
	}
	if p.Content != nil {
		return nil, fmt.Errorf("query parameter %s: content-encoded parameters are not supported", p.Name)
	}
	qp := &queryParam{name: p.Name, required: p.Required, allowEmpty: p.AllowEmptyValue, bits: 64}
	if p.Schema == nil || p.Schema.Value == nil {
		return qp, nil
	}
	sm, err := p.SerializationMethod()
	if err != nil {
		return nil, fmt.Errorf("query parameter %s: %w", p.Name, err)
	}
	schema := p.Schema.Value
	item := schema
	if schema.Type.Is(openapi3.TypeArray) {
		if schema.Items == nil || schema.Items.Value == nil {
			return nil, fmt.Errorf("query parameter %s: array without items", p.Name)
		}
		item = schema.Items.Value
		qp.array, qp.explode = true, sm.Explode
		switch sm.Style {
		case openapi3.SerializationForm:
			qp.delimiter = ","
		case openapi3.SerializationSpaceDelimited:
			qp.delimiter = " "
		case openapi3.SerializationPipeDelimited:
			qp.delimiter = "|"
		default:
			return nil, fmt.Errorf("query parameter %s: style %s is not supported", p.Name, sm.Style)
		}
	} else if sm.Style != openapi3.SerializationForm {
		return nil, fmt.Errorf("query parameter %s: style %s is not supported", p.Name, sm.Style)
	}
	qp.types = item.Type.Slice()
	for _, t := range qp.types {
		if t == openapi3.TypeObject || t == openapi3.TypeArray {
			return nil, fmt.Errorf("query parameter %s: %s values are not supported", p.Name, t)
		}
	}
	if item.Format == "int32" {
		qp.bits = 32
	}
	if qp.schema, err = c.Compile(specURL + "#" + refOr(ref.Ref, ptr) + "/schema"); err != nil {
		return nil, fmt.Errorf("query parameter %s: %w", p.Name, err)
	}
	return qp, nil
}

// checkQuery checks the declared query parameters of op. Undeclared ones
// are ignored, as OpenAPI allows.
func (op *operation) checkQuery(u *url.URL) *Error {
	if len(op.query) == 0 {
		return nil
	}
	var q url.Values
	if u.RawQuery != "" {
		var err error
		// Stricter than kin-openapi, which drops malformed pairs silently
		// (url.URL.Query): a client that sends one has a bug worth seeing.
		if q, err = url.ParseQuery(u.RawQuery); err != nil {
			return invalid(PartQuery, "", "malformed query string")
		}
	}
	for _, p := range op.query {
		values := q[p.name]
		if len(values) == 0 {
			if p.required {
				return invalid(PartQuery, p.name, "required, missing")
			}
			continue
		}
		if e := p.check(values); e != nil {
			return e
		}
	}
	return nil
}

// check parses the parameter's values as kin-openapi's openapi3filter does
// (form style), then validates the parsed value against the schema.
func (p *queryParam) check(values []string) *Error {
	var value any
	if p.array {
		items := values
		if !p.explode {
			items = strings.Split(values[0], p.delimiter)
		}
		arr := make([]any, 0, len(items))
		for i, raw := range items {
			v, reason := parsePrimitive(raw, p.types, p.bits)
			if reason != "" {
				return invalid(PartQuery, p.name, fmt.Sprintf("item %d: %s", i, reason))
			}
			if v == nil {
				return invalid(PartQuery, p.name, fmt.Sprintf("item %d: empty value", i))
			}
			arr = append(arr, v)
		}
		value = arr
	} else {
		if len(values) > 1 {
			// Stricter than kin-openapi, which takes the first non-empty
			// value; grpc-gateway refuses a repeated singular field.
			return invalid(PartQuery, p.name, "repeated, but it takes one value")
		}
		if values[0] == "" && p.allowEmpty {
			return nil
		}
		v, reason := parsePrimitive(values[0], p.types, p.bits)
		if reason != "" {
			return invalid(PartQuery, p.name, reason)
		}
		if v == nil {
			return invalid(PartQuery, p.name, "empty value")
		}
		value = v
	}
	if p.schema == nil {
		return nil
	}
	if err := p.schema.Validate(value); err != nil {
		e := schemaError(err, PartQuery)
		// The parameter's name says where; a pointer inside an array
		// parameter ("/2") says which item.
		if e.Name != "" {
			e.Reason = "item " + strings.TrimPrefix(e.Name, "/") + ": " + e.Reason
		}
		e.Name = p.name
		return e
	}
	return nil
}

// parsePrimitive parses raw as the first of types it fits, as kin-openapi's
// openapi3filter does: nil (no value) for an empty text of a type other
// than string, a reason when it fits none. The reason never quotes raw.
func parsePrimitive(raw string, types []string, bits int) (any, string) {
	if len(types) == 0 {
		return raw, ""
	}
	reason := ""
	for _, t := range types {
		if raw == "" && t != openapi3.TypeString {
			return nil, ""
		}
		switch t {
		case openapi3.TypeInteger:
			n, err := strconv.ParseInt(raw, 10, bits)
			if err == nil {
				return n, ""
			}
			reason = "not an integer"
			if errors.Is(err, strconv.ErrRange) {
				reason = fmt.Sprintf("out of the int%d range", bits)
			}
		case openapi3.TypeNumber:
			// strconv.ParseFloat also takes hexadecimal, underscores, Inf
			// and NaN, which are not decimal numbers.
			if strings.ContainsFunc(raw, func(r rune) bool { return !strings.ContainsRune("+-.0123456789eE", r) }) {
				reason = "not a number"
				continue
			}
			x, err := strconv.ParseFloat(raw, 64)
			if err == nil {
				return x, ""
			}
			reason = "not a number"
			if errors.Is(err, strconv.ErrRange) {
				reason = "out of the double range"
			}
		case openapi3.TypeBoolean:
			b, err := strconv.ParseBool(raw)
			if err == nil {
				return b, ""
			}
			reason = "not a boolean"
		case openapi3.TypeString:
			return raw, ""
		case openapi3.TypeNull:
			reason = "not null"
		default:
			reason = "of a type that is not a primitive"
		}
	}
	return nil, reason
}
