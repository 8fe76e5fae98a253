package api_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
)

// Fixture credentials of the chain's tests: made up, never printed.
const (
	profileKey   = "fw-profile-key-0123456789"
	envChainKey  = "fw-env-key-0123456789"
	refreshToken = "fw-refresh-token-0123456789"
)

// writeCredentialFile writes content to home/rel with mode.
func writeCredentialFile(t *testing.T, home, rel, content string, mode os.FileMode) {
	t.Helper()
	path := filepath.Join(home, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// tempHome points HOME at a new empty directory for the test.
func tempHome(t *testing.T) string {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	return home
}

// TestNewReadsANamedProfile: a profile named with WithProfile or
// FIREWORKS_PROFILE supplies the key, account and base URL, over the
// environment; the key goes to the profile's base URL.
func TestNewReadsANamedProfile(t *testing.T) {
	home := tempHome(t)
	writeCredentialFile(t, home, ".fireworks/profiles/work/auth.ini", "api_key = "+profileKey+"\naccount_id = work-acct\n", 0o600)
	writeCredentialFile(t, home, ".fireworks/profiles/work/settings.ini", "base_url = https://work.fireworks.test\n", 0o644)
	t.Setenv(api.EnvAPIKey, envChainKey)
	t.Setenv(api.EnvAccountID, "env-acct")
	for name, opts := range map[string][]api.ClientOption{
		"WithProfile":       {api.WithProfile("work")},
		"FIREWORKS_PROFILE": nil,
	} {
		t.Run(name, func(t *testing.T) {
			if opts == nil {
				t.Setenv(api.EnvProfile, "work")
			}
			rt := script(step{body: `{"name":"accounts/work-acct/secrets/s"}`})
			c, err := api.New(append(opts, api.WithHTTPClient(&http.Client{Transport: rt}))...)
			if err != nil {
				t.Fatal(err)
			}
			if c.Account() != "work-acct" || c.BaseURL() != "https://work.fireworks.test" {
				t.Errorf("account %q, base URL %q", c.Account(), c.BaseURL())
			}
			if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
				t.Fatal(err)
			}
			got := rt.Calls()[0]
			if got.header.Get("Authorization") != "Bearer "+profileKey {
				t.Error("the profile's key was not sent")
			}
			if !strings.HasPrefix(got.url, "https://work.fireworks.test/v1/accounts/work-acct/") {
				t.Errorf("sent to %s", got.url)
			}
		})
	}
}

// TestNewRefusesBadCredentialFiles: an unknown profile, a malformed file,
// a key with white space, a credential file others can read: each a one
// line error from New that names the place and holds no key.
func TestNewRefusesBadCredentialFiles(t *testing.T) {
	cases := []struct {
		name, file, content string
		mode                os.FileMode
		env                 map[string]string
		opts                []api.ClientOption
		want                string
	}{
		{name: "unknown profile", opts: []api.ClientOption{api.WithProfile("nope")}, want: `profile "nope" (WithProfile)`},
		{name: "malformed file", file: ".fireworks/auth.ini", content: "api_key " + profileKey + "\n", mode: 0o600, want: ".fireworks/auth.ini:1: not a key = value line"},
		{name: "key with white space in the file", file: ".fireworks/auth.ini", content: "api_key = " + profileKey + " x\n", mode: 0o600, want: ".fireworks/auth.ini:1: api_key: contains white space"},
		{name: "key with a newline in the environment", env: map[string]string{api.EnvAPIKey: envChainKey + "\n"}, want: "FIREWORKS_API_KEY: contains white space"},
		{name: "file readable by others", file: ".fireworks/auth.ini", content: "api_key = " + profileKey + "\n", mode: 0o644, want: "is accessible by others (mode 0644): run chmod 600"},
		{name: "short key names its source", file: ".fireworks/auth.ini", content: "api_key = short\n", mode: 0o600, want: "API key: shorter than 8 characters; a Fireworks API key is longer (from "},
		{name: "nothing anywhere", want: "no API key: looked at WithAPIKey or WithSession, FIREWORKS_API_KEY, "},
		{name: "custom Authorization header", env: map[string]string{api.EnvAPIKey: envChainKey, api.EnvCustomHeaders: "Authorization: Bearer " + envChainKey}, want: "FIREWORKS_CUSTOM_HEADERS line 1: Authorization may not be set"},
		{name: "bad FIREWORKS_LOG", env: map[string]string{api.EnvAPIKey: envChainKey, api.EnvLog: "loud"}, want: `FIREWORKS_LOG="loud": want info or debug`},
		{name: "two credentials", opts: []api.ClientOption{api.WithAPIKey(envChainKey), api.WithSession("a-token-0123456789", refreshToken)}, want: "give one of WithAPIKey, WithSession and WithCredentialSource"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := tempHome(t)
			if tc.file != "" {
				writeCredentialFile(t, home, tc.file, tc.content, tc.mode)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			rt := script(step{})
			_, err := api.New(append(tc.opts, api.WithHTTPClient(&http.Client{Transport: rt}))...)
			if err == nil {
				t.Fatal("New accepted it")
			}
			msg := err.Error()
			if got := leaks(msg, map[string]string{"profile key": profileKey, "env key": envChainKey}); len(got) > 0 {
				t.Errorf("error holds the %v", got)
			}
			if !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q\nwant one line with %q", redactForTest(msg, map[string]string{"key": profileKey}), tc.want)
			}
			if len(rt.Calls()) != 0 {
				t.Error("a request was sent")
			}
		})
	}
}

