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

func checkHugeDiscardedBodies(t *testing.T, ctx context.Context, opts ...api.ClientOption) {
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
	for _, e := range c.Secrets.ListAll(context.Background(), &gen.ListSecretsParams{PageSize: api.Ptr(int32(2)), PageToken: api.Ptr("offset-2")}) {
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

// TestAPIKeyLengthAndCharacters: a key of exactly the shortest length is
// accepted and one byte less refused; a space, a control character or DEL
// anywhere refuses it, and the error never quotes the key.
func TestAPIKeyLengthAndCharacters(t *testing.T) {
	for _, key := range []string{"fw-12345", "fw-!~key-0123", "fw-" + strings.Repeat("k", 200)} {
		if _, err := api.New(api.WithAPIKey(key), api.WithBaseURL(testBaseURL)); err != nil {
			t.Errorf("a key of %d bytes refused: %v", len(key), err)
		}
	}
	for name, key := range map[string]string{
		"7 bytes":               "fw-1234",
		"a space":               "fw-key 0123456789",
		"a leading space":       " fw-key-0123456789",
		"a tab":                 "fw-key\t0123456789",
		"a NUL":                 "fw-key\x000123456789",
		"DEL":                   "fw-key\x7f0123456789",
		"a trailing CR":         "fw-key-0123456789\r",
		"a unit separator 0x1f": "fw-key\x1f0123456789",
	} {
		_, err := api.New(api.WithAPIKey(key), api.WithBaseURL(testBaseURL))
		if err == nil {
			t.Errorf("a key with %s accepted", name)
			continue
		}
		if strings.Contains(err.Error(), strings.TrimSpace(key)) {
			t.Errorf("%s: the error quotes the key", name)
		}
	}
}

// TestRedirectsStopAfterTen: a server that redirects for ever gets ten
// requests, as net/http's default policy sends (the tenth redirect is
// refused), then an error; a client's own
// CheckRedirect is asked instead, and still never sees the key leave.
func TestRedirectsStopAfterTen(t *testing.T) {
	loop := step{status: http.StatusTemporaryRedirect, header: http.Header{"Location": {testBaseURL + "/v1/accounts/acct/secrets/sec"}}}
	rt := script(loop)
	c := newClient(t, rt, api.WithMaxRetries(0))
	_, err := c.Secrets.Get(context.Background(), "sec", nil)
	var te *api.TransportError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Fatalf("err = %v, want a *api.TransportError after 10 redirects", err)
	}
	if n := len(rt.Calls()); n != 10 {
		t.Errorf("%d requests, want 10: the first and 9 redirects followed", n)
	}

	rt = script(step{status: http.StatusTemporaryRedirect, header: http.Header{"Location": {"https://elsewhere.test/x"}}}, step{status: 200, body: secretJSON})
	var asked []string
	hc := &http.Client{Transport: rt, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		asked = append(asked, req.URL.Host+" auth="+req.Header.Get("Authorization"))
		return nil
	}}
	c, err = api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(testBaseURL), api.WithAccount("acct"), api.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Secrets.Get(context.Background(), "sec", nil); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 1 || asked[0] != "elsewhere.test auth=" {
		t.Errorf("the caller's CheckRedirect saw %q, want one redirect to elsewhere.test without the key", asked)
	}
}

// TestStatusesOutside2xxAreErrors: only 200 to 299 are answers; a 3xx
// that net/http does not follow (300, 304) is an *api.Error.
func TestStatusesOutside2xxAreErrors(t *testing.T) {
	for _, status := range []int{200, 201, 204, 299} {
		rt := script(step{status: status, body: secretJSON})
		if _, err := newClient(t, rt).Secrets.Get(context.Background(), "sec", nil); err != nil {
			t.Errorf("%d: %v", status, err)
		}
	}
	for _, status := range []int{300, 304, 399, 400} {
		rt := script(step{status: status, body: secretJSON})
		_, err := newClient(t, rt).Secrets.Get(context.Background(), "sec", nil)
		var apiErr *api.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
			t.Errorf("%d: err = %v, want an *api.Error", status, err)
		}
	}
}

// countingGetBody wraps a request's GetBody to count its calls.
func countingGetBody(n *atomic.Int32) api.ClientOption {
	return api.WithMiddleware(func(next api.Doer) api.Doer {
		return api.DoerFunc(func(req *http.Request) (*http.Response, error) {
			if get := req.GetBody; get != nil {
				req = req.Clone(req.Context())
				req.GetBody = func() (io.ReadCloser, error) { n.Add(1); return get() }
			}
			return next.Do(req)
		})
	})
}

