package specvalidate

import (
	"encoding/json"
	"errors"
	"math"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// registerFormats makes the compiler assert every format the spec uses the
// way kin-openapi asserts it (openapi3.SchemaStringFormats and friends:
// int32 and int64 ranges, date-time, date, byte), and ignore the formats
// kin-openapi does not know ("float", "double", "minute"). Without this,
// the JSON Schema library would either ignore formats altogether (they are
// annotations in 2020-12) or assert its own idea of them, and a verdict
// here would differ from kin-openapi's.
func registerFormats(c *jsonschema.Compiler, doc any) {
	names := make(map[string]bool)
	collectFormats(doc, names)
	for name := range names {
		c.RegisterFormat(&jsonschema.Format{Name: name, Validate: kinFormat(name)})
	}
	c.AssertFormat()
}

// collectFormats adds to names the value of every "format" string in doc.
func collectFormats(doc any, names map[string]bool) {
	switch v := doc.(type) {
	case map[string]any:
		if f, ok := v["format"].(string); ok && f != "" {
			names[f] = true
		}
		for _, child := range v {
			collectFormats(child, names)
		}
	case []any:
		for _, child := range v {
			collectFormats(child, names)
		}
	}
}

var errOutOfRange = errors.New("out of range")

// kinFormat returns the check of format name, with kin-openapi's
// validators looked up once, now: kin-openapi keeps them in global maps
// that a program may change, and reading them on every check would race
// with such a change.
func kinFormat(name string) func(any) error {
	str := openapi3.SchemaStringFormats[name]
	integer := openapi3.SchemaIntegerFormats[name]
	number := openapi3.SchemaNumberFormats[name]
	checkNumber := func(x float64) error {
		if x == math.Trunc(x) && !math.IsInf(x, 0) && integer != nil {
			if x < math.MinInt64 || x >= math.MaxInt64 {
				return errOutOfRange
			}
			return integer.Validate(int64(x))
		}
		if number != nil {
			return number.Validate(x)
		}
		return nil
	}
	return func(v any) error {
		switch v := v.(type) {
		case string:
			if str != nil {
				return str.Validate(v)
			}
		case json.Number:
			if x, err := v.Float64(); err == nil {
				return checkNumber(x)
			}
		case int64: // a query parameter, parsed
			if integer != nil {
				return integer.Validate(v)
			}
		case float64:
			return checkNumber(v)
		}
		return nil
	}
}