// jwtExpiringAt returns an unsigned JWT whose exp claim is at.
func jwtExpiringAt(tag string, at time.Time) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(fmt.Sprintf(`{"sub":%q,"exp":%d}`, tag, at.Unix()))) + ".sig"
}

// sessionServer is an in-memory Gateway that knows sessions: POST
// /v1/auth/refresh issues a token that lives ttl; any other path answers
// 200 to a live token it issued and 401 UNAUTHENTICATED to anything else.
type sessionServer struct {
	ttl       time.Duration
	answer    string // when set, the refresh's whole answer (garbage)
	refuseAll bool   // 401 to every token
	mu        sync.Mutex
	valid     map[string]time.Time
	refreshes atomic.Int32
	refused   atomic.Int32
	badAuth   atomic.Int32 // refresh requests that carried an Authorization
	seq       int
}

func (s *sessionServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/v1/auth/refresh" {
		s.refreshes.Add(1)
		if r.Header.Get("Authorization") != "" {
			s.badAuth.Add(1)
		}
		var body struct{ RefreshToken string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.RefreshToken != refreshToken {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"code":16,"message":"unknown refresh token"}`)
			return
		}
		if s.answer != "" {
			fmt.Fprint(w, s.answer)
			return
		}
		s.mu.Lock()
		s.seq++
		exp := time.Now().Add(s.ttl)
		tok := jwtExpiringAt(fmt.Sprint("session-", s.seq), exp)
		s.valid[tok] = exp
		s.mu.Unlock()
		fmt.Fprintf(w, `{"token":%q,"expireTime":%q,"refreshToken":%q}`, tok, exp.UTC().Format(time.RFC3339Nano), refreshToken)
		return
	}
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	exp, ok := s.valid[tok]
	s.mu.Unlock()
	if !ok || !time.Now().Before(exp) || s.refuseAll {
		s.refused.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"code":16,"message":"UNAUTHENTICATED: bad token `+tok+`"}`)
		return
	}
	fmt.Fprint(w, `{"name":"accounts/acct/secrets/s"}`)
}

