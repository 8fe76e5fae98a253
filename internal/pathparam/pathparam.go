// Package pathparam refuses path parameter values that would change which
// resource a Gateway request addresses. The generated client calls Check for
// every path parameter before it builds a request; nothing is sent when Check
// fails.
//
// The generated client escapes a value with url.PathEscape and then resolves
// the path against the base URL, so without this check:
//   - an empty value collapses a segment ("/secrets/" lists instead of gets);
//   - "." and ".." are dot segments that url.URL.Parse resolves away, moving
//     the request to a parent resource;
//   - ':' is left unescaped, and after an id it selects a custom method
//     ("dep:undelete");
//   - '/' and '\' are escaped or passed through, but proxies and servers that
//     decode %2F, or treat '\' as '/', split the segment in two;
//   - '%' reaches servers that decode twice as an escape of its own;
//   - control characters and white space are never part of a resource id and
//     are silently mangled by the servers that strip them.
package pathparam

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Error reports a parameter value that was refused before any request was
// sent. It never quotes the value: a caller may pass a secret by mistake.
type Error struct {
	// In is where the parameter goes: "path" or "query".
	In string
	// Param is the parameter's name in the spec, such as "secret_id".
	Param string
	// Reason says what is wrong with the value.
	Reason string
}

// Error reports where the parameter goes, its name, and what is wrong.
func (e *Error) Error() string {
	return fmt.Sprintf("invalid %s parameter %s: %s", e.In, e.Param, e.Reason)
}

// AsPublic, set once by package api when it is initialized, fills target
// when it points to the exported error type that api declares for an
// *Error (*api.InvalidParamError), which this internal package cannot name.
// It is read only by As.
var AsPublic func(e *Error, target any) bool

// As lets errors.As find an *Error as api's exported error type: see
// AsPublic.
func (e *Error) As(target any) bool {
	return AsPublic != nil && AsPublic(e, target)
}

// Check returns an *Error when value cannot be placed in a path segment
// without changing which resource the request addresses. Values that are
// not strings (numbers, booleans) cannot break a path and always pass.
func Check[T any](name string, value T) error {
	s, ok := any(value).(string)
	if !ok {
		return nil
	}
	if reason := problem(s); reason != "" {
		return &Error{In: "path", Param: name, Reason: reason}
	}
	return nil
}

func problem(s string) string {
	switch s {
	case "":
		return "empty value"
	case ".", "..":
		return "a dot segment (\".\" or \"..\") addresses the parent resource"
	}
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	for _, r := range s {
		switch {
		case r == '/':
			return "contains '/': pass the id, not a resource name or path"
		case r == '\\':
			return "contains '\\', which some servers read as '/'"
		case r == ':':
			return "contains ':', which selects a custom method after an id"
		case r == '%':
			return "contains '%', which servers that decode twice read as an escape"
		case unicode.IsControl(r):
			return "contains a control character"
		case unicode.IsSpace(r):
			return "contains white space"
		}
	}
	return ""
}
