package api_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
)

// TestErrorBodiesAreDecodedLeniently: every known error shape gives the
// code and message; anything else still gives an *api.Error with the raw
// body.
func TestErrorBodiesAreDecodedLeniently(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		body     string
		wantCode api.Code
		wantMsg  string
		is       error
	}{
		{"google.rpc.Status with an int code", 404, `{"code":5,"message":"secret not found","details":[{"@type":"x"}]}`, api.CodeNotFound, "secret not found", api.ErrNotFound},
		{"google.rpc.Status with a string code", 409, `{"code":"ALREADY_EXISTS","message":"exists"}`, api.CodeAlreadyExists, "exists", api.ErrAlreadyExists},
		{"lower-case string code", 403, `{"code":"permission_denied","message":"no"}`, api.CodePermissionDenied, "no", api.ErrPermissionDenied},
		{"numeric string code", 401, `{"code":"16","message":"bad key"}`, api.CodeUnauthenticated, "bad key", api.ErrUnauthenticated},
		{"error.message", 429, `{"error":{"message":"slow down"}}`, "", "slow down", api.ErrRateLimited},
		{"error.message with a status", 503, `{"error":{"message":"down","status":"UNAVAILABLE"}}`, api.CodeUnavailable, "down", api.ErrUnavailable},
		{"not JSON", 502, `<html>bad gateway</html>`, "", "", nil},
		{"empty body", 404, ``, "", "", api.ErrNotFound},
		{"code out of range", 400, `{"code":99,"message":"odd"}`, "", "odd", nil},
		{"free text as code", 400, `{"code":"this is not a code","message":"odd"}`, "", "odd", nil},
		{"JSON of another shape", 400, `[1,2,3]`, "", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := script(step{status: tc.status, body: tc.body, header: http.Header{"X-Request-Id": {"req-123"}}})
			c := newClient(t, rt, api.WithMaxRetries(0))
			_, err := c.Secrets.Get(context.Background(), "sec", &getSecretParamsWithMask)
			var apiErr *api.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want *api.Error", err, err)
			}
			if apiErr.StatusCode != tc.status || apiErr.Code != tc.wantCode || apiErr.Message != tc.wantMsg {
				t.Errorf("got status %d code %q message %q, want %d %q %q", apiErr.StatusCode, apiErr.Code, apiErr.Message, tc.status, tc.wantCode, tc.wantMsg)
			}
			if string(apiErr.Body) != tc.body {
				t.Errorf("Body = %q, want the raw body %q", apiErr.Body, tc.body)
			}
			if apiErr.RequestID != "req-123" || apiErr.Method != "GET" || apiErr.Path != "/v1/accounts/acct/secrets/sec" || apiErr.Attempts != 1 {
				t.Errorf("request id %q, method %q, path %q, attempts %d", apiErr.RequestID, apiErr.Method, apiErr.Path, apiErr.Attempts)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(err, %v) = false", tc.is)
			}
			if strings.Contains(err.Error(), "readMask") {
				t.Errorf("Error() shows the query string: %s", err)
			}
		})
	}
}

var getSecretParamsWithMask = getSecretParams("name")

// TestSentinelsDoNotOverlap: each sentinel matches its own case only; in
// particular a 409 ABORTED is not ErrAlreadyExists.
func TestSentinelsDoNotOverlap(t *testing.T) {
	sentinels := []error{api.ErrNotFound, api.ErrAlreadyExists, api.ErrUnauthenticated, api.ErrPermissionDenied, api.ErrRateLimited, api.ErrUnavailable}
	cases := []struct {
		err  *api.Error
		want error
	}{
		{&api.Error{StatusCode: 404}, api.ErrNotFound},
		{&api.Error{StatusCode: 409, Code: api.CodeAlreadyExists}, api.ErrAlreadyExists},
		{&api.Error{StatusCode: 409, Code: api.CodeAborted}, nil},
		{&api.Error{StatusCode: 401}, api.ErrUnauthenticated},
		{&api.Error{StatusCode: 403}, api.ErrPermissionDenied},
		{&api.Error{StatusCode: 429}, api.ErrRateLimited},
		{&api.Error{StatusCode: 503}, api.ErrUnavailable},
		{&api.Error{StatusCode: 400, Code: api.CodeNotFound}, api.ErrNotFound},
		{&api.Error{StatusCode: 500}, nil},
	}
	for _, tc := range cases {
		for _, s := range sentinels {
			if got := errors.Is(tc.err, s); got != (s == tc.want) {
				t.Errorf("status %d code %q: errors.Is(%v) = %v", tc.err.StatusCode, tc.err.Code, s, got)
			}
		}
	}
}