// handlerTransport serves requests with a Handler in memory (no network,
// so that it runs on synctest's clock).
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func newSessionClient(t *testing.T, s *sessionServer, idToken string, opts ...api.ClientOption) *api.Client {
	t.Helper()
	c, err := api.New(append([]api.ClientOption{api.WithSession(idToken, refreshToken), api.WithBaseURL(testBaseURL),
		api.WithAccount("acct"), api.WithHTTPClient(&http.Client{Transport: handlerTransport{s}})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSessionExpiringMidRunRefreshedOnce: 64 concurrent callers of a
// Client whose session token expires in the middle of their run: exactly
// one refresh, sent without an Authorization header, and no call fails.
func TestSessionExpiringMidRunRefreshedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sessionServer{ttl: time.Hour, valid: map[string]time.Time{}}
		first := jwtExpiringAt("first", time.Now().Add(5*time.Minute))
		s.valid[first] = time.Now().Add(5 * time.Minute)
		c := newSessionClient(t, s, first)
		var wg sync.WaitGroup
		var failed atomic.Int32
		for range 64 {
			wg.Go(func() {
				for range 20 {
					if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
						failed.Add(1)
					}
					time.Sleep(30 * time.Second)
				}
			})
		}
		wg.Wait()
		if n := s.refreshes.Load(); n != 1 {
			t.Errorf("%d refreshes, want exactly 1", n)
		}
		if failed.Load() != 0 || s.refused.Load() != 0 {
			t.Errorf("%d calls failed, %d refused; want none", failed.Load(), s.refused.Load())
		}
		if s.badAuth.Load() != 0 {
			t.Error("the refresh carried an Authorization header")
		}
	})
}

// TestSessionRefusedTokenRefreshedOnce: a 401 to the session's token
// refreshes it and sends the call once more; a server that refuses the
// new token too gets no third attempt, and the call's error is the 401.
func TestSessionRefusedTokenRefreshedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sessionServer{ttl: time.Hour, valid: map[string]time.Time{}}
		revoked := jwtExpiringAt("revoked", time.Now().Add(time.Hour)) // not in valid: the server revoked it
		c := newSessionClient(t, s, revoked)
		if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
			t.Fatalf("the call failed after a refresh: %v", err)
		}
		if s.refreshes.Load() != 1 || s.refused.Load() != 1 {
			t.Errorf("%d refreshes, %d refusals; want 1 and 1", s.refreshes.Load(), s.refused.Load())
		}
		s.refuseAll = true
		_, err := c.Secrets.Get(context.Background(), "s", nil, api.WithMaxRetries(0))
		if !errors.Is(err, api.ErrUnauthenticated) {
			t.Fatalf("got %v, want the 401", err)
		}
		if s.refreshes.Load() != 2 || s.refused.Load() != 3 {
			t.Errorf("%d refreshes, %d refusals; want 2 and 3 (one refresh and one more attempt per call)", s.refreshes.Load(), s.refused.Load())
		}
		if strings.Contains(err.Error(), "eyJ") {
			t.Error("the error holds a session token")
		}
	})
}

// TestSessionRefusedTokenResendsOnlyARewindableBody: after a 401 to the
// session's token, a call is sent again only when its body can be sent
// again: no body (http.NoBody, as a middleware may set it) is resent, a
// body without GetBody (consumed by the first attempt) is not, and the
// call's error is the 401.
func TestSessionRefusedTokenResendsOnlyARewindableBody(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(*http.Request)
		resends bool
	}{
		{"NoBody", func(r *http.Request) { r.Body, r.GetBody = http.NoBody, nil }, true},
		{"a body that cannot be rewound", func(r *http.Request) {
			r.Body, r.GetBody = io.NopCloser(strings.NewReader(`{"keyName":"K"}`)), nil
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &sessionServer{ttl: time.Hour, valid: map[string]time.Time{}}
				revoked := jwtExpiringAt("revoked", time.Now().Add(time.Hour))
				edit := api.WithMiddleware(func(next api.Doer) api.Doer {
					return api.DoerFunc(func(r *http.Request) (*http.Response, error) {
						r = r.Clone(r.Context())
						tc.edit(r)
						return next.Do(r)
					})
				})
				c := newSessionClient(t, s, revoked, edit)
				_, err := c.Secrets.Get(context.Background(), "s", nil, api.WithMaxRetries(0))
				switch {
				case tc.resends && (err != nil || s.refused.Load() != 1 || s.refreshes.Load() != 1):
					t.Errorf("err = %v, %d refusals, %d refreshes; want the call resent after one refresh", err, s.refused.Load(), s.refreshes.Load())
				case !tc.resends && (!errors.Is(err, api.ErrUnauthenticated) || s.refused.Load() != 1):
					t.Errorf("err = %v, %d refusals; want the 401, sent once", err, s.refused.Load())
				}
			})
		})
	}
}

