package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
)

// errLeakyTransport is the cause of leakyTransport's failures.
var errLeakyTransport = errors.New("leaky transport failed")

// leakyError is a caller transport's error that quotes what it was sending.
type leakyError struct{ sent string }

func (e *leakyError) Error() string { return "could not send " + e.sent }
func (e *leakyError) Unwrap() error { return errLeakyTransport }

// TestTransportErrorNeverQuotesSecrets: a caller's transport whose error
// quotes the request (its Authorization header and body) still gives a
// *TransportError whose text holds neither the key nor the secret value,
// and whose cause errors.Is and errors.As still find.
func TestTransportErrorNeverQuotesSecrets(t *testing.T) {
	rt := roundTripper(func(req *http.Request) (*http.Response, error) {
		body := ""
		if req.GetBody != nil {
			rc, _ := req.GetBody()
			raw := make([]byte, 1024)
			n, _ := rc.Read(raw)
			body = string(raw[:n])
		}
		return nil, &leakyError{sent: req.Header.Get("Authorization") + " " + body}
	})
	c := newClient(t, rt, api.WithMaxRetries(0))
	_, err := updateSecret(context.Background(), c)
	var te *api.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("err is %T, want *api.TransportError", err)
	}
	if text := err.Error(); strings.Contains(text, testAPIKey) || strings.Contains(text, testSecretValue) {
		t.Error("the TransportError's text holds the API key or the secret value")
	}
	if !strings.Contains(err.Error(), "could not send Bearer [REDACTED]") {
		t.Errorf("the cause's text is gone, not redacted: %s", strings.ReplaceAll(err.Error(), testAPIKey, "<key>"))
	}
	var leaky *leakyError
	if !errors.Is(err, errLeakyTransport) || !errors.As(err, &leaky) {
		t.Error("errors.Is and errors.As do not reach the transport's cause")
	}
}

// TestCancelDuringRetryWaitIsOneLine: a call cancelled while it waits to
// retry ends at once with one line of text, and errors.Is finds
// context.Canceled while errors.As finds the last attempt's *api.Error.
func TestCancelDuringRetryWaitIsOneLine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{status: 503, header: http.Header{"Retry-After": {"10"}}, body: `{"code":14,"message":"down for a moment"}`})
		c := newClient(t, rt)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Second, cancel)
		start := time.Now()
		_, err := c.Secrets.Get(ctx, "sec", nil)
		if took := time.Since(start); took != time.Second {
			t.Errorf("the call ended after %v, want at the cancellation (1s)", took)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("the error is more than one line:\n%s", err)
		}
		var apiErr *api.Error
		var te *api.TransportError
		if !errors.Is(err, context.Canceled) || !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || !errors.As(err, &te) || te.Attempts != 1 {
			t.Errorf("err = %v: want context.Canceled, the 503 *api.Error and a *TransportError after 1 attempt", err)
		}
		if !strings.Contains(err.Error(), "context canceled") || !strings.Contains(err.Error(), "last attempt: 503") || !strings.Contains(err.Error(), "down for a moment") {
			t.Errorf("the text does not say both what ended the call and the last answer: %s", err)
		}
	})
}