// TestErrorKeepsTheFinalResponse: the final response is never thrown away:
// its status, headers and body stay readable from the error.
func TestErrorKeepsTheFinalResponse(t *testing.T) {
	rt := script(step{status: 404, body: `{"code":5,"message":"gone"}`, header: http.Header{"X-Custom": {"kept"}}})
	c := newClient(t, rt)
	err := c.Secrets.Delete(context.Background(), "sec")
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Response == nil {
		t.Fatalf("err = %v, want an *api.Error with its Response", err)
	}
	body, _ := io.ReadAll(apiErr.Response.Body)
	if apiErr.Response.StatusCode != 404 || apiErr.Response.Header.Get("X-Custom") != "kept" || string(body) != `{"code":5,"message":"gone"}` {
		t.Errorf("Response: %d %v %q", apiErr.Response.StatusCode, apiErr.Response.Header, body)
	}
	if apiErr.Response.Request == nil || apiErr.Response.Request.Header.Get("Authorization") != "" {
		t.Error("Response.Request is missing, or carries the API key")
	}
}

// TestErrorBodyIsBounded: a huge error body is kept up to MaxErrorBody.
func TestErrorBodyIsBounded(t *testing.T) {
	rt := script(step{status: 400, body: strings.Repeat("x", api.MaxErrorBody*3)})
	c := newClient(t, rt)
	_, err := c.Secrets.Get(context.Background(), "sec", nil)
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || len(apiErr.Body) != api.MaxErrorBody {
		t.Fatalf("err = %T, body of %d bytes, want %d", err, len(apiErr.Body), api.MaxErrorBody)
	}
	if len(err.Error()) > 1024 {
		t.Errorf("Error() is %d bytes long, want it bounded", len(err.Error()))
	}
}

// TestTransportErrorHasOperationAndAttempts: a failure without a response
// says the method, the path without query and the attempts, and wraps the
// cause.
func TestTransportErrorHasOperationAndAttempts(t *testing.T) {
	rt := script(step{err: io.ErrUnexpectedEOF})
	c := newClient(t, rt, api.WithMaxRetries(0))
	_, err := c.Secrets.Get(context.Background(), "sec", &getSecretParamsWithMask)
	var te *api.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("err = %T %v, want *api.TransportError", err, err)
	}
	if te.Method != "GET" || te.Path != "/v1/accounts/acct/secrets/sec" || te.Attempts != 1 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("got %q %q %d, cause %v", te.Method, te.Path, te.Attempts, te.Err)
	}
	if strings.Contains(err.Error(), "readMask") || !strings.Contains(err.Error(), "GET /v1/accounts/acct/secrets/sec") {
		t.Errorf("Error() = %q, want method and path without the query", err)
	}
}

// TestRefusalsNameTheOperation: every call refused before sending (a bad
// option, no account, a bad path parameter, a missing required query
// parameter) says so in one style: the operation, its method and its path
// template, then the cause.
func TestRefusalsNameTheOperation(t *testing.T) {
	t.Setenv(api.EnvAccountID, "")
	rt := script(step{status: 200, body: secretJSON})
	c := newClient(t, rt)
	noAccount, err := api.New(api.WithAPIKey(testAPIKey), api.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"a bad option": func() error { _, err := c.Secrets.Get(ctx, "sec", nil, api.WithTimeout(-1)); return err },
		"no account":   func() error { _, err := noAccount.Secrets.Get(ctx, "sec", nil); return err },
		"a bad path parameter": func() error {
			_, err := c.Secrets.Get(ctx, "a/b", nil)
			return err
		},
	} {
		err := call()
		if want := "GetSecret (GET /v1/accounts/{account_id}/secrets/{secret_id}): "; err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: err = %v, want it to start with %q", name, err, want)
		}
	}
	_, err = c.Accounts.GetUsage(ctx, nil)
	if want := "GetAccountUsage (GET /v1/accounts/{account_id}/billingUsage): invalid query parameter "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("a missing query parameter: err = %v, want it to start with %q", err, want)
	}
	if n := len(rt.Calls()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestErrorsShowThePathAsSent: an error's Path is the path as it went out,
// escaped, so that a secret id holding '?' reads as the one resource it
// named, not as a path with a query.
func TestErrorsShowThePathAsSent(t *testing.T) {
	rt := script(step{status: 404, body: `{"code":5,"message":"no"}`})
	c := newClient(t, rt)
	_, err := c.Secrets.Get(context.Background(), "s1?x=1", nil)
	var apiErr *api.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v", err)
	}
	sent := strings.TrimPrefix(rt.Calls()[0].url, testBaseURL)
	if want := "/v1/accounts/acct/secrets/s1%3Fx=1"; apiErr.Path != want || sent != want || !strings.Contains(err.Error(), want) {
		t.Errorf("Path %q, sent %q, error %q; want %q throughout", apiErr.Path, sent, err, want)
	}
}
