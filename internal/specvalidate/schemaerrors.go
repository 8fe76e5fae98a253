package specvalidate

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// problem is one failed check of a JSON value: where, and why.
type problem struct {
	pointer string
	reason  string
}

// schemaError turns a JSON Schema validation error into an *Error that
// describes its first problem, by JSON pointer order, and counts the
// others. The messages are written here from the error kinds, never taken
// from the library, whose text quotes the failing value (a date, a
// pattern's subject, an enum's input).
func schemaError(err error, part string) *Error {
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return invalid(part, "", "does not match the schema")
	}
	problems := collectProblems(verr, nil)
	if len(problems) == 0 {
		return invalid(part, "", "does not match the schema")
	}
	// The library reports the properties of an object in map order;
	// sorting makes the first problem, the one shown, the same every time.
	slices.SortFunc(problems, func(a, b problem) int {
		if c := strings.Compare(a.pointer, b.pointer); c != 0 {
			return c
		}
		return strings.Compare(a.reason, b.reason)
	})
	e := invalid(part, problems[0].pointer, problems[0].reason)
	e.More = len(problems) - 1
	return e
}

// collectProblems appends the leaves of the error tree: the failed
// keywords, not the schemas and references that group them.
func collectProblems(e *jsonschema.ValidationError, out []problem) []problem {
	at := pointer(e.InstanceLocation)
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.AllOf, *kind.Reference:
		if len(e.Causes) == 0 {
			return append(out, problem{at, "does not match the schema"})
		}
		for _, cause := range e.Causes {
			out = collectProblems(cause, out)
		}
		return out
	case *kind.Required:
		for _, name := range k.Missing {
			out = append(out, problem{at + "/" + escapePointerToken(name), "required property is missing"})
		}
		return out
	case *kind.DependentRequired:
		for _, name := range k.Missing {
			out = append(out, problem{at + "/" + escapePointerToken(name), fmt.Sprintf("required when property %s is present", k.Prop)})
		}
		return out
	case *kind.Dependency:
		for _, name := range k.Missing {
			out = append(out, problem{at + "/" + escapePointerToken(name), fmt.Sprintf("required when property %s is present", k.Prop)})
		}
		return out
	case *kind.AdditionalProperties:
		// Property names are the document's structure, not its values.
		for _, name := range k.Properties {
			out = append(out, problem{at + "/" + escapePointerToken(name), "property not allowed by the schema"})
		}
		return out
	}
	return append(out, problem{at, reasonOf(e.ErrorKind)})
}

// reasonOf describes a failed keyword from the schema's side only.
func reasonOf(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Type:
		return fmt.Sprintf("got %s, want %s", k.Got, strings.Join(k.Want, " or "))
	case *kind.Enum:
		return "not one of the allowed values: " + allowedValues(k.Want)
	case *kind.Const:
		return "not the value the schema requires"
	case *kind.Format:
		switch {
		case errors.Is(k.Err, errOutOfRange):
			return fmt.Sprintf("out of the %s range", k.Want)
		case errors.Is(k.Err, errNotInteger):
			return fmt.Sprintf("not a decimal integer (format %s)", k.Want)
		}
		return fmt.Sprintf("not a valid %s", k.Want)
	case *kind.Pattern:
		return fmt.Sprintf("does not match the pattern %s", k.Want)
	case *kind.MinLength:
		return fmt.Sprintf("shorter than %d characters", k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("longer than %d characters", k.Want)
	case *kind.Minimum:
		return fmt.Sprintf("less than the minimum %s", k.Want.RatString())
	case *kind.Maximum:
		return fmt.Sprintf("greater than the maximum %s", k.Want.RatString())
	case *kind.ExclusiveMinimum:
		return fmt.Sprintf("not greater than %s", k.Want.RatString())
	case *kind.ExclusiveMaximum:
		return fmt.Sprintf("not less than %s", k.Want.RatString())
	case *kind.MultipleOf:
		return fmt.Sprintf("not a multiple of %s", k.Want.RatString())
	case *kind.MinItems:
		return fmt.Sprintf("fewer than %d items", k.Want)
	case *kind.MaxItems:
		return fmt.Sprintf("more than %d items", k.Want)
	case *kind.UniqueItems:
		return fmt.Sprintf("items %d and %d are equal", k.Duplicates[0], k.Duplicates[1])
	case *kind.MinProperties:
		return fmt.Sprintf("fewer than %d properties", k.Want)
	case *kind.MaxProperties:
		return fmt.Sprintf("more than %d properties", k.Want)
	case *kind.PropertyNames:
		return "a property name is not allowed by the schema"
	case *kind.OneOf:
		if len(k.Subschemas) == 0 {
			return "matches none of the oneOf alternatives"
		}
		return "matches more than one of the oneOf alternatives"
	case *kind.AnyOf:
		return "matches none of the anyOf alternatives"
	case *kind.Not:
		return "matches a schema it must not match"
	case *kind.FalseSchema:
		return "no value is allowed here"
	case *kind.InvalidJsonValue:
		return "not a JSON value"
	}
	if path := k.KeywordPath(); len(path) > 0 {
		return "fails the schema's " + strings.Join(path, "/") + " keyword"
	}
	return "does not match the schema"
}

// allowedValues lists an enum's values (the spec's, never the input's),
// shortened when long.
func allowedValues(values []any) string {
	const show = 8
	var b strings.Builder
	for i, v := range values {
		if i == show {
			fmt.Fprintf(&b, ", and %d more", len(values)-show)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if s, ok := v.(string); ok {
			b.WriteString(s)
		} else {
			j, _ := json.Marshal(v)
			b.Write(j)
		}
	}
	return b.String()
}

// pointer renders an instance location as a JSON pointer (RFC 6901).
func pointer(tokens []string) string {
	if len(tokens) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapePointerToken(t))
	}
	return b.String()
}