// TestDecodeErrors: a 2xx that is not the operation's JSON is an
// *api.DecodeError with the call's method, path, status and attempts, the
// decoder's error, and a snippet without secret values; an empty body is
// a fine answer for an operation that returns nothing.
func TestDecodeErrors(t *testing.T) {
	html := step{status: 200, header: http.Header{"Content-Type": {"text/html"}}, body: "<html>captive portal</html>"}
	for _, tc := range []struct {
		name    string
		step    step
		call    func(*api.Client) error
		wantErr bool
		check   func(*testing.T, *api.DecodeError)
	}{
		{"malformed JSON", step{status: 200, body: `{"name": "accounts/acct/secrets/sec", "keyName": ]`},
			func(c *api.Client) error { _, err := c.Secrets.Get(context.Background(), "sec", nil); return err }, true,
			func(t *testing.T, de *api.DecodeError) {
				var syntax *json.SyntaxError
				if !errors.As(de, &syntax) {
					t.Errorf("the decoder's error is %T, want *json.SyntaxError", de.Err)
				}
			}},
		{"JSON of another shape", step{status: 200, body: `{"name": 5}`},
			func(c *api.Client) error { _, err := c.Secrets.Get(context.Background(), "sec", nil); return err }, true,
			func(t *testing.T, de *api.DecodeError) {
				var typ *json.UnmarshalTypeError
				if !errors.As(de, &typ) {
					t.Errorf("the decoder's error is %T, want *json.UnmarshalTypeError", de.Err)
				}
			}},
		{"HTML for a Delete", html, func(c *api.Client) error { return c.Secrets.Delete(context.Background(), "sec") }, true,
			func(t *testing.T, de *api.DecodeError) {
				if de.ContentType != "text/html" || !strings.Contains(de.Snippet, "captive portal") || de.Method != "DELETE" {
					t.Errorf("got %+v", de)
				}
			}},
		{"an echoed secret in a malformed body", step{status: 200, body: `{"value": "` + testSecretValue + `", `},
			func(c *api.Client) error { _, err := updateSecret(context.Background(), c); return err }, true,
			func(t *testing.T, de *api.DecodeError) {
				if strings.Contains(de.Snippet, testSecretValue) || strings.Contains(de.Error(), testSecretValue) {
					t.Error("the snippet holds the secret value")
				}
			}},
		{"an empty body for a Delete", step{status: 200}, func(c *api.Client) error { return c.Secrets.Delete(context.Background(), "sec") }, false, nil},
		{"{} for a Delete", step{status: 200, body: "{}"}, func(c *api.Client) error { return c.Secrets.Delete(context.Background(), "sec") }, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, script(tc.step))
			err := tc.call(c)
			if !tc.wantErr {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			var de *api.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v (%T), want *api.DecodeError", err, err)
			}
			if de.StatusCode != 200 || de.Attempts != 1 || !strings.HasPrefix(de.Path, "/v1/accounts/acct/secrets") || de.Method == "" || len(de.Snippet) > api.MaxDecodeSnippet+64 {
				t.Errorf("DecodeError lacks the call: %+v", de)
			}
			if strings.Contains(de.Error(), "\n") {
				t.Error("DecodeError's text is more than one line")
			}
			tc.check(t, de)
		})
	}
}

// TestNoAccountFailsBeforeSending: a call on an account, from a Client
// without one, sends nothing and says how to set one; calls outside an
// account work without.
func TestNoAccountFailsBeforeSending(t *testing.T) {
	t.Setenv(api.EnvAccountID, "")
	rt := script(step{status: 200, body: `{"accounts":[]}`})
	c, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(testBaseURL), api.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Secrets.Get(context.Background(), "sec", nil)
	if !errors.Is(err, api.ErrNoAccount) || !strings.Contains(err.Error(), api.EnvAccountID) || !strings.Contains(err.Error(), "WithAccount") {
		t.Errorf("err = %v, want ErrNoAccount saying how to set one", err)
	}
	if n := len(rt.Calls()); n != 0 {
		t.Fatalf("%d requests sent without an account", n)
	}
	if _, err := c.Accounts.List(context.Background(), nil); err != nil || len(rt.Calls()) != 1 {
		t.Errorf("Accounts.List without an account: %v", err)
	}
}

// TestClientOptionsAreRefusedForACall: an option that shapes a Client,
// given to a call or to With, is an error, and so is a bad call option (a
// negative retry count, a non-positive timeout, a bad account); nothing is
// sent.
func TestClientOptionsAreRefusedForACall(t *testing.T) {
	rt := script(step{status: 200, body: secretJSON})
	c := newClient(t, rt)
	for _, opt := range []api.Option{api.WithAPIKey("fw-other-key-0123"), api.WithHTTPClient(http.DefaultClient), api.WithBaseURL("https://other.test"),
		api.WithRetryBudget(api.DefaultRetryBudget), api.WithoutRetryBudget(), api.WithMaxRetryWait(time.Second), api.WithUserAgent("x"),
		api.WithLogger(nil), api.WithMiddleware(func(d api.Doer) api.Doer { return d }),
		api.WithProfile("p"), api.WithSession("fw-session-token-0123", "fw-refresh-token-0123"), api.WithoutCredentialFiles(),
		api.WithCredentialSource(api.CredentialFunc(func(context.Context) (string, error) { return "fw-other-key-0123", nil }))} {
		_, err := c.Secrets.Get(context.Background(), "sec", nil, opt)
		if err == nil || !strings.Contains(err.Error(), "configures a Client") {
			t.Errorf("a Client option given to a call: err = %v", err)
		}
		if _, err := c.With(opt); err == nil {
			t.Error("a Client option given to With was taken")
		}
	}
	for _, opt := range []api.Option{api.WithMaxRetries(-1), api.WithTimeout(0), api.WithAccount("a/b"), api.WithAccount("")} {
		if _, err := c.Secrets.Get(context.Background(), "sec", nil, opt); err == nil {
			t.Error("a bad call option was taken")
		}
	}
	if n := len(rt.Calls()); n != 0 {
		t.Errorf("%d requests sent with refused options", n)
	}
}

