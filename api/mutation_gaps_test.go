package api_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// The tests of this file close the gaps that mutation testing found
// (docs/mutation.md): each fails under a mutant that the rest of the
// suite let live.

// offOrigin are URLs that are not on testBaseURL's origin
// (https://api.fireworks.test, port 443), each differing in one part.
var offOrigin = []struct{ name, url string }{
	{"another host", "https://evil.test/v1/accounts/acct/secrets/sec"},
	{"a host that only starts like the base", "https://api.fireworks.test.evil.test/v1/accounts/acct/secrets/sec"},
	{"a subdomain", "https://x.api.fireworks.test/v1/accounts/acct/secrets/sec"},
	{"another scheme, same host and port", "http://api.fireworks.test:443/v1/accounts/acct/secrets/sec"},
	{"another scheme and its default port", "http://api.fireworks.test/v1/accounts/acct/secrets/sec"},
	{"another port", "https://api.fireworks.test:8443/v1/accounts/acct/secrets/sec"},
}

// onOrigin are URLs on testBaseURL's origin, written differently.
var onOrigin = []struct{ name, url string }{
	{"the default port made explicit", "https://api.fireworks.test:443/v1/accounts/acct/secrets/sec"},
	{"the host in upper case", "https://API.Fireworks.TEST/v1/accounts/acct/secrets/sec"},
	{"another path and a query", "https://api.fireworks.test/v1/accounts/acct/secrets/other?readMask=name"},
}

// pointAt returns a copy of req sent to target instead.
func pointAt(t *testing.T, req *http.Request, target string) *http.Request {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	r := req.Clone(req.Context())
	r.URL, r.Host = u, ""
	return r
}

// sendPointedAt makes a GetSecret call whose request a middleware, or a
// request editor of the raw client, points at target.
func sendPointedAt(t *testing.T, rt http.RoundTripper, how, target string) error {
	ctx := context.Background()
	switch how {
	case "middleware":
		c := newClient(t, rt, api.WithMiddleware(func(next api.Doer) api.Doer {
			return api.DoerFunc(func(req *http.Request) (*http.Response, error) {
				return next.Do(pointAt(t, req, target))
			})
		}))
		_, err := c.Secrets.Get(ctx, "sec", nil)
		return err
	case "request editor":
		c := newClient(t, rt)
		_, err := c.Raw().GetSecretWithResponse(ctx, "acct", "sec", nil, func(_ context.Context, req *http.Request) error {
			*req = *pointAt(t, req, target)
			return nil
		})
		return err
	}
	panic(how)
}

// TestOffOriginRequestsAreRefusedBeforeTheKeyIsSent: a middleware or a
// request editor that points a call at another scheme, host or port gets
// a *TransportError, and nothing is sent: the API key never leaves for an
// origin the caller did not configure.
func TestOffOriginRequestsAreRefusedBeforeTheKeyIsSent(t *testing.T) {
	for _, how := range []string{"middleware", "request editor"} {
		for _, tc := range offOrigin {
			t.Run(how+"/"+tc.name, func(t *testing.T) {
				rt := script(step{status: 200, body: secretJSON})
				err := sendPointedAt(t, rt, how, tc.url)
				if n := len(rt.Calls()); n != 0 {
					t.Fatalf("%d requests sent to %s, want none", n, tc.url)
				}
				var te *api.TransportError
				if !errors.As(err, &te) || te.Attempts != 0 {
					t.Fatalf("err = %v, want a *api.TransportError after 0 attempts", err)
				}
				if !strings.Contains(err.Error(), "not sending the API key") {
					t.Errorf("err = %v, want it to say why nothing was sent", err)
				}
				if strings.Contains(err.Error(), testAPIKey) {
					t.Error("the error holds the API key")
				}
			})
		}
	}
}

