package api

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// The internal tests (package api) cannot use fakes_test.go, which is in
// package api_test; this is the little of it they need.

const (
	internalTestKey     = "fw-internal-test-key-0123456789"
	internalTestBaseURL = "https://api.fireworks.test"
)

// roundTripFunc adapts a function to http.RoundTripper: an in-memory
// server, so that retry waits run on synctest's fake clock.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// answer is a response of status with header and body to req.
func answer(req *http.Request, status int, header http.Header, body []byte) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: header,
		Body: io.NopCloser(bytes.NewReader(body)), Request: req}
}

// newInternalClient returns a Client that sends through rt, with the test
// key.
func newInternalClient(t testing.TB, rt http.RoundTripper, opts ...ClientOption) *Client {
	t.Helper()
	c, err := New(append([]ClientOption{
		WithAPIKey(internalTestKey),
		WithBaseURL(internalTestBaseURL),
		WithAccount("acct"),
		WithHTTPClient(&http.Client{Transport: rt}),
	}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}
