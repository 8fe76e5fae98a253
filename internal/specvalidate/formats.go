package specvalidate

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// registerFormats makes the compiler assert every format the spec uses:
// the numeric formats (int32, int64, float, double, and their unsigned
// kin) by the range of the type they name, as a proto-JSON server parses
// them; every other format the way kin-openapi asserts it
// (openapi3.SchemaStringFormats: date-time, date, byte...). Without this,
// the JSON Schema library would either ignore formats altogether (they are
// annotations in 2020-12) or assert its own idea of them, and a value
// that the server cannot hold (3.5e38 for a float, 1e400 anywhere) would
// pass here and fail later, in the decoder of whoever reads it.
func registerFormats(c *jsonschema.Compiler, doc any) {
	names := make(map[string]bool)
	collectFormats(doc, names)
	for name := range names {
		c.RegisterFormat(&jsonschema.Format{Name: name, Validate: formatCheck(name)})
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

// errOutOfRange is the error of a numeric format check; schemaError words
// it as "out of the <format> range" without quoting the value.
var errOutOfRange = errors.New("out of range")

// errNotInteger: a string of an integer format (proto3 JSON writes 64-bit
// integers as strings) that is not a decimal integer.
var errNotInteger = errors.New("not a decimal integer")

// numericFormat is what a numeric format allows.
type numericFormat struct {
	integer  bool
	bits     int // 32 or 64
	unsigned bool
}

// numericFormats are the formats that name a protobuf scalar type.
var numericFormats = map[string]numericFormat{
	"int32":  {integer: true, bits: 32},
	"int64":  {integer: true, bits: 64},
	"uint32": {integer: true, bits: 32, unsigned: true},
	"uint64": {integer: true, bits: 64, unsigned: true},
	"float":  {bits: 32},
	"double": {bits: 64},
}

// formatCheck returns the check of format name. kin-openapi's validators
// are looked up once, now: kin-openapi keeps them in global maps that a
// program may change, and reading them on every check would race with
// such a change.
func formatCheck(name string) func(any) error {
	if nf, ok := numericFormats[name]; ok {
		return nf.check
	}
	str := openapi3.SchemaStringFormats[name]
	return func(v any) error {
		if s, ok := v.(string); ok && str != nil {
			return str.Validate(s)
		}
		return nil
	}
}

// check accepts a JSON number (json.Number from a body, int64 or float64
// from a query parameter) within the format's range, and for an integer
// format a string holding a decimal integer in range, as proto3 JSON
// writes 64-bit integers. Other values are the type keyword's business.
func (nf numericFormat) check(v any) error {
	switch v := v.(type) {
	case json.Number:
		return nf.checkText(string(v))
	case string:
		if !nf.integer {
			return nil
		}
		if !isDecimalInteger(v) {
			return errNotInteger
		}
		return nf.checkText(v)
	case int64:
		return nf.checkText(strconv.FormatInt(v, 10))
	case float64:
		return nf.checkFloat(v)
	}
	return nil
}

// checkText checks the text of a JSON number. A plain integer is parsed
// exactly; any other form (a fraction, an exponent) as a double first,
// which is what a server does with it.
func (nf numericFormat) checkText(s string) error {
	if nf.integer && isDecimalInteger(s) {
		var err error
		if nf.unsigned {
			if strings.HasPrefix(s, "-") {
				return errOutOfRange
			}
			_, err = strconv.ParseUint(s, 10, nf.bits)
		} else {
			_, err = strconv.ParseInt(s, 10, nf.bits)
		}
		if err != nil {
			return errOutOfRange
		}
		return nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Only ErrRange gets here: the JSON decoder has checked the syntax.
		// 1e400 overflows a double.
		return errOutOfRange
	}
	return nf.checkFloat(x)
}

func (nf numericFormat) checkFloat(x float64) error {
	switch {
	case math.IsInf(x, 0) || math.IsNaN(x):
		return errOutOfRange
	case !nf.integer && nf.bits == 32:
		if math.Abs(x) > math.MaxFloat32 {
			return errOutOfRange
		}
	case nf.integer && x == math.Trunc(x):
		lo, hi := integerRange(nf)
		if x < lo || x > hi {
			return errOutOfRange
		}
	}
	return nil
}

// integerRange is the range of an integer format as doubles, its bounds
// rounded outwards where a double cannot hold them exactly.
func integerRange(nf numericFormat) (lo, hi float64) {
	switch {
	case nf.unsigned && nf.bits == 32:
		return 0, math.MaxUint32
	case nf.unsigned:
		return 0, math.MaxUint64
	case nf.bits == 32:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

// isDecimalInteger reports whether s is an optional '-' and decimal digits.
func isDecimalInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
