package specvalidate

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors: every error of this package wraps exactly one, so that a
// fake server maps it to a status with errors.Is (404, 405, 401, 400).
var (
	// ErrNotFound: no operation's path template matches the request path.
	ErrNotFound = errors.New("no operation matches the path")
	// ErrMethodNotAllowed: a path template matches, but none of its
	// operations has the request's method.
	ErrMethodNotAllowed = errors.New("method not allowed")
	// ErrUnauthenticated: the Authorization header is missing or is not a
	// well-formed bearer credential.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrInvalid: the request or response breaks the spec (a parameter,
	// header, body or status).
	ErrInvalid = errors.New("invalid")
)

// RouteError is returned by FindRoute. It wraps ErrNotFound or
// ErrMethodNotAllowed, and does not quote the path: a path segment may hold
// a value the caller meant to keep private.
type RouteError struct {
	// Err is ErrNotFound or ErrMethodNotAllowed.
	Err error
	// Method is the request's method.
	Method string
	// Allowed lists the methods of the matched path when Err is
	// ErrMethodNotAllowed, for an Allow header.
	Allowed []string
	// Reason adds detail, such as a malformed percent-escape; may be empty.
	Reason string
}

func (e *RouteError) Error() string {
	var b strings.Builder
	if e.Err == ErrMethodNotAllowed {
		fmt.Fprintf(&b, "method %s not allowed", e.Method)
		if len(e.Allowed) > 0 {
			fmt.Fprintf(&b, " (allowed: %s)", strings.Join(e.Allowed, ", "))
		}
	} else {
		b.WriteString(e.Err.Error())
	}
	if e.Reason != "" {
		fmt.Fprintf(&b, ": %s", e.Reason)
	}
	return b.String()
}

func (e *RouteError) Unwrap() error { return e.Err }

// Where a problem is, for Error.Part.
const (
	PartAuthorization  = "header Authorization"
	PartContentType    = "header Content-Type"
	PartPath           = "path parameter"
	PartQuery          = "query parameter"
	PartRequestBody    = "request body"
	PartResponseStatus = "response status"
	PartResponseBody   = "response body"
)

// Error is one way a request or response breaks the spec. It wraps
// ErrInvalid or ErrUnauthenticated. Its text names the place and the
// reason, never the offending value.
type Error struct {
	// Err is ErrInvalid or ErrUnauthenticated.
	Err error
	// Part is where the problem is, one of the Part constants.
	Part string
	// Name is the path or query parameter's name, or the JSON pointer (RFC 6901)
	// of the offending value inside a body ("" for the whole body).
	Name string
	// Reason says what is wrong.
	Reason string
	// More is how many other problems the same check found; the first, by
	// JSON pointer order, is the one described.
	More int
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Part)
	if e.Name != "" {
		if e.Part == PartRequestBody || e.Part == PartResponseBody {
			b.WriteString(" at ")
		} else {
			b.WriteString(" ")
		}
		b.WriteString(e.Name)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	switch {
	case e.More == 1:
		b.WriteString(" (and 1 more problem)")
	case e.More > 1:
		fmt.Fprintf(&b, " (and %d more problems)", e.More)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

func invalid(part, name, reason string) *Error {
	return &Error{Err: ErrInvalid, Part: part, Name: name, Reason: reason}
}

func unauthenticated(reason string) *Error {
	return &Error{Err: ErrUnauthenticated, Part: PartAuthorization, Reason: reason}
}
