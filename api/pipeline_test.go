package api_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
)

// waits returns the time between consecutive attempts.
func waits(calls []call) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(calls); i++ {
		out = append(out, calls[i].at.Sub(calls[i-1].at))
	}
	return out
}

// TestBackoffIsExponentialWithJitter: without Retry-After, the n-th retry
// waits min(0.5 s * 2^n, 8 s) less up to 25 % jitter.
func TestBackoffIsExponentialWithJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{status: 503})
		c := newClient(t, rt, api.WithMaxRetries(6), api.WithoutRetryBudget())
		_, err := c.Secrets.Get(context.Background(), "sec", nil)
		if !errors.Is(err, api.ErrUnavailable) {
			t.Fatalf("err = %v, want ErrUnavailable", err)
		}
		ceilings := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}
		got := waits(rt.Calls())
		if len(got) != len(ceilings) {
			t.Fatalf("%d retries, want %d", len(got), len(ceilings))
		}
		for i, w := range got {
			if w > ceilings[i] || w < ceilings[i]*3/4 {
				t.Errorf("retry %d waited %v, want within [%v, %v]", i, w, ceilings[i]*3/4, ceilings[i])
			}
		}
	})
}

// TestServerRequestedWaitIsHonoured: retry-after-ms, Retry-After in seconds
// and Retry-After as an HTTP date each set the wait exactly.
func TestServerRequestedWaitIsHonoured(t *testing.T) {
	cases := []struct {
		name   string
		header func(now time.Time) http.Header
		want   time.Duration
	}{
		{"retry-after-ms", func(time.Time) http.Header { return http.Header{"Retry-After-Ms": {"1500"}} }, 1500 * time.Millisecond},
		{"retry-after-ms wins over Retry-After", func(time.Time) http.Header {
			return http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"30"}}
		}, 250 * time.Millisecond},
		{"Retry-After seconds", func(time.Time) http.Header { return http.Header{"Retry-After": {"3"}} }, 3 * time.Second},
		{"Retry-After HTTP date", func(now time.Time) http.Header {
			return http.Header{"Retry-After": {now.Add(7 * time.Second).UTC().Format(http.TimeFormat)}}
		}, 7 * time.Second},
		{"Retry-After date in the past means now", func(now time.Time) http.Header {
			return http.Header{"Retry-After": {now.Add(-time.Hour).UTC().Format(http.TimeFormat)}}
		}, 0},
		{"Retry-After 0", func(time.Time) http.Header { return http.Header{"Retry-After": {"0"}} }, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rt := script(step{status: 429, header: tc.header(time.Now())}, step{status: 200, body: secretJSON})
				c := newClient(t, rt)
				secret, err := c.Secrets.Get(context.Background(), "sec", nil)
				if err != nil {
					t.Fatal(err)
				}
				if secret.KeyName != "API_KEY" {
					t.Fatalf("response not decoded: %+v", secret)
				}
				if w := waits(rt.Calls()); len(w) != 1 || w[0] != tc.want {
					t.Errorf("waited %v, want [%v]", w, tc.want)
				}
			})
		})
	}
}

// TestServerWaitAboveCapIsNotRetried: a server that asks for longer than
// the cap gets its error back at once, with the wait it asked for.
func TestServerWaitAboveCapIsNotRetried(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []api.ClientOption
		ask  string
	}{
		{"default cap of 60s", nil, "61"},
		{"WithMaxRetryWait(5s)", []api.ClientOption{api.WithMaxRetryWait(5 * time.Second)}, "10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rt := script(step{status: 429, header: http.Header{"Retry-After": {tc.ask}}})
				c := newClient(t, rt, tc.opts...)
				start := time.Now()
				_, err := c.Secrets.Get(context.Background(), "sec", nil)
				var apiErr *api.Error
				if !errors.As(err, &apiErr) || !errors.Is(err, api.ErrRateLimited) {
					t.Fatalf("err = %v, want a rate-limited *api.Error", err)
				}
				if len(rt.Calls()) != 1 || time.Since(start) != 0 {
					t.Errorf("%d attempts over %v, want 1 attempt at once", len(rt.Calls()), time.Since(start))
				}
				if want, _ := time.ParseDuration(tc.ask + "s"); apiErr.RetryAfter != want {
					t.Errorf("RetryAfter = %v, want %v", apiErr.RetryAfter, want)
				}
			})
		})
	}
}

// TestWaitPastDeadlineIsNotStarted: when the wait would end after the
// context's deadline, the last result comes back at once.
func TestWaitPastDeadlineIsNotStarted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{status: 503, header: http.Header{"Retry-After": {"5"}}})
		c := newClient(t, rt)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		start := time.Now()
		_, err := c.Secrets.Get(ctx, "sec", nil)
		var apiErr *api.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
			t.Fatalf("err = %v, want the 503 *api.Error", err)
		}
		if len(rt.Calls()) != 1 || time.Since(start) != 0 {
			t.Errorf("%d attempts over %v, want 1 attempt and no wait", len(rt.Calls()), time.Since(start))
		}
	})
}