// TestOnOriginRequestsCarryTheKey: the same origin written another way
// (the default port explicit, the host's case) is the base's: the call is
// sent, with the key.
func TestOnOriginRequestsCarryTheKey(t *testing.T) {
	for _, how := range []string{"middleware", "request editor"} {
		for _, tc := range onOrigin {
			t.Run(how+"/"+tc.name, func(t *testing.T) {
				rt := script(step{status: 200, body: secretJSON})
				if err := sendPointedAt(t, rt, how, tc.url); err != nil {
					t.Fatalf("err = %v, want the answer", err)
				}
				calls := rt.Calls()
				if len(calls) != 1 || calls[0].header.Get("Authorization") != "Bearer "+testAPIKey {
					t.Errorf("%d requests; want 1, with the API key", len(calls))
				}
			})
		}
	}
}

// TestRedirectsCarryTheKeyOnlyToTheBaseOrigin: a redirect to another
// scheme, host or port is followed without the API key; one to the same
// origin, however written, keeps it. net/http itself forwards the header
// to another port, another scheme and a subdomain of the same host: there
// only the Client's guard removes it.
func TestRedirectsCarryTheKeyOnlyToTheBaseOrigin(t *testing.T) {
	type redirect struct {
		name, url string
		keepsKey  bool
	}
	var cases []redirect
	for _, tc := range offOrigin {
		cases = append(cases, redirect{tc.name, tc.url, false})
	}
	for _, tc := range onOrigin {
		if tc.url != strings.ToLower(tc.url) {
			// net/http compares host names case-sensitively, and drops
			// the header itself: safe, and not the guard's doing.
			continue
		}
		cases = append(cases, redirect{tc.name, tc.url, true})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := script(step{status: http.StatusTemporaryRedirect, header: http.Header{"Location": {tc.url}}}, step{status: 200, body: secretJSON})
			c := newClient(t, rt)
			if _, err := c.Secrets.Get(context.Background(), "sec", nil); err != nil {
				t.Fatal(err)
			}
			calls := rt.Calls()
			if len(calls) != 2 || calls[1].url != tc.url {
				t.Fatalf("%d requests, want the redirect followed to %s", len(calls), tc.url)
			}
			if got := calls[1].header.Get("Authorization") != ""; got != tc.keepsKey {
				t.Errorf("the redirected request carries the API key: %v, want %v", got, tc.keepsKey)
			}
		})
	}
}

// TestPlainHTTPNeedsALoopbackHost: New refuses plain http to anything but
// a loopback address or localhost (an IP literal of a private network
// too), and accepts https to any host. Nothing is sent: New makes no
// request.
func TestPlainHTTPNeedsALoopbackHost(t *testing.T) {
	for _, base := range []string{
		"http://10.0.0.5",
		"http://10.0.0.5:8080",
		"http://192.168.1.10",
		"http://[fd00::5]:8080",
		"http://[::ffff:10.0.0.5]",
		"http://0.0.0.0:8080",
		"http://[::]:8080",
		"http://127.0.0.1.nip.test",
		"http://localhost.evil.test",
		"http://api.fireworks.ai",
	} {
		_, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(base))
		if err == nil || !strings.Contains(err.Error(), "plain http") {
			t.Errorf("%s: err = %v, want plain http refused", base, err)
		}
	}
	for _, base := range []string{
		"http://127.0.0.1",
		"http://127.8.9.10:99",
		"http://[::1]:8080",
		"http://[::ffff:127.0.0.1]:8080",
		"http://localhost",
		"http://LOCALHOST:80",
		"https://10.0.0.5",
		"https://[fd00::5]:8443",
	} {
		if _, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(base)); err != nil {
			t.Errorf("%s: %v", base, err)
		}
	}
}

