package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
)

// countingServer is an httptest server that counts the TCP connections
// clients open to it.
func countingServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// loopbackClient returns a Client for srv with its own transport, closed
// with the test.
func loopbackClient(t *testing.T, srv *httptest.Server, opts ...api.ClientOption) *api.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := api.New(append([]api.ClientOption{
		api.WithAccount("acct"),
		api.WithAPIKey(testAPIKey),
		api.WithBaseURL(srv.URL),
		api.WithHTTPClient(&http.Client{Transport: tr}),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDiscardedResponsesAreDrainedAndConnectionReused: the bodies of
// responses that are retried are read to their end and closed, so that
// every attempt of every call goes over the same connection: a body that
// an error keeps whole, and one longer than what an error keeps but within
// the drain limit.
func TestDiscardedResponsesAreDrainedAndConnectionReused(t *testing.T) {
	for _, size := range []int{32 << 10, 100 << 10} {
		t.Run(fmt.Sprintf("%d KiB", size>>10), func(t *testing.T) {
			var n atomic.Int32
			srv, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) < 3 {
					w.Header().Set("Retry-After-Ms", "0")
					w.WriteHeader(http.StatusServiceUnavailable)
					_, _ = io.WriteString(w, `{"code":14,"message":"`+strings.Repeat("x", size)+`"}`)
					return
				}
				_, _ = io.WriteString(w, secretJSON)
			})
			c := loopbackClient(t, srv, api.WithoutRetryBudget())
			for range 3 {
				n.Store(0)
				if _, err := c.Secrets.Get(context.Background(), "sec", nil); err != nil {
					t.Fatal(err)
				}
			}
			if got := conns.Load(); got != 1 {
				t.Errorf("%d connections for 3 calls of 3 attempts each, want 1", got)
			}
		})
	}
	if 100<<10 <= api.MaxErrorBody {
		t.Error("the second body must be longer than what an error keeps")
	}
}

// TestKeyIsSentOnlyToTheBaseOrigin: a redirect to another host, port or
// scheme arrives without the API key; one on the same origin keeps it.
func TestKeyIsSentOnlyToTheBaseOrigin(t *testing.T) {
	var otherGotAuth atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherGotAuth.Store(r.Header.Get("Authorization"))
		_, _ = io.WriteString(w, secretJSON)
	}))
	defer other.Close()

	var sameGotAuth atomic.Value
	base := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/accounts/acct/secrets/away":
			http.Redirect(w, r, other.URL+"/v1/accounts/acct/secrets/sec", http.StatusTemporaryRedirect)
		case "/v1/accounts/acct/secrets/home":
			http.Redirect(w, r, "/v1/accounts/acct/secrets/landed", http.StatusTemporaryRedirect)
		default:
			sameGotAuth.Store(r.Header.Get("Authorization"))
			_, _ = io.WriteString(w, secretJSON)
		}
	}))
	defer base.Close()

	c := loopbackClient(t, base)
	if _, err := c.Secrets.Get(context.Background(), "away", nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := otherGotAuth.Load().(string); got != "" {
		t.Error("the API key was sent to another origin through a redirect")
	}
	if _, err := c.Secrets.Get(context.Background(), "home", nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := sameGotAuth.Load().(string); got != "Bearer "+testAPIKey {
		t.Error("a same-origin redirect lost the API key")
	}
}

// TestCallerHTTPClientKeepsWorkingAndIsNotModified: the caller's transport
// sees every attempt, and its client's CheckRedirect is left alone.
func TestCallerHTTPClientKeepsWorkingAndIsNotModified(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, secretJSON)
	}))
	defer srv.Close()
	var traced atomic.Int32
	base := srv.Client().Transport
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		traced.Add(1)
		return base.RoundTrip(r)
	})}
	c, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(srv.URL), api.WithHTTPClient(hc), api.WithAccount("acct"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Secrets.Get(context.Background(), "sec", nil); err != nil {
		t.Fatal(err)
	}
	if traced.Load() != 1 {
		t.Errorf("the caller's transport saw %d requests, want 1", traced.Load())
	}
	if hc.CheckRedirect != nil {
		t.Error("the caller's http.Client was modified")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestRealConnectionFailures: a refused connection is retried for a POST
// (nothing was sent); a connection reset after the request is not.
func TestRealConnectionFailures(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now: connections are refused

	c := loopbackClient(t, &httptest.Server{URL: "http://" + addr}, api.WithoutRetryBudget())
	ctx := context.Background()
	_, err = c.Secrets.Create(ctx, createBody(), api.WithMaxRetries(1))
	var te *api.TransportError
	if !errors.As(err, &te) || te.Attempts != 2 {
		t.Fatalf("refused: err = %v, want a TransportError after 2 attempts", err)
	}

	var hits atomic.Int32
	reset := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		conn, _, _ := w.(http.Hijacker).Hijack()
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with RST
		}
		_ = conn.Close()
	}))
	defer reset.Close()
	c = loopbackClient(t, reset, api.WithoutRetryBudget())
	_, err = c.Secrets.Create(ctx, createBody(), api.WithMaxRetries(1), api.WithTimeout(5e9))
	if !errors.As(err, &te) || hits.Load() != 1 {
		t.Fatalf("reset: err = %v after %d requests, want a TransportError after 1", err, hits.Load())
	}
}