// TestSessionRefreshFailures: a refresh endpoint that answers garbage or
// refuses the refresh token fails the call with a SessionError that says
// to sign in again, and the call itself is never sent with the expired
// token.
func TestSessionRefreshFailures(t *testing.T) {
	cases := []struct{ name, answer, want string }{
		{"garbage", `not json`, "session could not be refreshed: "},
		{"no token", `{}`, "the answer has no token"},
		{"expired already", `{"token":"eyJ0.eyJ0.sig","expireTime":"1999-01-01T00:00:00Z"}`, "expired already"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &sessionServer{ttl: time.Hour, valid: map[string]time.Time{}, answer: tc.answer}
				c := newSessionClient(t, s, jwtExpiringAt("expired", time.Now().Add(-time.Second)))
				_, err := c.Secrets.Get(context.Background(), "s", nil)
				var se *api.SessionError
				if !errors.As(err, &se) {
					t.Fatalf("got %v, want a SessionError", err)
				}
				msg := err.Error()
				if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "sign in again (`firectl signin`)") || strings.Contains(msg, "\n") {
					t.Errorf("error %q; want one line with %q and the advice to sign in", msg, tc.want)
				}
				if strings.Contains(msg, refreshToken) || strings.Contains(msg, "eyJ") {
					t.Error("the error holds a token")
				}
				if s.refused.Load() != 0 {
					t.Error("the call was sent with the expired token")
				}
			})
		})
	}
	t.Run("unknown refresh token", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			s := &sessionServer{ttl: time.Hour, valid: map[string]time.Time{}}
			c, err := api.New(api.WithSession(jwtExpiringAt("x", time.Now().Add(-time.Second)), "fw-unknown-refresh-0123"), api.WithBaseURL(testBaseURL),
				api.WithAccount("acct"), api.WithHTTPClient(&http.Client{Transport: handlerTransport{s}}))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Secrets.Get(context.Background(), "s", nil)
			var se *api.SessionError
			if !errors.As(err, &se) || !errors.Is(err, api.ErrUnauthenticated) {
				t.Fatalf("got %v, want a SessionError around the 401", err)
			}
			if strings.Contains(err.Error(), "fw-unknown-refresh-0123") {
				t.Error("the error holds the refresh token")
			}
		})
	})
}

// TestSessionFromFirectlFile: firectl signin's auth.ini makes a session;
// a rotated refresh token is kept in memory and the file is never written.
func TestSessionFromFirectlFile(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		home := tempHome(t)
		first := jwtExpiringAt("first", time.Now().Add(-time.Second))
		content := "account_id = acct\nid_token = " + first + "\nrefresh_token = " + refreshToken + "\n"
		writeCredentialFile(t, home, ".fireworks/auth.ini", content, 0o600)
		s := &sessionServer{ttl: time.Hour, valid: map[string]time.Time{}}
		c, err := api.New(api.WithBaseURL(testBaseURL), api.WithHTTPClient(&http.Client{Transport: handlerTransport{s}}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
			t.Fatal(err)
		}
		if s.refreshes.Load() != 1 {
			t.Errorf("%d refreshes, want 1", s.refreshes.Load())
		}
		after, err := os.ReadFile(filepath.Join(home, ".fireworks/auth.ini"))
		if err != nil || string(after) != content {
			t.Error("the credential file was changed")
		}
		if entries, _ := os.ReadDir(filepath.Join(home, ".fireworks")); len(entries) != 1 {
			t.Errorf("%d files in ~/.fireworks, want the one", len(entries))
		}
	})
}

