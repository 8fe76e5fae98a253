package api

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestAnAttemptWritesIntoTheSDKsOwnRequestOnlyOnItsFirstAttempt: the first
// attempt of a request that the SDK built and no code of the caller has
// seen takes the key and the User-Agent into the request's own header map
// (a copy less per call). A request the caller's code has seen, a later
// attempt (the transport may still be writing an abandoned attempt's
// headers) and a Client with custom headers (which must stay out of the
// request an error keeps) get a copy, and the request keeps its headers.
// Every attempt carries the SDK's headers and the request's own.
func TestAnAttemptWritesIntoTheSDKsOwnRequestOnlyOnItsFirstAttempt(t *testing.T) {
	p := &pipeline{userAgent: []string{"fireworks-test/1"}}
	auth := []string{"Bearer fw-test-key-0123456789"}
	for _, tc := range []struct {
		name    string
		own     bool
		attempt int
		custom  http.Header
		inPlace bool
	}{
		{"the SDK's own request, first attempt", true, 1, nil, true},
		{"the SDK's own request, a retry", true, 2, nil, false},
		{"a request the caller's code has seen", false, 1, nil, false},
		{"the SDK's own request, custom headers", true, 1, http.Header{"X-Team": {"ml"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1:8080/v1/accounts/a/secrets/s", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Accept", "application/json")
			d := &destination{headers: tc.custom}
			r, cancel, _, err := p.newAttempt(context.Background(), req, tc.attempt, time.Now().Add(time.Minute), d, auth, tc.own)
			if err != nil {
				t.Fatal(err)
			}
			cancel()
			if r.Header.Get("Authorization") != auth[0] || r.Header.Get("User-Agent") != "fireworks-test/1" || r.Header.Get("Accept") != "application/json" {
				t.Errorf("the attempt's headers are %v", r.Header)
			}
			if tc.custom != nil && r.Header.Get("X-Team") != "ml" {
				t.Error("the attempt lacks the custom header")
			}
			if wrote := req.Header.Get("Authorization") != ""; wrote != tc.inPlace {
				t.Errorf("the key written into the request: %v, want %v", wrote, tc.inPlace)
			}
			if !tc.inPlace && len(req.Header) != 1 {
				t.Errorf("the request's headers became %v", req.Header)
			}
		})
	}
}
