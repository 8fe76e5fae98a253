package specvalidate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// RequestOptions adjust ValidateRequestWith.
type RequestOptions struct {
	// SkipAuth leaves the Authorization header unchecked. The SDK's
	// contract mode needs it: it checks a call as the caller made it,
	// before the SDK adds the credentials.
	SkipAuth bool
	// RejectUnknownProperties refuses a body property that the schema
	// does not declare, wherever the schema does not allow others (free-
	// form objects and maps still take any). The Gateway is a proto-JSON
	// server that drops an unknown field silently: an id sent in the body
	// where the spec has a query parameter is lost, and the call succeeds
	// with a generated id. Off by default, as OpenAPI allows such
	// properties.
	RejectUnknownProperties bool
}

// ValidateRequest checks a request to the operation r: the bearer
// credentials, the query parameters (types such as int32, formats, enums,
// required ones), the Content-Type (application/json when the operation
// takes a body), the presence of a required body, and the JSON body
// against the operation's request schema. body is the request's body,
// already read; req.Body is not touched.
//
// A missing or malformed "Authorization: Bearer <token>" header gives an
// error that satisfies errors.Is(err, ErrUnauthenticated); every other
// problem, errors.Is(err, ErrInvalid). The error is an *Error, which never
// quotes a value.
func (s *Spec) ValidateRequest(r *Route, req *http.Request, body []byte) error {
	return s.ValidateRequestWith(r, req, body, RequestOptions{})
}

// ValidateRequestWith is ValidateRequest with options.
func (s *Spec) ValidateRequestWith(r *Route, req *http.Request, body []byte, opts RequestOptions) error {
	_, err := s.ValidateAndDecodeRequest(r, req, body, opts)
	return err
}

// ValidateAndDecodeRequest is ValidateRequestWith that also returns the
// body it decoded to validate it (nil when the request has none, or the
// media type has no schema): JSON objects as map[string]any, arrays as
// []any, numbers as json.Number, exact. A server that acts on the body
// (the fake Gateway) reads it once, not twice. The value is the caller's.
func (s *Spec) ValidateAndDecodeRequest(r *Route, req *http.Request, body []byte, opts RequestOptions) (any, error) {
	op, err := s.operation(r)
	if err != nil {
		return nil, err
	}
	decoded, e := op.validate(r, req, body, opts)
	if e != nil {
		return nil, e
	}
	return decoded, nil
}

func (op *operation) validate(r *Route, req *http.Request, body []byte, opts RequestOptions) (any, *Error) {
	if op.requireToken && !opts.SkipAuth {
		if e := checkBearer(req.Header); e != nil {
			return nil, e
		}
	}
	if e := checkPathParams(r); e != nil {
		return nil, e
	}
	if e := op.checkQuery(req.URL); e != nil {
		return nil, e
	}
	return op.checkBody(req.Header, body, opts.RejectUnknownProperties)
}

// checkPathParams refuses a path parameter that is a dot segment, "." or
// "..", also percent-encoded ("%2e%2E"; FindRoute has decoded it): a
// server, proxy or client library that normalises the path (RFC 3986,
// section 5.2.4) sends DELETE .../deployments/.. to another resource.
func checkPathParams(r *Route) *Error {
	for _, name := range r.Operation.PathParams {
		if v := r.PathParams[name]; v == "." || v == ".." {
			return invalid(PartPath, name, "a dot segment (. or ..), which a server or proxy resolves to another resource")
		}
	}
	return nil
}

// checkBearer checks that h holds one "Authorization: Bearer <token>",
// the token being an RFC 6750 b64token. It says nothing about whether the
// token is a valid key.
func checkBearer(h http.Header) *Error {
	values := h.Values("Authorization")
	switch {
	case len(values) == 0:
		return unauthenticated("missing")
	case len(values) > 1:
		return unauthenticated("sent more than once")
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return unauthenticated("not a Bearer credential")
	}
	token = strings.TrimLeft(token, " ")
	if token == "" {
		return unauthenticated("empty bearer token")
	}
	if !isB64Token(token) {
		return unauthenticated("the bearer token holds characters that a token cannot (RFC 6750, section 2.1)")
	}
	return nil
}

// isB64Token reports whether s is 1*( ALPHA / DIGIT / "-" / "." / "_" /
// "~" / "+" / "/" ) *"=".
func isB64Token(s string) bool {
	end := len(strings.TrimRight(s, "="))
	if end == 0 {
		return false
	}
	for i := 0; i < end; i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/':
		default:
			return false
		}
	}
	return true
}

func (op *operation) checkBody(h http.Header, body []byte, rejectUnknown bool) (any, *Error) {
	if op.body == nil {
		if len(body) > 0 {
			return nil, invalid(PartRequestBody, "", "the operation takes no request body")
		}
		return nil, nil
	}
	if len(body) == 0 {
		if op.body.required {
			return nil, invalid(PartRequestBody, "", "required, missing")
		}
		return nil, nil
	}
	media := matchContent(op.body.content, h.Get("Content-Type"))
	if media == nil {
		return nil, invalid(PartContentType, "", "want "+mediaRanges(op.body.content))
	}
	if media.schema == nil {
		return nil, nil
	}
	v, e := validateJSON(media.schema, body, PartRequestBody)
	if e != nil {
		return nil, e
	}
	if rejectUnknown {
		if at, found := unknownProperty(media.schema, v, ""); found {
			return nil, invalid(PartRequestBody, at, "property not declared by the schema (a proto-JSON server drops it silently)")
		}
	}
	return v, nil
}

// matchContent returns the entry of content for the media type ct, as
// kin-openapi's openapi3.Content.Get finds it: the exact type, the type
// without parameters, then "type/*", then "*/*"; an empty ct matches only
// "*/*".
func matchContent(content []mediaSchema, ct string) *mediaSchema {
	lookup := func(want string) *mediaSchema {
		for i := range content {
			if content[i].mediaRange == want {
				return &content[i]
			}
		}
		return nil
	}
	if ct == "" {
		return lookup("*/*")
	}
	if ct == "application/json" { // the common case, without allocating
		if m := lookup(ct); m != nil {
			return m
		}
	}
	ct = strings.ToLower(strings.TrimSpace(ct))
	if m := lookup(ct); m != nil {
		return m
	}
	base, _, _ := strings.Cut(ct, ";")
	base = strings.TrimSpace(base)
	if m := lookup(base); m != nil {
		return m
	}
	typ, _, ok := strings.Cut(base, "/")
	if !ok {
		return nil
	}
	if m := lookup(typ + "/*"); m != nil {
		return m
	}
	return lookup("*/*")
}

func mediaRanges(content []mediaSchema) string {
	names := make([]string, len(content))
	for i, m := range content {
		names[i] = m.mediaRange
	}
	return strings.Join(names, " or ")
}

// validateJSON decodes body as one JSON value, numbers kept exact, and
// validates it against schema. It returns the decoded value.
func validateJSON(schema *jsonschema.Schema, body []byte, part string) (any, *Error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, invalid(part, "", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, invalid(part, "", "not valid JSON: data after the JSON value")
	}
	if err := schema.Validate(v); err != nil {
		return nil, schemaError(err, part)
	}
	return v, nil
}

// jsonProblem describes a decoding error without encoding/json's text,
// which quotes the offending character.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Sprintf("not valid JSON (syntax error at byte %d)", syntax.Offset)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "not valid JSON (truncated)"
	}
	return "not valid JSON"
}
