// Package contract checks the calls of an api.Client against the Gateway
// spec the SDK was generated from: each request before it is sent, and
// each 2xx response. It is for tests and staging, where it catches a server
// that drifted from the spec and a request built by hand that the server
// would refuse. It lives apart from package api because it carries the
// spec and a JSON Schema validator, which a program that only calls the API
// should not pay for.
package contract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/internal/specvalidate"
)

// WithValidation checks every call of a Client against the Gateway spec the
// SDK was generated from (api.SpecVersion): each request before it is sent
// (method and path, query parameters, Content-Type and JSON body; not the
// credentials, which are added later), each 2xx response (status,
// Content-Type and JSON body, which must carry no writeOnly field: a value
// the spec says is never returned, such as a Secret's value), and each
// error answer of the Gateway (a non-2xx JSON body, which must be the
// Gateway's google.rpc.Status: a numeric code, a message, details). A
// mismatch comes back as an *api.ContractError, which names the place (a
// JSON pointer such as /value) and never quotes a value; a request that
// breaks the spec is not sent. An error answer that is not application/json
// (a proxy's or load balancer's page, a problem+json), or longer than
// api.MaxErrorBody, is not the Gateway's to judge: it comes back as
// *api.Error, unchecked, as does every error answer that passes.
//
//	client, err := api.New(contract.WithValidation())
//
// It is meant for tests and staging: it catches a server that drifted from
// the spec, and a request built by hand (with a WithBody method or a
// request editor) that the server would refuse. It costs a few
// microseconds per call, holds each 2xx response body in memory, and
// compiles the spec (a fraction of a second) the first time it is used.
//
// It is a middleware (see api.WithMiddleware): middlewares given before it
// see the call before it is checked; those given after it, after.
func WithValidation() api.ClientOption {
	spec, err := specvalidate.Load()
	return api.WithMiddleware(func(next api.Doer) api.Doer {
		if err != nil {
			// The embedded spec is generated and tested with the SDK, so
			// this is a broken build; no call goes out unchecked.
			return api.DoerFunc(func(*http.Request) (*http.Response, error) {
				return nil, fmt.Errorf("contract: %w", err)
			})
		}
		return &contractDoer{spec: spec, next: next}
	})
}

// contractDoer validates a call on its way out and its 2xx answer on the
// way back.
type contractDoer struct {
	spec *specvalidate.Spec
	next api.Doer
}

func (d *contractDoer) Do(req *http.Request) (*http.Response, error) {
	route, err := d.findRoute(req)
	if err != nil {
		return nil, d.violation(req, "", api.ContractRequest, err)
	}
	op := route.Operation.ID

	body, req, err := requestBody(req)
	if err != nil {
		return nil, &api.TransportError{Method: req.Method, Path: req.URL.Path, Err: err}
	}
	// The credentials are added by the retry loop, after this middleware.
	if err := d.spec.ValidateRequestWith(route, req, body, specvalidate.RequestOptions{SkipAuth: true}); err != nil {
		return nil, d.violation(req, op, api.ContractRequest, err)
	}

	resp, err := d.next.Do(req)
	// The final answer only: an *api.Error that a TransportError carries
	// as its Last is an answer the call did not end on (the caller's
	// context ended while waiting to retry), and the caller's error stays.
	if apiErr, ok := err.(*api.Error); ok {
		if verr := d.validateErrorAnswer(route, apiErr); verr != nil {
			return nil, d.violation(req, op, api.ContractResponse, verr)
		}
	}
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
		return nil, d.violation(req, op, api.ContractResponse, err)
	}
	return resp, nil
}

// validateErrorAnswer checks the final error answer of a call against the
// operation's error response (the overlay's default: google.rpc.Status).
// Only what claims to be the Gateway's own answer is judged: its media
// type (application/json, which grpc-gateway always sends), and whole (a
// body cut at api.MaxErrorBody cannot be).
func (d *contractDoer) validateErrorAnswer(route *specvalidate.Route, e *api.Error) error {
	if e.Response == nil || len(e.Body) >= api.MaxErrorBody || !isGatewayJSON(e.Response.Header.Get("Content-Type")) {
		return nil
	}
	return d.spec.ValidateResponse(route, e.StatusCode, e.Response.Header, e.Body)
}

// isGatewayJSON reports whether a Content-Type is application/json (with
// any parameters, such as a charset).
func isGatewayJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
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
		body, err := io.ReadAll(rc)
		if cerr := rc.Close(); err == nil {
			err = cerr
		}
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

func (d *contractDoer) violation(req *http.Request, op, direction string, err error) *api.ContractError {
	return &api.ContractError{Operation: op, Method: req.Method, Path: req.URL.Path, Direction: direction, Err: err}
}
