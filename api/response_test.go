package api_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// TestWithResponseIntoTellsWhatASuccessSaid: a 2xx call given
// WithResponseInto fills its status, headers, request id, path as sent
// and attempts (a retried call counts each), without Raw.
func TestWithResponseIntoTellsWhatASuccessSaid(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(
			step{status: 503, header: http.Header{"Retry-After-Ms": {"1"}}},
			step{status: 200, body: secretJSON, header: http.Header{"X-Request-Id": {"req-42"}, "X-Ratelimit-Remaining": {"9"}}},
		)
		c := newClient(t, rt)
		var resp api.Response
		secret, err := c.Secrets.Get(context.Background(), "sé", nil, api.WithResponseInto(&resp))
		if err != nil || secret == nil {
			t.Fatalf("Get: %v", err)
		}
		want := api.Response{StatusCode: 200, RequestID: "req-42", Method: "GET", Path: "/v1/accounts/acct/secrets/s%C3%A9", Attempts: 2}
		got := resp
		got.Header = nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("response = %+v, want %+v", got, want)
		}
		if resp.Header.Get("X-Ratelimit-Remaining") != "9" {
			t.Errorf("headers = %v", resp.Header)
		}
	})
}

// TestWithResponseIntoOnAnErrorAndWithoutAnAnswer: a non-2xx answer fills
// it too (as the *Error says); a call refused before sending leaves it as
// it was; a nil *Response is ignored.
func TestWithResponseIntoOnAnErrorAndWithoutAnAnswer(t *testing.T) {
	rt := script(step{status: 404, body: `{"code":5,"message":"no"}`, header: http.Header{"X-Request-Id": {"req-7"}}})
	c := newClient(t, rt)
	var resp api.Response
	_, err := c.Secrets.Get(context.Background(), "missing", nil, api.WithResponseInto(&resp))
	if !errors.Is(err, api.ErrNotFound) || resp.StatusCode != 404 || resp.RequestID != "req-7" || resp.Attempts != 1 {
		t.Errorf("err = %v, response = %+v", err, resp)
	}
	before := resp
	if _, err := c.Secrets.Get(context.Background(), "a/b", nil, api.WithResponseInto(&resp)); err == nil {
		t.Fatal("a bad id was sent")
	}
	if resp.StatusCode != before.StatusCode || resp.RequestID != before.RequestID {
		t.Errorf("a refused call changed the response: %+v", resp)
	}
	// A nil *Response: the call's answer (a 404 again) with no panic.
	if _, err := c.Secrets.Get(context.Background(), "s", nil, api.WithResponseInto(nil)); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("with WithResponseInto(nil): %v", err)
	}
}

// TestWithResponseIntoNeverHoldsTheKeyOrASecretValue: a server that
// echoes the API key and the secret value sent in headers is redacted in
// the Response, as in an Error.
func TestWithResponseIntoNeverHoldsTheKeyOrASecretValue(t *testing.T) {
	const value = "sk-the-secret-value-0123"
	rt := script(step{status: 200, body: secretJSON, header: http.Header{"X-Echo": {"Bearer " + testAPIKey + " " + value}, "X-Request-Id": {value}}})
	c := newClient(t, rt)
	var resp api.Response
	if _, err := c.Secrets.Update(context.Background(), "sec", gen.UpdateSecretBody{KeyName: "K", Value: api.Ptr(value)}, api.WithResponseInto(&resp)); err != nil {
		t.Fatal(err)
	}
	for name, vs := range resp.Header {
		for _, v := range vs {
			if strings.Contains(v, testAPIKey) || strings.Contains(v, value) {
				t.Errorf("header %s holds the key or the secret value", name)
			}
		}
	}
	if strings.Contains(resp.RequestID, value) {
		t.Error("the request id holds the secret value")
	}
}

// TestWithResponseIntoWithoutARequestID: an answer with no x-request-id
// leaves RequestID empty, and the rest filled.
func TestWithResponseIntoWithoutARequestID(t *testing.T) {
	c := newClient(t, script(step{status: 200, body: secretJSON}))
	var resp api.Response
	if _, err := c.Secrets.Get(context.Background(), "sec", nil, api.WithResponseInto(&resp)); err != nil {
		t.Fatal(err)
	}
	if resp.RequestID != "" || resp.StatusCode != 200 || resp.Attempts != 1 {
		t.Errorf("response = %+v", resp)
	}
}

// TestPtr: api.Ptr points at a copy of its argument.
func TestPtr(t *testing.T) {
	v := "x"
	p := api.Ptr(v)
	v = "y"
	if *p != "x" || *api.Ptr(3) != 3 {
		t.Errorf("Ptr = %q", *p)
	}
}