// TestBackoffJitterSpreadsTheWaits: over many retries, the waits are
// spread over the quarter below each ceiling, not all at (or near) it, so
// that clients that failed together do not retry together. All at the
// ceiling, or all within a tenth of it, has a chance below 1e-15.
func TestBackoffJitterSpreadsTheWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const retries = 40
		rt := script(step{status: 503})
		c := newClient(t, rt, api.WithMaxRetries(retries), api.WithoutRetryBudget())
		if _, err := c.Secrets.Get(context.Background(), "sec", nil); !errors.Is(err, api.ErrUnavailable) {
			t.Fatalf("err = %v, want ErrUnavailable", err)
		}
		got := waits(rt.Calls())
		if len(got) != retries {
			t.Fatalf("%d retries, want %d", len(got), retries)
		}
		lowest, highest := 1.0, 0.0
		distinct := map[time.Duration]bool{}
		for i, w := range got {
			ceiling := min(500*time.Millisecond<<min(i, 5), 8*time.Second)
			if w > ceiling || w < ceiling*3/4 {
				t.Errorf("retry %d waited %v, want within [%v, %v]", i, w, ceiling*3/4, ceiling)
			}
			r := float64(w) / float64(ceiling)
			lowest, highest = min(lowest, r), max(highest, r)
			distinct[w] = true
		}
		if lowest > 0.9 {
			t.Errorf("every wait is within 10 %% of its ceiling (lowest %.3f of it): no jitter", lowest)
		}
		if highest < 0.85 {
			t.Errorf("no wait comes within 15 %% of its ceiling (highest %.3f of it): the jitter is off", highest)
		}
		if len(distinct) < retries/2 {
			t.Errorf("%d distinct waits in %d retries", len(distinct), retries)
		}
	})
}

// TestFinalAnswersLeaveTheRetryBudgetAlone: answers that no retry can
// change (404) take nothing from the retry budget, however many: with a
// budget that has room for one retry, a 503 after fifty 404s is still
// retried. The next 503 is not, which shows the budget is that small.
func TestFinalAnswersLeaveTheRetryBudgetAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const notFound = 50
		var steps []step
		for range notFound {
			steps = append(steps, step{status: 404, body: `{"code":5}`})
		}
		steps = append(steps, step{status: 503}, step{status: 200, body: secretJSON}, step{status: 503})
		rt := script(steps...)
		// A floor of one retry (0.1 a second, banked for 10 s), and 1 %
		// of the calls: 50 calls add half a retry.
		c := newClient(t, rt, api.WithRetryBudget(api.RetryBudget{Percent: 1, MinPerSecond: 0.1, Window: 10 * time.Second}))
		ctx := context.Background()
		for i := range notFound {
			if _, err := c.Secrets.Get(ctx, "sec", nil); !errors.Is(err, api.ErrNotFound) {
				t.Fatalf("call %d: err = %v, want ErrNotFound", i+1, err)
			}
		}
		if _, err := c.Secrets.Get(ctx, "sec", nil); err != nil {
			t.Fatalf("the 503 after %d 404s was not retried: %v", notFound, err)
		}
		if n := len(rt.Calls()); n != notFound+2 {
			t.Fatalf("%d requests, want %d", n, notFound+2)
		}
		_, err := c.Secrets.Get(ctx, "sec", nil)
		var apiErr *api.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Attempts != 1 {
			t.Errorf("err = %v, want the 503 unretried: the budget is spent", err)
		}
	})
}

// TestAttemptTimeoutAppliesUnderALongerCallerDeadline: a caller's
// deadline longer than WithTimeout does not replace the per-attempt
// timeout: a hung attempt is cut at 2 s and retried, not left until the
// caller's deadline.
func TestAttemptTimeoutAppliesUnderALongerCallerDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{hang: true}, step{status: 200, body: secretJSON})
		c := newClient(t, rt, api.WithTimeout(2*time.Second))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		start := time.Now()
		if _, err := c.Secrets.Get(ctx, "sec", nil); err != nil {
			t.Fatalf("err = %v after %v, want the second attempt's answer", err, time.Since(start))
		}
		calls := rt.Calls()
		if len(calls) != 2 {
			t.Fatalf("%d attempts, want 2", len(calls))
		}
		if w := waits(calls)[0]; w < 2*time.Second+375*time.Millisecond || w > 2*time.Second+500*time.Millisecond {
			t.Errorf("second attempt %v after the first, want the 2 s timeout plus a backoff", w)
		}
	})
}

