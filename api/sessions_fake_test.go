package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// Sessions against the fake Gateway (gatewaytest models them: tokens
// that expire on its clock, rotating refresh tokens, 401 UNAUTHENTICATED),
// served in memory inside a testing/synctest bubble.

// sessionFake returns a fake Gateway holding secret "s", a session it
// issued, and a Client authenticated by that session.
func sessionFake(t *testing.T, opts ...gatewaytest.Option) (*gatewaytest.Handler, gatewaytest.Session, *api.Client) {
	t.Helper()
	fake, _ := memoryClient(t, append([]gatewaytest.Option{gatewaytest.RequireAPIKey(testAPIKey)}, opts...)...)
	if err := fake.h.AddSecret("acct", "s", "KEY", "v"); err != nil {
		t.Fatal(err)
	}
	s := fake.h.NewSession()
	c, err := api.New(api.WithSession(s.IDToken, s.RefreshToken), api.WithBaseURL("http://127.0.0.1:9"), api.WithAccount("acct"),
		api.WithHTTPClient(&http.Client{Transport: fake}), api.WithoutCredentialFiles())
	if err != nil {
		t.Fatal(err)
	}
	return fake.h, s, c
}

// TestFakeSessionExpiringMidRunRefreshedOnceFor64Callers: 64 callers
// run for 6 minutes with a session token that expires after 5: exactly
// one refresh reaches the fake, and no call fails.
func TestFakeSessionExpiringMidRunRefreshedOnceFor64Callers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, s, c := sessionFake(t, gatewaytest.WithSessionTTL(5*time.Minute))
		var wg sync.WaitGroup
		var failed atomic.Int32
		var firstErr atomic.Value
		for range 64 {
			wg.Go(func() {
				for range 25 { // 25 calls 15s apart: 6 minutes
					if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
					}
					time.Sleep(15 * time.Second)
				}
			})
		}
		wg.Wait()
		if n := len(h.Requests(gen.OpRefreshSessionToken)); n != 1 {
			t.Errorf("%d refresh calls reached the fake, want exactly 1", n)
		}
		if n := failed.Load(); n != 0 {
			t.Errorf("%d calls failed, want none; the first: %v", n, firstErr.Load())
		}
		if n := len(h.Requests(gen.OpGetSecret)); n != 64*25 {
			t.Errorf("the fake got %d Get calls, want %d (one each, none refused and sent again)", n, 64*25)
		}
		if time.Now().Before(s.Expiry) {
			t.Fatal("the run ended before the first token expired")
		}
	})
}

// TestFakeSessionRefreshedAgainAndAgainWithTheRotatedRefreshToken: a
// program that runs for three token lifetimes refreshes three times, each
// with the refresh token the last refresh answered (the fake refuses a
// used one).
func TestFakeSessionRefreshedAgainAndAgainWithTheRotatedRefreshToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, _, c := sessionFake(t, gatewaytest.WithSessionTTL(10*time.Minute))
		for i := range 30 {
			if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
				t.Fatalf("call %d, at %v: %v", i, time.Now().UTC(), err)
			}
			time.Sleep(time.Minute)
		}
		if n := len(h.Requests(gen.OpRefreshSessionToken)); n != 3 {
			t.Errorf("%d refreshes in 30 minutes of 10-minute tokens, want 3", n)
		}
	})
}

// TestFakeSessionTokenRefusedEarlyIsRefreshedOnce: a token the fake stops
// taking before the client expected (revoked, or expired on the fake's
// clock, ahead of the client's) gets a 401; the client refreshes once and
// the call succeeds on its second attempt.
func TestFakeSessionTokenRefusedEarlyIsRefreshedOnce(t *testing.T) {
	for name, refuse := range map[string]func(*gatewaytest.Handler, gatewaytest.Session){
		"revoked":               func(h *gatewaytest.Handler, s gatewaytest.Session) { h.RevokeSessionToken(s.IDToken) },
		"expired on the fake's": func(h *gatewaytest.Handler, _ gatewaytest.Session) { h.Advance(time.Hour) },
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h, s, c := sessionFake(t, gatewaytest.WithSessionTTL(time.Hour))
				if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
					t.Fatal(err)
				}
				refuse(h, s)
				if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
					t.Fatalf("the call failed after the token was refused: %v", err)
				}
				if n := len(h.Requests(gen.OpRefreshSessionToken)); n != 1 {
					t.Errorf("%d refreshes, want 1", n)
				}
				if n := len(h.Requests(gen.OpGetSecret)); n != 3 {
					t.Errorf("the fake got %d Get calls, want 3 (one before, one refused, one after the refresh)", n)
				}
			})
		})
	}
}

// TestFakeSessionExpiredRefreshTokenSaysSignInAgain: when the token and
// the refresh token have both expired, the call fails with a
// *api.SessionError that says to sign in again, without a token in its
// text; the refresh is all that reached the fake.
func TestFakeSessionExpiredRefreshTokenSaysSignInAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, s, c := sessionFake(t, gatewaytest.WithSessionTTL(time.Hour), gatewaytest.WithRefreshTTL(2*time.Hour))
		time.Sleep(3 * time.Hour)
		h.ResetJournal()
		_, err := c.Secrets.Get(context.Background(), "s", nil)
		var se *api.SessionError
		if !errors.As(err, &se) {
			t.Fatalf("got %v, want a *api.SessionError", err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "sign in again") || !strings.Contains(msg, "refresh token expired") || strings.Contains(msg, "\n") {
			t.Errorf("error %q: want one line that says the refresh token expired and to sign in again", msg)
		}
		if strings.Contains(msg, s.IDToken) || strings.Contains(msg, s.RefreshToken) {
			t.Error("the error holds a token")
		}
		var apiErr *api.Error
		if !errors.As(se.Err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized || !errors.Is(err, api.ErrUnauthenticated) {
			t.Errorf("SessionError.Err = %v, want the refresh's 401 UNAUTHENTICATED", se.Err)
		}
		if !strings.Contains(se.Reason, "refresh token expired") {
			t.Errorf("SessionError.Reason = %q, want the fake's reason", se.Reason)
		}
		var ops []string
		for _, e := range h.Journal() {
			ops = append(ops, string(e.Operation))
		}
		if fmt.Sprint(ops) != fmt.Sprint([]string{string(gen.OpRefreshSessionToken)}) {
			t.Errorf("the fake got %v, want the refresh alone", ops)
		}
	})
}

// TestFakeSessionRefreshTokenKnownToBeExpiredSendsNothing: once a refresh
// has told the client when the refresh token expires, a call after that
// fails with a *api.SessionError whose Err is nil: no refresh, no call,
// reaches the fake.
func TestFakeSessionRefreshTokenKnownToBeExpiredSendsNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, _, c := sessionFake(t, gatewaytest.WithSessionTTL(time.Hour), gatewaytest.WithRefreshTTL(90*time.Minute))
		time.Sleep(time.Hour)
		if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
			t.Fatalf("the call that refreshes: %v", err)
		}
		time.Sleep(2 * time.Hour)
		h.ResetJournal()
		_, err := c.Secrets.Get(context.Background(), "s", nil)
		var se *api.SessionError
		if !errors.As(err, &se) || se.Err != nil || !strings.Contains(se.Reason, "the refresh token expired at ") {
			t.Fatalf("got %v, want a *api.SessionError saying the refresh token expired, with no refresh's error", err)
		}
		if n := len(h.Journal()); n != 0 {
			t.Errorf("%d requests reached the fake, want none", n)
		}
	})
}