// TestOnlyRetriesRewindTheBody: the first attempt sends the body the
// request holds; GetBody (which may reopen a file) is called once for
// each retry, and not at all for a call answered at once.
func TestOnlyRetriesRewindTheBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		rt := script(step{status: 200, body: secretJSON})
		if _, err := updateSecret(context.Background(), newClient(t, rt, countingGetBody(&n))); err != nil {
			t.Fatal(err)
		}
		if n.Load() != 0 {
			t.Errorf("GetBody called %d times for a call answered at once, want 0", n.Load())
		}
		n.Store(0)
		rt = script(step{status: 429}, step{status: 429}, step{status: 200, body: secretJSON})
		if _, err := updateSecret(context.Background(), newClient(t, rt, countingGetBody(&n))); err != nil {
			t.Fatal(err)
		}
		if n.Load() != 2 {
			t.Errorf("GetBody called %d times for 2 retries, want 2", n.Load())
		}
	})
}

// TestCancelledDuringTheAnswerSendsNothingMore: a caller that cancels
// while an answer asking for an immediate retry (Retry-After-Ms: 0) comes
// back gets context.Canceled, and no other attempt is sent. Run 20 times:
// a zero wait that does not look at the context first would send one
// about half of the time.
func TestCancelledDuringTheAnswerSendsNothingMore(t *testing.T) {
	for range 20 {
		ctx, cancel := context.WithCancel(context.Background())
		var attempts atomic.Int32
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			attempts.Add(1)
			cancel()
			return &http.Response{StatusCode: 503, Header: http.Header{"Retry-After-Ms": {"0"}}, Body: http.NoBody, Request: req}, nil
		})
		_, err := newClient(t, rt).Secrets.Get(ctx, "sec", nil)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if n := attempts.Load(); n != 1 {
			t.Fatalf("%d attempts, want 1: nothing is sent after the caller cancelled", n)
		}
	}
}

// TestDeleteAnswers: a Delete answered with nothing, with {} or with
// white space succeeds; one answered with something that is not JSON is a
// *api.DecodeError.
func TestDeleteAnswers(t *testing.T) {
	for _, body := range []string{"", "{}", " \n", `{"unexpected":"but JSON"}`} {
		rt := script(step{status: 200, body: body})
		if err := newClient(t, rt).Secrets.Delete(context.Background(), "sec"); err != nil {
			t.Errorf("answer %q: %v", body, err)
		}
	}
	for _, body := range []string{"<html>ok</html>", "{", "x"} {
		rt := script(step{status: 200, body: body})
		err := newClient(t, rt).Secrets.Delete(context.Background(), "sec")
		var de *api.DecodeError
		if !errors.As(err, &de) || de.StatusCode != 200 || de.Method != "DELETE" {
			t.Errorf("answer %q: err = %v, want a *api.DecodeError", body, err)
		}
	}
}

// TestWithRefusesBadOptions: Client.With refuses what a call would
// refuse (a bad value) and what only New takes, and leaves the Client as
// it was.
func TestWithRefusesBadOptions(t *testing.T) {
	c := newClient(t, script(step{status: 200, body: secretJSON}))
	for name, opt := range map[string]api.Option{
		"a negative retry count":  api.WithMaxRetries(-1),
		"an empty account":        api.WithAccount(""),
		"an account with a space": api.WithAccount("team a"),
	} {
		if d, err := c.With(api.WithAccount("other"), opt); err == nil || d != nil {
			t.Errorf("%s: With gave %v, %v; want nil and an error", name, d, err)
		}
	}
	if c.Account() != "acct" {
		t.Errorf("the Client's account became %q", c.Account())
	}
	if d, err := c.With(api.WithAccount("other"), api.WithMaxRetries(0)); err != nil || d.Account() != "other" {
		t.Errorf("With(good options) = %v, %v; want a Client on the account other", d, err)
	}
}

