package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/fireworks-gateway/go-sdk/internal/specvalidate"
)

// Directions of a ContractError.
const (
	ContractRequest  = "request"
	ContractResponse = "response"
)

// ContractError is a call that breaks the Gateway spec the SDK was
// generated from, found by WithContractValidation: a request the SDK was
// about to send (it was not sent), or a 2xx response it received. Use
// errors.As to get it.
type ContractError struct {
	// Operation is the operation id, such as "UpdateSecret"; empty when no
	// operation of the spec matches the request's method and path.
	Operation string
	// Method and Path are the request's; Path never includes the query.
	Method, Path string
	// Direction is ContractRequest or ContractResponse.
	Direction string
	// Err is the problem: where (a parameter, a header, a JSON pointer into
	// the body) and why. It never quotes a value of the body or headers.
	Err error
}

func (e *ContractError) Error() string {
	op := e.Operation
	if op == "" {
		op = "no operation of the spec"
	}
	return fmt.Sprintf("%s %s (%s): %s breaks the Gateway spec: %v", e.Method, e.Path, op, e.Direction, e.Err)
}

func (e *ContractError) Unwrap() error { return e.Err }

// WithContractValidation checks every call against the Gateway spec the
// SDK was generated from (SpecVersion): each request before it is sent
// (method and path, query parameters, Content-Type and JSON body; not the
// credentials, which are added later), and each 2xx response (status,
// Content-Type and JSON body). A mismatch comes back as a *ContractError;
// a request that breaks the spec is not sent. Non-2xx responses come back
// as *Error, unchecked.
//
// It is meant for tests and staging: it catches a server that drifted from
// the spec, and a request built by hand (with a WithBody method or a
// request editor) that the server would refuse. It costs a few
// microseconds per call, holds each 2xx response body in memory, and
// compiles the spec (a fraction of a second) at the first New that uses it.
//
// It is a middleware (see WithMiddleware): middlewares given before it see
// the call before it is checked; those given after it, after.
func WithContractValidation() Option {
	return func(c *config) error {
		spec, err := specvalidate.Load()
		if err != nil {
			return fmt.Errorf("WithContractValidation: %w", err)
		}
		return WithMiddleware(func(next Doer) Doer {
			return &contractDoer{spec: spec, next: next}
		})(c)
	}
}

// contractDoer validates a call on its way out and its 2xx answer on the
// way back.
type contractDoer struct {
	spec *specvalidate.Spec
	next Doer
}

func (d *contractDoer) Do(req *http.Request) (*http.Response, error) {
	route, err := d.findRoute(req)
	if err != nil {
		return nil, d.violation(req, "", ContractRequest, err)
	}
	op := route.Operation.ID

	body, req, err := requestBody(req)
	if err != nil {
		return nil, &TransportError{Method: req.Method, Path: req.URL.Path, Err: err}
	}
	// The credentials are added by the retry loop, after this middleware.
	if err := d.spec.ValidateRequestWith(route, req, body, specvalidate.RequestOptions{SkipAuth: true}); err != nil {
		return nil, d.violation(req, op, ContractRequest, err)
	}

	resp, err := d.next.Do(req)
	if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp, err
	}
	data, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		// The same error the generated code would meet reading the body.
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	if err := d.spec.ValidateResponse(route, resp.StatusCode, resp.Header, data); err != nil {
		return nil, d.violation(req, op, ContractResponse, err)
	}
	return resp, nil
}

// findRoute finds the request's operation. A base URL with a path (a
// proxy's "https://host/gateway") puts a prefix before the spec's paths,
// which all start at /v1/; the prefix is skipped when the whole path
// matches nothing.
func (d *contractDoer) findRoute(req *http.Request) (*specvalidate.Route, error) {
	path := req.URL.EscapedPath()
	route, err := d.spec.FindRoute(req.Method, path)
	if !errors.Is(err, specvalidate.ErrNotFound) {
		return route, err
	}
	for i := 1; i < len(path); i++ {
		if !strings.HasPrefix(path[i:], "/v1/") {
			continue
		}
		if r, e := d.spec.FindRoute(req.Method, path[i:]); !errors.Is(e, specvalidate.ErrNotFound) {
			return r, e
		}
	}
	return nil, err
}

// requestBody returns the body of req without consuming it: through
// GetBody, which the generated code always sets. A body without GetBody
// is read, and req is replaced by a copy that carries it in memory.
func requestBody(req *http.Request) ([]byte, *http.Request, error) {
	switch {
	case req.Body == nil || req.Body == http.NoBody:
		return nil, req, nil
	case req.GetBody != nil:
		rc, err := req.GetBody()
		if err != nil {
			return nil, req, err
		}
		defer rc.Close()
		body, err := io.ReadAll(rc)
		return body, req, err
	}
	body, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, req, err
	}
	copied := req.WithContext(req.Context())
	copied.Body = io.NopCloser(bytes.NewReader(body))
	copied.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return body, copied, nil
}

func (d *contractDoer) violation(req *http.Request, op, direction string, err error) *ContractError {
	return &ContractError{Operation: op, Method: req.Method, Path: req.URL.Path, Direction: direction, Err: err}
}