// TestCancellationEndsWaitAtOnce: cancelling the context during a backoff
// returns at that moment, with both the cancellation and the last response.
func TestCancellationEndsWaitAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{status: 503, header: http.Header{"Retry-After": {"30"}}})
		c := newClient(t, rt)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(3*time.Second, cancel)
		start := time.Now()
		_, err := c.Secrets.Get(ctx, "sec", nil)
		if took := time.Since(start); took != 3*time.Second {
			t.Errorf("returned after %v, want 3s (the moment of cancellation)", took)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		var apiErr *api.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
			t.Errorf("err = %v, want it to keep the last 503 response", err)
		}
		if len(rt.Calls()) != 1 {
			t.Errorf("%d attempts, want 1", len(rt.Calls()))
		}
	})
}

// TestCallerDeadlineIsNotRetried: the caller's own deadline ends the call;
// it is not an attempt timeout to retry.
func TestCallerDeadlineIsNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{hang: true})
		c := newClient(t, rt)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := c.Secrets.Get(ctx, "sec", nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want DeadlineExceeded", err)
		}
		var te *api.TransportError
		if !errors.As(err, &te) || te.Attempts != 1 || len(rt.Calls()) != 1 {
			t.Errorf("err = %v after %d calls, want one attempt", err, len(rt.Calls()))
		}
	})
}

// TestPerAttemptTimeout: each attempt is bounded by WithTimeout (default
// 60 s), an idempotent call is retried after it, and CallTimeout overrides
// it for one call.
func TestPerAttemptTimeout(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    []api.ClientOption
		editors []api.Option
		want    time.Duration
	}{
		{"default 60s", nil, nil, 60 * time.Second},
		{"WithTimeout", []api.ClientOption{api.WithTimeout(2 * time.Second)}, nil, 2 * time.Second},
		{"CallTimeout overrides WithTimeout", []api.ClientOption{api.WithTimeout(2 * time.Second)}, []api.Option{api.WithTimeout(500 * time.Millisecond)}, 500 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rt := script(step{hang: true}, step{status: 200, body: secretJSON})
				c := newClient(t, rt, tc.opts...)
				_, err := c.Secrets.Get(context.Background(), "sec", nil, tc.editors...)
				if err != nil {
					t.Fatalf("err = %v, want the second attempt's answer", err)
				}
				calls := rt.Calls()
				if len(calls) != 2 {
					t.Fatalf("%d attempts, want 2", len(calls))
				}
				// The first attempt hung until its timeout; then a backoff of
				// at most 0.5 s.
				if w := waits(calls)[0]; w < tc.want+375*time.Millisecond || w > tc.want+500*time.Millisecond {
					t.Errorf("second attempt %v after the first, want the timeout %v plus a backoff", w, tc.want)
				}
			})
		})
	}
}

// TestCallMaxRetriesOverridesClient: per-call max retries win over the
// client's, both up and down.
func TestCallMaxRetriesOverridesClient(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    []api.ClientOption
		editors []api.Option
		want    int
	}{
		{"default 2 retries", nil, nil, 3},
		{"WithMaxRetries(0)", []api.ClientOption{api.WithMaxRetries(0)}, nil, 1},
		{"CallMaxRetries(4) over WithMaxRetries(0)", []api.ClientOption{api.WithMaxRetries(0)}, []api.Option{api.WithMaxRetries(4)}, 5},
		{"CallMaxRetries(0)", nil, []api.Option{api.WithMaxRetries(0)}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rt := script(step{status: 500})
				c := newClient(t, rt, append(tc.opts, api.WithoutRetryBudget())...)
				_, err := c.Secrets.Get(context.Background(), "sec", nil, tc.editors...)
				var apiErr *api.Error
				if !errors.As(err, &apiErr) || apiErr.Attempts != tc.want || len(rt.Calls()) != tc.want {
					t.Errorf("err = %v after %d calls, want %d attempts", err, len(rt.Calls()), tc.want)
				}
			})
		})
	}
}

// TestBodyIsReplayedOnRetry: every attempt of a PATCH sends the same body,
// rewound through GetBody.
func TestBodyIsReplayedOnRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{status: 429}, step{status: 503, header: http.Header{"Retry-After": {"1"}}}, step{status: 200, body: secretJSON})
		c := newClient(t, rt)
		if _, err := updateSecret(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		calls := rt.Calls()
		if len(calls) != 3 {
			t.Fatalf("%d attempts, want 3", len(calls))
		}
		for i, cl := range calls {
			if cl.body != calls[0].body || !strings.Contains(cl.body, `"keyName":"API_KEY"`) {
				t.Errorf("attempt %d sent another body than attempt 1 (%d bytes vs %d)", i+1, len(cl.body), len(calls[0].body))
			}
		}
	})
}