// TestDiscardedBodiesWithinTheDrainLimitKeepTheirConnection: a retried
// answer's body longer than the part kept for an error (64 KiB), but
// within the drain limit, is read to its end, so that every attempt of
// every call goes over one connection.
func TestDiscardedBodiesWithinTheDrainLimitKeepTheirConnection(t *testing.T) {
	const size = 100 << 10
	if size <= api.MaxErrorBody {
		t.Fatal("the body must be longer than what an error keeps")
	}
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
}

// TestDiscardedBodiesPastTheDrainLimitAreClosedUnread: a retried answer
// with a huge body is not read to its end (at most the drain limit past
// what an error keeps, and what the sockets buffer), and its connection
// is closed at once, not left open with the body pending. Under a caller
// deadline shorter than the per-attempt timeout, the attempt has no
// context of its own to cancel: closing the body is then all that frees
// the connection.
func TestDiscardedBodiesPastTheDrainLimitAreClosedUnread(t *testing.T) {
	for _, tc := range []struct {
		name           string
		callerDeadline time.Duration // 0: none
	}{
		{"with the per-attempt timeout", 0},
		{"under a caller deadline shorter than the attempt timeout", 2 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.callerDeadline > 0 {
				// Cancelled at the end of the test, after the checks: its
				// end would close the connections too.
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.callerDeadline)
				defer cancel()
			}
			checkHugeDiscardedBodies(t, ctx, api.WithTimeout(10*time.Minute))
		})
	}
}

func checkHugeDiscardedBodies(t *testing.T, ctx context.Context, opts ...api.Option) {
	const (
		huge  = 64 << 20
		chunk = 32 << 10
	)
	var n atomic.Int32
	var written [2]atomic.Int64 // by each discarded answer
	srv := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		if i > 2 {
			_, _ = io.WriteString(w, secretJSON)
			return
		}
		w.Header().Set("Retry-After-Ms", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
		buf := []byte(strings.Repeat("x", chunk))
		for written[i-1].Load() < huge {
			if _, err := w.Write(buf); err != nil {
				return // the client closed the connection
			}
			written[i-1].Add(chunk)
		}
	})
	c := loopbackClient(t, srv.Server, append(opts, api.WithoutRetryBudget())...)
	if _, err := c.Secrets.Get(ctx, "sec", nil); err != nil {
		t.Fatal(err)
	}
	if got := srv.opened.Load(); got != 3 {
		t.Errorf("%d connections for 3 attempts, want 3: a connection whose body was left unread is not reused", got)
	}
	// Both discarded answers' connections are closed by the client.
	deadline := time.Now().Add(10 * time.Second)
	for srv.closed.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := srv.closed.Load(); got < 2 {
		t.Errorf("%d of the 2 discarded answers' connections closed after 10 s: a body was not closed", got)
	}
	for i := range written {
		if got := written[i].Load(); got >= huge/2 {
			t.Errorf("discarded answer %d: the server wrote %d MiB of %d before the client stopped reading", i+1, got>>20, huge>>20)
		}
	}
}

// connCountingServer is an httptest server that counts the connections
// opened and closed.
type connCountingServer struct {
	*httptest.Server
	opened, closed atomic.Int32
}

func newCountingServer(t *testing.T, h http.HandlerFunc) *connCountingServer {
	t.Helper()
	s := &connCountingServer{Server: httptest.NewUnstartedServer(h)}
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			s.opened.Add(1)
		case http.StateClosed, http.StateHijacked:
			s.closed.Add(1)
		}
	}
	s.Start()
	// Close the connections first: a handler blocked writing to a client
	// that never reads (the bug this guards against) would otherwise
	// block Close for ever.
	t.Cleanup(func() { s.CloseClientConnections(); s.Close() })
	return s
}