// TestCredentialSourceAskedPerAttempt: a CredentialSource is asked on each
// attempt, so that a rotated key is used without a new Client.
func TestCredentialSourceAskedPerAttempt(t *testing.T) {
	var current atomic.Value
	current.Store("fw-rotating-key-0001")
	src := api.CredentialFunc(func(context.Context) (string, error) { return current.Load().(string), nil })
	rt := script(step{status: 503, header: http.Header{"Retry-After-Ms": {"1"}}}, step{body: `{}`})
	c := newSourceClient(t, rt, src)
	if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
		t.Fatal(err)
	}
	current.Store("fw-rotating-key-0002")
	if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, cl := range rt.Calls() {
		got = append(got, strings.TrimPrefix(cl.header.Get("Authorization"), "Bearer fw-rotating-key-"))
	}
	if strings.Join(got, ",") != "0001,0001,0002" {
		t.Errorf("credentials sent: %v, want 0001,0001,0002", got)
	}
}

func newSourceClient(t *testing.T, rt http.RoundTripper, src api.CredentialSource, opts ...api.ClientOption) *api.Client {
	t.Helper()
	c, err := api.New(append([]api.ClientOption{api.WithCredentialSource(src), api.WithBaseURL(testBaseURL), api.WithAccount("acct"),
		api.WithHTTPClient(&http.Client{Transport: rt})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCredentialSourceRefusals: a source's error, an empty credential or
// one with white space fails the call before anything is sent, with an
// error that quotes no credential.
func TestCredentialSourceRefusals(t *testing.T) {
	const bad = "fw-bad-credential-0123"
	cases := []struct {
		name string
		src  api.CredentialFunc
		want string
	}{
		{"source error", func(context.Context) (string, error) { return "", errors.New("vault sealed") }, "credential: vault sealed"},
		{"empty", func(context.Context) (string, error) { return "", nil }, "the credential source gave an empty credential"},
		{"white space", func(context.Context) (string, error) { return bad + "\n", nil }, "credential: contains white space"},
		{"a space", func(context.Context) (string, error) { return "fw-bad credential-0123", nil }, "credential: contains white space"},
		{"DEL", func(context.Context) (string, error) { return bad + "\x7f", nil }, "credential: contains white space or a control character"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := script(step{body: `{}`})
			_, err := newSourceClient(t, rt, tc.src).Secrets.Get(context.Background(), "s", nil)
			var te *api.TransportError
			if !errors.As(err, &te) || te.Attempts != 0 || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), bad) {
				t.Errorf("got %v, want a TransportError after 0 attempts with %q", redactForTest(fmt.Sprint(err), map[string]string{"credential": bad}), tc.want)
			}
			if len(rt.Calls()) != 0 {
				t.Error("a request was sent")
			}
		})
	}
}

// TestCredentialSourceKeptHome: the origin rule applies to a source's
// credential: a redirect to another host carries none, and a server that
// echoes it gets it redacted from the error.
func TestCredentialSourceKeptHome(t *testing.T) {
	const cred = "fw-source-credential-0123"
	src := api.CredentialFunc(func(context.Context) (string, error) { return cred, nil })
	rt := script(
		step{status: 307, header: http.Header{"Location": {"https://elsewhere.test/v1/x"}}},
		step{status: 400, body: `{"code":3,"message":"bad token ` + cred + `"}`},
	)
	_, err := newSourceClient(t, rt, src).Secrets.Get(context.Background(), "s", nil)
	calls := rt.Calls()
	if len(calls) != 2 || !strings.HasPrefix(calls[1].url, "https://elsewhere.test/") {
		t.Fatalf("%d calls, want the redirect followed", len(calls))
	}
	if calls[1].header.Get("Authorization") != "" {
		t.Error("the credential went to another host")
	}
	if err == nil || strings.Contains(err.Error(), cred) || strings.Contains(fmt.Sprintf("%+v", err), cred) {
		t.Error("the error holds the credential, or there is no error")
	}
	rt = script(step{status: 401, body: `{"code":16,"message":"UNAUTHENTICATED: ` + cred + `"}`})
	_, err = newSourceClient(t, rt, src).Secrets.Get(context.Background(), "s", nil)
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || strings.Contains(apiErr.Message, cred) || !strings.Contains(apiErr.Message, "[REDACTED]") {
		t.Error("an echoed credential was not redacted from the error")
	}
	if len(rt.Calls()) != 1 {
		t.Errorf("%d attempts after a 401 for a source that cannot be refreshed, want 1", len(rt.Calls()))
	}
}

// TestCustomHeadersFromTheEnvironment: FIREWORKS_CUSTOM_HEADERS's headers
// go with every request to the API; a request's own header wins.
func TestCustomHeadersFromTheEnvironment(t *testing.T) {
	t.Setenv(api.EnvCustomHeaders, "X-Team: ml\nUser-Agent: custom/1")
	rt := script(step{body: `{}`})
	c := newClient(t, rt)
	if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
		t.Fatal(err)
	}
	h := rt.Calls()[0].header
	if h.Get("X-Team") != "ml" || h.Get("User-Agent") != "custom/1" {
		t.Errorf("X-Team %q, User-Agent %q", h.Get("X-Team"), h.Get("User-Agent"))
	}
	if h.Get("Authorization") != "Bearer "+testAPIKey {
		t.Error("the key was not sent")
	}
}

