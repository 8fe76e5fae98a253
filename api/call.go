package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/redact"
)

// A call's life: the service method (generated) gives send its operation
// and a request builder; send applies the call's options, fills the
// account, builds the request (whose path parameters the generated builder
// checks), and runs it through the pipeline; decode or discard turns the
// answer into the method's result. Every failure comes back typed.

// send makes one call of op.
func (c *Client) send(ctx context.Context, op *gen.OperationInfo, opts []Option, build func(server, account string) (*http.Request, error)) (*http.Response, error) {
	s, err := applyCallOptions(c.defaults, opts)
	if err != nil {
		return nil, refused(op, err)
	}
	account := ""
	if onAccount(op) {
		if s.account == "" {
			return nil, refused(op, ErrNoAccount)
		}
		account = s.account
	}
	req, err := build(c.p.server, account)
	if err != nil {
		return nil, refused(op, publicParamError(err)) // a path parameter the builder refused
	}
	return c.p.send(ctx, req, s, true)
}

// refused is the error of a call refused before anything was sent: a bad
// option, no account, a bad parameter. It names the operation, its method
// and its path template, the same way for every cause.
func refused(op *gen.OperationInfo, err error) error {
	return fmt.Errorf("%s (%s %s): %w", op.ID, op.Method, op.Path, err)
}

// onAccount reports whether op acts on an account, whose id the Client
// fills in.
func onAccount(op *gen.OperationInfo) bool {
	for _, p := range op.PathParams {
		if p == accountParam {
			return true
		}
	}
	return false
}

// missingQueryParam reports, before anything is sent, a query parameter
// that op requires and the call left out: params nil, or a string or time
// left at its zero value.
func missingQueryParam(op *gen.OperationInfo, name, how string) error {
	return refused(op, &InvalidParamError{In: "query", Param: name, Reason: "required, but " + how})
}

// missingBodyField reports, before anything is sent, a string (or a
// date-time) of the request body that op requires and the call left at
// its zero value: sent, it would blank the field or be refused.
func missingBodyField(op *gen.OperationInfo, name string) error {
	return refused(op, &InvalidParamError{In: "body", Param: name, Reason: "required, but left at its zero value"})
}

// accountParam is the path parameter that names the caller's account.
const accountParam = "account_id"

// decode reads a 2xx answer's JSON body into a new T. An answer that is not
// that JSON is a *DecodeError: never a nil result with a nil error.
func decode[T any](resp *http.Response, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }() // a read body: its close reports nothing to act on
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err // a *TransportError from responseBody
	}
	v := new(T)
	if err := json.Unmarshal(data, v); err != nil {
		return nil, newDecodeError(resp, data, err)
	}
	return v, nil
}

// discard ends a call whose answer carries nothing (the {} of a Delete).
// The body is still read: a connection lost in the middle of it is a
// *TransportError, and a body that is not JSON (a proxy's HTML page) is a
// *DecodeError, as for any other call.
func discard(resp *http.Response, err error) error {
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }() // a read body: its close reports nothing to act on
	// Read whole, as decode reads a result: a long {} is still {}.
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err // a *TransportError from responseBody
	}
	if len(bytes.TrimSpace(data)) > 0 && !json.Valid(data) {
		var syntax json.RawMessage
		return newDecodeError(resp, data, json.Unmarshal(data, &syntax)) // the decoder's own error
	}
	return nil
}

func newDecodeError(resp *http.Response, data []byte, err error) *DecodeError {
	e := &DecodeError{StatusCode: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Err: err}
	var secrets []string
	if rb, ok := resp.Body.(*responseBody); ok {
		e.Method, e.Path, e.Attempts = rb.req.Method, rb.req.URL.EscapedPath(), rb.attempts
		secrets = rb.p.requestSecrets(rb.req)
	} else if resp.Request != nil { // a middleware's own body
		e.Method, e.Path = resp.Request.Method, resp.Request.URL.EscapedPath()
	}
	snippet := data[:min(len(data), MaxDecodeSnippet)]
	found := redact.Collect(nil, data)
	secrets = append(secrets, found...)
	if len(found) == 0 && redact.MayHoldSensitive(data) {
		// Not JSON that can be searched for secret values, and it names a
		// sensitive field: show none of it.
		e.Snippet = redact.Placeholder + " (a body that names a sensitive field)"
		return e
	}
	e.Snippet = string(redact.Bytes(snippet, secrets))
	return e
}

// Editor turns options into a request editor for the generated client that
// Raw returns: c.Raw().GetSecretWithResponse(ctx, acct, id, nil,
// api.Editor(api.WithMaxRetries(5))).
func Editor(opts ...Option) gen.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		edit := &editedSettings{opts: opts}
		*req = *req.WithContext(context.WithValue(req.Context(), editedSettingsKey{}, edit))
		return nil
	}
}

// editedSettings carries an Editor's options to the raw client's Doer,
// which applies them to its Client's defaults.
type editedSettings struct{ opts []Option }

type editedSettingsKey struct{}

// rawDoer is the Doer of the generated client that Raw returns: every
// request goes through the Client's pipeline with its settings.
type rawDoer struct{ c *Client }

func (d rawDoer) Do(req *http.Request) (*http.Response, error) {
	s := d.c.defaults
	if edit, ok := req.Context().Value(editedSettingsKey{}).(*editedSettings); ok {
		var err error
		if s, err = applyCallOptions(s, edit.opts); err != nil {
			return nil, err
		}
	}
	return d.c.p.send(req.Context(), req, s, false) // the caller's editors have seen req
}