// TestWithMakesAScopedClient: With gives a Client for another account and
// other call settings; the original keeps its own.
func TestWithMakesAScopedClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{status: 503, header: http.Header{"Retry-After-Ms": {"1"}}})
		c := newClient(t, rt)
		other, err := c.With(api.WithAccount("team-b"), api.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = other.Secrets.Get(context.Background(), "sec", nil)
		_, _ = c.Secrets.Get(context.Background(), "sec", nil)
		calls := rt.Calls()
		if len(calls) != 1+3 {
			t.Fatalf("%d requests, want 1 (the scoped Client, no retries) + 3 (the original, 2 retries)", len(calls))
		}
		if !strings.Contains(calls[0].url, "/accounts/team-b/") || !strings.Contains(calls[1].url, "/accounts/acct/") {
			t.Errorf("sent to %s and %s", calls[0].url, calls[1].url)
		}
		if other.Account() != "team-b" || c.Account() != "acct" || other.BaseURL() != c.BaseURL() {
			t.Error("With changed the original Client, or lost its base URL")
		}
	})
}

// TestEditorGivesRawCallsTheOptions: the raw client's calls go through the
// pipeline with the Client's settings, changed per call by Editor.
func TestEditorGivesRawCallsTheOptions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{status: 503, header: http.Header{"Retry-After-Ms": {"1"}}})
		c := newClient(t, rt)
		resp, err := c.Raw().GetSecretWithResponse(context.Background(), "acct", "sec", nil, api.Editor(api.WithMaxRetries(0)))
		var apiErr *api.Error
		if resp != nil || !errors.As(err, &apiErr) || apiErr.Attempts != 1 {
			t.Errorf("with Editor(WithMaxRetries(0)): %v", err)
		}
		_, err = c.Raw().GetSecretWithResponse(context.Background(), "acct", "sec", nil)
		if !errors.As(err, &apiErr) || apiErr.Attempts != 3 {
			t.Errorf("without: %v, want the Client's 2 retries", err)
		}
		if _, err := c.Raw().GetSecretWithResponse(context.Background(), "acct", "sec", nil, api.Editor(api.WithLogger(nil))); err == nil {
			t.Error("a Client option was taken by Editor")
		}
		for _, call := range rt.Calls() {
			if call.header.Get("Authorization") != "Bearer "+testAPIKey {
				t.Fatal("a raw call went out without the API key")
			}
		}
	})
}

// TestOffOriginRequestsNeverCarryTheKey: a middleware that points a call
// at another scheme, host or port gets an error, and nothing reaches the
// transport: the key stays home.
func TestOffOriginRequestsNeverCarryTheKey(t *testing.T) {
	for _, target := range []string{"https://evil.test", "http://api.fireworks.test", "https://api.fireworks.test:8443", "https://api.fireworks.test.evil.test"} {
		t.Run(target, func(t *testing.T) {
			rt := script(step{status: 200, body: secretJSON})
			c := newClient(t, rt, api.WithMiddleware(func(next api.Doer) api.Doer {
				return api.DoerFunc(func(req *http.Request) (*http.Response, error) {
					moved := req.Clone(req.Context())
					u := *req.URL
					moved.URL = &u
					parsed, _ := http.NewRequest(http.MethodGet, target, nil)
					moved.URL.Scheme, moved.URL.Host = parsed.URL.Scheme, parsed.URL.Host
					return next.Do(moved)
				})
			}))
			_, err := c.Secrets.Get(context.Background(), "sec", nil)
			var te *api.TransportError
			if !errors.As(err, &te) || !strings.Contains(err.Error(), "not sending the API key there") {
				t.Errorf("err = %v, want the request refused", err)
			}
			if n := len(rt.Calls()); n != 0 {
				t.Errorf("%d requests reached the transport", n)
			}
		})
	}
	// The same middleware, pointing at the base URL's own origin, is fine.
	rt := script(step{status: 200, body: secretJSON})
	c := newClient(t, rt, api.WithMiddleware(func(next api.Doer) api.Doer { return next }))
	if _, err := c.Secrets.Get(context.Background(), "sec", nil); err != nil {
		t.Errorf("a middleware that keeps the origin: %v", err)
	}
}

// TestALongEmptyAnswerIsStillEmpty: a Delete answered with valid JSON
// longer than the drain limit (white space, an object with fields the
// spec does not list) is no DecodeError.
func TestALongEmptyAnswerIsStillEmpty(t *testing.T) {
	long := `{"note":"` + strings.Repeat("x", 100<<10) + `"}` + strings.Repeat(" ", 70<<10)
	c := newClient(t, script(step{status: 200, body: long}))
	if err := c.Secrets.Delete(context.Background(), "sec"); err != nil {
		t.Errorf("a %d-byte JSON answer to a Delete: %v", len(long), err)
	}
}