// TestErrorCodesAtTheEdgesOfTheTable: the google.rpc code numbers at and
// just past the ends of the table, as numbers and as strings (a string
// that is not a JSON number, "+16" or "016", is read by the string path),
// and the nested {"error":{"code":...}} shape.
func TestErrorCodesAtTheEdgesOfTheTable(t *testing.T) {
	cases := []struct {
		body string
		want api.Code
		is   error
	}{
		{`{"code":16}`, api.CodeUnauthenticated, api.ErrUnauthenticated},
		{`{"code":17}`, "", nil},
		{`{"code":1}`, api.CodeCancelled, nil},
		{`{"code":0}`, "", nil},
		{`{"code":"16"}`, api.CodeUnauthenticated, api.ErrUnauthenticated},
		{`{"code":"+16"}`, api.CodeUnauthenticated, api.ErrUnauthenticated},
		{`{"code":"016"}`, api.CodeUnauthenticated, api.ErrUnauthenticated},
		{`{"code":"+17"}`, "", nil},
		{`{"code":"017"}`, "", nil},
		{`{"code":"+1"}`, api.CodeCancelled, nil},
		{`{"code":"+0"}`, "", nil},
		{`{"error":{"code":7}}`, api.CodePermissionDenied, api.ErrPermissionDenied},
		{`{"error":{"code":"7"}}`, api.CodePermissionDenied, api.ErrPermissionDenied},
		{`{"error":{"code":17}}`, "", nil},
		{`{"error":{"code":17,"status":"NOT_FOUND"}}`, api.CodeNotFound, api.ErrNotFound},
		{`{"error":{"code":7,"status":"NOT_FOUND"}}`, api.CodePermissionDenied, api.ErrPermissionDenied},
		{`{"code":5,"error":{"code":7}}`, api.CodeNotFound, api.ErrNotFound},
	}
	sentinels := []error{api.ErrNotFound, api.ErrAlreadyExists, api.ErrUnauthenticated, api.ErrPermissionDenied, api.ErrRateLimited, api.ErrUnavailable}
	for _, tc := range cases {
		t.Run(tc.body, func(t *testing.T) {
			rt := script(step{status: 400, body: tc.body})
			c := newClient(t, rt, api.WithMaxRetries(0))
			_, err := c.Secrets.Get(context.Background(), "sec", nil)
			var apiErr *api.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want *api.Error", err, err)
			}
			if apiErr.Code != tc.want {
				t.Errorf("Code = %q, want %q", apiErr.Code, tc.want)
			}
			for _, s := range sentinels {
				if got := errors.Is(err, s); got != (s == tc.is) {
					t.Errorf("errors.Is(err, %v) = %v", s, got)
				}
			}
		})
	}
}

// TestErrorMessageOfTheTopLevelWins: the top-level message is kept over
// the nested one; the nested one is used when there is no other.
func TestErrorMessageOfTheTopLevelWins(t *testing.T) {
	for body, want := range map[string]string{
		`{"message":"top","error":{"message":"nested"}}`: "top",
		`{"error":{"message":"nested"}}`:                 "nested",
	} {
		rt := script(step{status: 400, body: body})
		c := newClient(t, rt, api.WithMaxRetries(0))
		_, err := c.Secrets.Get(context.Background(), "sec", nil)
		var apiErr *api.Error
		if !errors.As(err, &apiErr) || apiErr.Message != want {
			t.Errorf("%s: err = %v, want the message %q", body, err, want)
		}
	}
}

// TestListStopsWhenTheStartTokenComesBack: a first page that hands back
// the token the caller started from ends the list with ErrRepeatedToken
// after that one request.
func TestListStopsWhenTheStartTokenComesBack(t *testing.T) {
	s := &secretsServer{n: 100, tokenFor: func(int) string { return "offset-2" }}
	c := listClient(t, s)
	var err error
	n := 0
	for _, e := range c.Secrets.ListAll(context.Background(), &gen.ListSecretsParams{PageSize: ptr(int32(2)), PageToken: ptr("offset-2")}) {
		if e != nil {
			err = e
			break
		}
		if n++; n == 20 {
			break
		}
	}
	if !errors.Is(err, api.ErrRepeatedToken) || n != 2 || s.requests.Load() != 1 {
		t.Errorf("err = %v after %d items and %d requests, want ErrRepeatedToken after the first page's 2 items and 1 request", err, n, s.requests.Load())
	}
}