// TestUnrewindableBodyIsSentOnce: a body without GetBody cannot be
// replayed, so the request is not retried even on a 429.
func TestUnrewindableBodyIsSentOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{status: 429}, step{status: 200, body: secretJSON})
		c := newClient(t, rt)
		// An io.MultiReader is not a type http.NewRequest knows how to rewind.
		body := ioMultiReader(`{"keyName":"API_KEY"}`)
		_, err := c.Raw().UpdateSecretWithBody(context.Background(), "acct", "sec", "application/json", body)
		if !errors.Is(err, api.ErrRateLimited) {
			t.Fatalf("err = %v, want the 429", err)
		}
		if n := len(rt.Calls()); n != 1 {
			t.Errorf("%d attempts, want 1", n)
		}
	})
}

// TestCallerRequestIsNotModified: the request that the caller's code sees
// (a middleware's, or a raw client's request editor's, which may keep it)
// keeps its headers; credentials and the SDK's headers go only on the
// attempt's copy.
func TestCallerRequestIsNotModified(t *testing.T) {
	for name, call := range map[string]func(t *testing.T, rt *scriptedTransport) *http.Request{
		"a middleware": func(t *testing.T, rt *scriptedTransport) *http.Request {
			var seen *http.Request
			c := newClient(t, rt, api.WithMiddleware(func(next api.Doer) api.Doer {
				return api.DoerFunc(func(req *http.Request) (*http.Response, error) {
					seen = req
					return next.Do(req)
				})
			}))
			if _, err := updateSecret(context.Background(), c); err != nil {
				t.Fatal(err)
			}
			return seen
		},
		"a request editor": func(t *testing.T, rt *scriptedTransport) *http.Request {
			var kept *http.Request
			keep := func(_ context.Context, req *http.Request) error { kept = req; return nil }
			if _, err := newClient(t, rt).Raw().GetSecretWithResponse(context.Background(), "acct", "sec", nil, keep); err != nil {
				t.Fatal(err)
			}
			return kept
		},
	} {
		t.Run(name, func(t *testing.T) {
			rt := script(step{status: 200, body: secretJSON})
			seen := call(t, rt)
			if seen.Header.Get("Authorization") != "" || seen.Header.Get("User-Agent") != "" {
				t.Errorf("the caller's request was given headers: %v", headerNames(seen.Header))
			}
			if got := rt.Calls()[0].header.Get("Authorization"); got != "Bearer "+testAPIKey {
				t.Error("the attempt did not carry the API key")
			}
		})
	}
}

// TestEveryAttemptCarriesTheKeyAndTheUserAgent: a service call's first
// attempt writes the SDK's headers into the request the SDK built; the
// retries, which copy them, carry the same.
func TestEveryAttemptCarriesTheKeyAndTheUserAgent(t *testing.T) {
	retry := http.Header{"Retry-After-Ms": {"0"}}
	rt := script(step{status: 503, header: retry}, step{status: 503, header: retry}, step{status: 200, body: secretJSON})
	c := newClient(t, rt, api.WithoutRetryBudget())
	if _, err := c.Secrets.Get(context.Background(), "sec", nil); err != nil {
		t.Fatal(err)
	}
	calls := rt.Calls()
	if len(calls) != 3 {
		t.Fatalf("%d attempts, want 3", len(calls))
	}
	for i, call := range calls {
		if call.header.Get("Authorization") != "Bearer "+testAPIKey || call.header.Get("User-Agent") != calls[0].header.Get("User-Agent") || call.header.Get("User-Agent") == "" {
			t.Errorf("attempt %d: headers %v, want the key and the first attempt's User-Agent", i+1, headerNames(call.header))
		}
	}
}

// TestCustomHeadersStayOutOfAnErrorsRequest: FIREWORKS_CUSTOM_HEADERS's
// headers (a proxy's token, say) go with the attempts, never into the
// request an *Error keeps.
func TestCustomHeadersStayOutOfAnErrorsRequest(t *testing.T) {
	t.Setenv(api.EnvCustomHeaders, "X-Proxy-Token: tok-0123456789")
	rt := script(step{status: 404, body: `{"code":5,"message":"not found"}`})
	c := newClient(t, rt)
	_, err := c.Secrets.Get(context.Background(), "sec", nil)
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Response == nil || apiErr.Response.Request == nil {
		t.Fatalf("err = %v, want an *api.Error with its request", err)
	}
	if got := apiErr.Response.Request.Header; got.Get("X-Proxy-Token") != "" || got.Get("Authorization") != "" {
		t.Errorf("the error's request carries %v", headerNames(got))
	}
	if rt.Calls()[0].header.Get("X-Proxy-Token") != "tok-0123456789" {
		t.Error("the attempt did not carry the custom header")
	}
}

func headerNames(h http.Header) []string {
	var names []string
	for k := range h {
		names = append(names, k)
	}
	return names
}

func ioMultiReader(s string) io.Reader { return io.MultiReader(strings.NewReader(s)) }