// TestNewFromEnvironmentNeedsNoFile: with FIREWORKS_API_KEY, a home
// without ~/.fireworks is not an error, and the base URL is the default.
func TestNewFromEnvironmentNeedsNoFile(t *testing.T) {
	tempHome(t)
	t.Setenv(api.EnvAPIKey, envChainKey)
	c, err := api.New()
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != api.DefaultBaseURL || c.Account() != "" {
		t.Errorf("base URL %q, account %q", c.BaseURL(), c.Account())
	}
}

// TestLogFromTheEnvironment: FIREWORKS_LOG=debug, with no WithLogger,
// logs to standard error where the credentials came from and each attempt,
// never the key; FIREWORKS_LOG=info leaves the debug lines out.
func TestLogFromTheEnvironment(t *testing.T) {
	for level, want := range map[string][]string{
		"debug": {`msg="fireworks credentials" credential=FIREWORKS_API_KEY`, `msg="fireworks request" method=GET`},
		"info":  nil,
	} {
		t.Run(level, func(t *testing.T) {
			t.Setenv(api.EnvLog, level)
			t.Setenv(api.EnvAPIKey, envChainKey)
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			stderr := os.Stderr
			os.Stderr = w // New takes the handler's writer now
			rt := script(step{body: `{}`})
			c, err := api.New(api.WithBaseURL(testBaseURL), api.WithAccount("acct"), api.WithHTTPClient(&http.Client{Transport: rt}))
			os.Stderr = stderr
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
				t.Fatal(err)
			}
			_ = w.Close()
			out, _ := io.ReadAll(r)
			if strings.Contains(string(out), envChainKey) {
				t.Fatal("the log holds the key")
			}
			if len(want) == 0 && len(out) != 0 {
				t.Errorf("info logged %d bytes of debug lines", len(out))
			}
			for _, w := range want {
				if !strings.Contains(string(out), w) {
					t.Errorf("log lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestSessionSharedByWith: Clients made by With share the session: its
// token expiring refreshes once for all of them.
func TestSessionSharedByWith(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &sessionServer{ttl: time.Hour, valid: map[string]time.Time{}}
		c := newSessionClient(t, s, jwtExpiringAt("expired", time.Now().Add(-time.Second)))
		other, err := c.With(api.WithAccount("other"))
		if err != nil {
			t.Fatal(err)
		}
		for _, client := range []*api.Client{c, other, c} {
			if _, err := client.Secrets.Get(context.Background(), "s", nil); err != nil {
				t.Fatal(err)
			}
		}
		if s.refreshes.Load() != 1 {
			t.Errorf("%d refreshes, want 1 for the Clients that share the session", s.refreshes.Load())
		}
	})
}