// TestMiddlewareMustSendTheCallsRequest: a middleware that sends a request
// of its own (not the call's, so without its settings) gets a
// *TransportError that says so, and nothing is sent.
func TestMiddlewareMustSendTheCallsRequest(t *testing.T) {
	rt := script(step{status: 200, body: secretJSON})
	c := newClient(t, rt, api.WithMiddleware(func(next api.Doer) api.Doer {
		return api.DoerFunc(func(req *http.Request) (*http.Response, error) {
			own, err := http.NewRequestWithContext(context.Background(), req.Method, req.URL.String(), nil)
			if err != nil {
				return nil, err
			}
			return next.Do(own)
		})
	}))
	_, err := c.Secrets.Get(context.Background(), "sec", nil)
	var te *api.TransportError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "not a call of the Client") || te.Method != "GET" || te.Path != "/v1/accounts/acct/secrets/sec" {
		t.Fatalf("err = %v, want a *api.TransportError for GET /v1/accounts/acct/secrets/sec that says why", err)
	}
	if n := len(rt.Calls()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// quotingTransportError is a transport failure whose text quotes what was
// sent, as some proxies' and tracing transports' errors do.
type quotingTransportError struct{ text string }

func (e *quotingTransportError) Error() string { return e.text }

// TestTransportErrorTextIsRedacted: a transport whose error quotes the
// API key and the secret value of the request body gives a
// *TransportError whose text holds neither, while errors.As still finds
// the transport's own error.
func TestTransportErrorTextIsRedacted(t *testing.T) {
	secrets := map[string]string{"API key": testAPIKey, "secret value": testSecretValue}
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(req.Body)
		return nil, &quotingTransportError{text: "proxy refused " + req.Header.Get("Authorization") + " with body " + string(body)}
	})
	_, err := updateSecret(context.Background(), newClient(t, rt, api.WithMaxRetries(0)))
	var te *api.TransportError
	var cause *quotingTransportError
	if !errors.As(err, &te) || !errors.As(err, &cause) {
		t.Fatalf("err is %T, want a *api.TransportError that wraps the transport's error", err)
	}
	if names := heldSecrets(err.Error(), secrets); len(names) > 0 {
		t.Errorf("Error() holds the %v", names)
	}
	if !strings.Contains(err.Error(), "proxy refused Bearer "+"[REDACTED]") {
		t.Errorf("Error() lost the transport's text around the key (%d bytes)", len(err.Error()))
	}
}

// TestErrorText: Error() of each error type in full: the method, the
// path, the status, its code and message, the attempts when more than one,
// and the request id.
func TestErrorText(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&api.Error{Method: "GET", Path: "/v1/x", StatusCode: 404, Attempts: 1}, "GET /v1/x: 404 Not Found"},
		{&api.Error{Method: "GET", Path: "/v1/x", StatusCode: 404, Attempts: 2}, "GET /v1/x: 404 Not Found [after 2 attempts]"},
		{&api.Error{Method: "GET", Path: "/v1/x", StatusCode: 503, Code: api.CodeUnavailable, Message: "down", Attempts: 3, RequestID: "req-1"},
			"GET /v1/x: 503 Service Unavailable (UNAVAILABLE): down [after 3 attempts] [request id req-1]"},
		{&api.Error{Method: "GET", Path: "/v1/x", StatusCode: 400, Message: strings.Repeat("m", 512), Attempts: 1},
			"GET /v1/x: 400 Bad Request: " + strings.Repeat("m", 512)},
		{&api.Error{Method: "GET", Path: "/v1/x", StatusCode: 400, Message: strings.Repeat("m", 513), Attempts: 1},
			"GET /v1/x: 400 Bad Request: " + strings.Repeat("m", 512) + "…"},
		{&api.TransportError{Method: "POST", Path: "/v1/y", Attempts: 1, Err: io.ErrUnexpectedEOF}, "POST /v1/y: unexpected EOF [after 1 attempt]"},
		{&api.TransportError{Method: "POST", Path: "/v1/y", Attempts: 2, Err: context.Canceled,
			Last: &api.Error{StatusCode: 429, Code: api.CodeResourceExhausted}},
			"POST /v1/y: context canceled [after 2 attempts] (last attempt: 429 Too Many Requests (RESOURCE_EXHAUSTED))"},
	}
	for _, tc := range cases {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

// TestCodeNamesAtTheirBounds: a code name is 1 to 32 ASCII letters and
// underscores, any case: the letters at the ends of the alphabet and 32
// letters are one; the characters just outside the letters, and 33
// letters, are not.
func TestCodeNamesAtTheirBounds(t *testing.T) {
	for body, want := range map[string]api.Code{
		`{"code":"ZONE_AZ"}`:                         "ZONE_AZ",
		`{"code":"a_z"}`:                             "A_Z",
		`{"code":"` + strings.Repeat("Z", 32) + `"}`: api.Code(strings.Repeat("Z", 32)),
		`{"code":"` + strings.Repeat("Z", 33) + `"}`: "",
		`{"code":"A@"}`:                              "",
		`{"code":"Z["}`:                              "",
		`{"code":"A` + "`" + `"}`:                    "",
		`{"code":"Z{"}`:                              "",
		`{"error":{"status":"zone_az"}}`:             "ZONE_AZ",
	} {
		rt := script(step{status: 400, body: body})
		_, err := newClient(t, rt, api.WithMaxRetries(0)).Secrets.Get(context.Background(), "sec", nil)
		var apiErr *api.Error
		if !errors.As(err, &apiErr) || apiErr.Code != want {
			t.Errorf("%s: err = %v, want the code %q", body, err, want)
		}
	}
}

// TestRetryAfterOfThirtyTwoCharacters: a Retry-After of 32 characters is
// read (zeros in front), one of 33 is not (the backoff applies).
func TestRetryAfterOfThirtyTwoCharacters(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  time.Duration
	}{
		{strings.Repeat("0", 31) + "3", 3 * time.Second},
		{strings.Repeat("0", 32) + "3", 0}, // too long: the backoff
	} {
		synctest.Test(t, func(t *testing.T) {
			rt := script(step{status: 429, header: http.Header{"Retry-After": {tc.value}}}, step{status: 200, body: secretJSON})
			if _, err := newClient(t, rt).Secrets.Get(context.Background(), "sec", nil); err != nil {
				t.Fatal(err)
			}
			w := waits(rt.Calls())
			if tc.want != 0 && (len(w) != 1 || w[0] != tc.want) {
				t.Errorf("Retry-After of %d characters: waited %v, want %v", len(tc.value), w, tc.want)
			}
			if tc.want == 0 && (len(w) != 1 || w[0] > 500*time.Millisecond || w[0] < 375*time.Millisecond) {
				t.Errorf("Retry-After of %d characters: waited %v, want the first backoff", len(tc.value), w)
			}
		})
	}
}

// TestDecodeErrorSnippetsHoldNoSecret: a 2xx answer that is not the
// expected JSON keeps a snippet of its body: redacted where the body is
// JSON holding secret values, and replaced whole where it is not JSON but
// names a sensitive field (its values cannot be found, so none of it is
// shown). An answer that a middleware made itself says its own request.
func TestDecodeErrorSnippetsHoldNoSecret(t *testing.T) {
	const echoed = "sk-echoed-by-the-server-7"
	secrets := map[string]string{"echoed value": echoed, "API key": testAPIKey}
	for _, tc := range []struct {
		name, body string
		want       string // in the snippet
	}{
		{"JSON of another shape", `{"name":5,"value":"` + echoed + `"}`, `{"name":5,"value":"[REDACTED]"}`},
		{"not JSON, naming a sensitive field", `<html>"value": "` + echoed + `"</html>`, "[REDACTED] (a body that names a sensitive field)"},
		{"not JSON, naming none", `<html>` + testAPIKey + ` is fine</html>`, "<html>[REDACTED] is fine</html>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := script(step{status: 200, body: tc.body})
			_, err := newClient(t, rt).Secrets.Get(context.Background(), "sec", nil)
			var de *api.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err is %T, want *api.DecodeError", err)
			}
			if names := heldSecrets(de.Snippet, secrets); len(names) > 0 {
				t.Fatalf("the snippet holds the %v", names)
			}
			if de.Snippet != tc.want {
				t.Errorf("snippet of %d bytes, want %q", len(de.Snippet), tc.want)
			}
		})
	}

	c := newClient(t, script(), api.WithMiddleware(func(api.Doer) api.Doer {
		return api.DoerFunc(func(req *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/html"}},
				Body: io.NopCloser(strings.NewReader("<html>cached</html>")), Request: req}, nil
		})
	}))
	_, err := c.Secrets.Get(context.Background(), "sec", nil)
	var de *api.DecodeError
	if !errors.As(err, &de) || de.Method != "GET" || de.Path != "/v1/accounts/acct/secrets/sec" || de.Attempts != 0 {
		t.Errorf("err = %v, want a *api.DecodeError for GET /v1/accounts/acct/secrets/sec, sent by no attempt", err)
	}
}

// heldSecrets names the secrets that text holds: a failure message says
// which, never the secret itself.
func heldSecrets(text string, secrets map[string]string) []string {
	var names []string
	for name, s := range secrets {
		if strings.Contains(text, s) {
			names = append(names, name)
		}
	}
	return names
}
