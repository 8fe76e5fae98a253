package credentials

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// jwtWithExp returns an unsigned JWT whose exp claim is exp, with tag in
// its subject so that tokens differ.
func jwtWithExp(tag string, exp time.Time) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(fmt.Sprintf(`{"sub":%q,"exp":%d}`, tag, exp.Unix()))) + ".sig"
}

// fakeRefresher stands in for Auth.RefreshSessionToken: it takes latency
// of (virtual) time, counts its calls, and issues tokens that live ttl.
type fakeRefresher struct {
	latency time.Duration
	ttl     time.Duration
	calls   atomic.Int32
	mu      sync.Mutex
	sent    []string // the refresh tokens it was given
	rotate  bool
}

func (f *fakeRefresher) refresh(ctx context.Context, refreshToken string) (Tokens, error) {
	n := f.calls.Add(1)
	f.mu.Lock()
	f.sent = append(f.sent, refreshToken)
	f.mu.Unlock()
	time.Sleep(f.latency)
	exp := time.Now().Add(f.ttl)
	t := Tokens{Token: jwtWithExp(fmt.Sprint("refreshed-", n), exp), Expiry: exp}
	if f.rotate {
		t.RefreshToken = fmt.Sprintf("fw-rotated-refresh-%04d", n)
	}
	return t, nil
}

// TestSessionRefreshesOnceForSixtyFourCallers: a token that expires in the
// middle of a run of 64 concurrent callers is refreshed exactly once,
// ahead of its expiry, and no caller ever gets an error or a token within
// half the margin of its expiry.
func TestSessionRefreshesOnceForSixtyFourCallers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeRefresher{latency: 300 * time.Millisecond, ttl: time.Hour}
		s := NewSession(jwtWithExp("first", time.Now().Add(5*time.Minute)), fileRefresh, f.refresh)
		var wg sync.WaitGroup
		var failures, expired atomic.Int32
		for range 64 {
			wg.Go(func() {
				for range 10 * 60 { // ten minutes, one call a second
					tok, err := s.Credential(t.Context())
					if err != nil {
						failures.Add(1)
					} else if exp, ok := jwtExpiry(tok); !ok || time.Until(exp) < RefreshMargin/2 {
						// The request would carry a token that may expire
						// on its way.
						expired.Add(1)
					}
					time.Sleep(time.Second)
				}
			})
		}
		wg.Wait()
		if n := f.calls.Load(); n != 1 {
			t.Errorf("%d refreshes, want exactly 1", n)
		}
		if failures.Load() != 0 || expired.Load() != 0 {
			t.Errorf("%d calls failed, %d got a token about to expire; want none", failures.Load(), expired.Load())
		}
	})
}

// TestSessionRefreshesOnceAfterManyRefusals: 64 calls refused (401) with
// the same token cause one refresh, and all then get the new token.
func TestSessionRefreshesOnceAfterManyRefusals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeRefresher{latency: 50 * time.Millisecond, ttl: time.Hour}
		first := jwtWithExp("first", time.Now().Add(time.Hour))
		s := NewSession(first, fileRefresh, f.refresh)
		var wg sync.WaitGroup
		var stillFirst atomic.Int32
		for range 64 {
			wg.Go(func() {
				if tok, _ := s.Credential(t.Context()); tok == first {
					s.Invalidate(tok) // the server refuses the first token
				}
				again, err := s.Credential(t.Context())
				if err != nil || again == first {
					stillFirst.Add(1)
				}
			})
		}
		wg.Wait()
		if n := f.calls.Load(); n != 1 {
			t.Errorf("%d refreshes, want 1", n)
		}
		if stillFirst.Load() != 0 {
			t.Errorf("%d callers did not get the refreshed token", stillFirst.Load())
		}
	})
}

// TestSessionRotatesItsRefreshToken: the next refresh sends the refresh
// token the last one returned.
func TestSessionRotatesItsRefreshToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeRefresher{ttl: 10 * time.Minute, rotate: true}
		s := NewSession(jwtWithExp("first", time.Now().Add(-time.Second)), fileRefresh, f.refresh)
		for range 3 {
			if _, err := s.Credential(t.Context()); err != nil {
				t.Fatal(err)
			}
			time.Sleep(10 * time.Minute)
		}
		want := []string{fileRefresh, "fw-rotated-refresh-0001", "fw-rotated-refresh-0002"}
		if strings.Join(f.sent, ",") != strings.Join(want, ",") {
			t.Errorf("refresh tokens sent in the wrong order (%d sent)", len(f.sent))
		}
	})
}

// TestShortLivedTokenRefreshedAtHalfLife: a token living less than twice
// the margin is refreshed at half its life, not at once on every call.
func TestShortLivedTokenRefreshedAtHalfLife(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeRefresher{ttl: time.Hour}
		s := NewSession(jwtWithExp("short", time.Now().Add(40*time.Second)), fileRefresh, f.refresh)
		s.Credential(t.Context())
		time.Sleep(19 * time.Second)
		s.Credential(t.Context())
		if f.calls.Load() != 0 {
			t.Fatal("refreshed before half the token's life")
		}
		time.Sleep(2 * time.Second)
		s.Credential(t.Context())
		if f.calls.Load() != 1 {
			t.Fatal("not refreshed after half the token's life")
		}
	})
}

// TestFailedRefresh: a refresh that fails, answers garbage, or cannot be
// made (the refresh token expired) is a SessionError saying to sign in
// again, one line, with no token in it; an expired refresh token sends
// nothing.
func TestFailedRefresh(t *testing.T) {
	expiredRefresh := func(ctx context.Context, _ string) (Tokens, error) {
		return Tokens{Token: jwtWithExp("x", time.Now().Add(time.Hour)), RefreshExpiry: time.Now().Add(time.Minute)}, nil
	}
	cases := []struct {
		name    string
		refresh RefreshFunc
		want    string
	}{
		{"server error quoting the refresh token", func(context.Context, string) (Tokens, error) {
			return Tokens{}, errors.New("401 UNAUTHENTICATED: refresh token " + fileRefresh + " is revoked")
		}, "401 UNAUTHENTICATED: refresh token [REDACTED] is revoked"},
		{"no token in the answer", func(context.Context, string) (Tokens, error) { return Tokens{}, nil }, "the answer has no token"},
		{"a token with a newline", func(context.Context, string) (Tokens, error) { return Tokens{Token: fileIDToken + "\n"}, nil }, "white space"},
		{"a token expired already", func(context.Context, string) (Tokens, error) {
			return Tokens{Token: fileIDToken, Expiry: time.Now().Add(-time.Second)}, nil
		}, "the answer's token expired already"},
		{"the refresh token expired", expiredRefresh, "the refresh token expired at"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var calls atomic.Int32
				refresh := func(ctx context.Context, rt string) (Tokens, error) {
					calls.Add(1)
					return tc.refresh(ctx, rt)
				}
				s := NewSession(jwtWithExp("first", time.Now().Add(-time.Second)), fileRefresh, refresh)
				if tc.name == "the refresh token expired" {
					tok := mustCredential(t, s) // the first refresh works, and says the refresh token expires in a minute
					time.Sleep(2 * time.Minute)
					s.Invalidate(tok)
					calls.Store(0)
				}
				_, err := s.Credential(t.Context())
				var se *SessionError
				if !errors.As(err, &se) {
					t.Fatalf("got %T, want *SessionError", err)
				}
				msg := err.Error()
				checkNoSecret(t, msg)
				if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "sign in again (`firectl signin`)") || strings.Contains(msg, "\n") {
					t.Errorf("error %q; want one line with %q and the advice to sign in", msg, tc.want)
				}
				if tc.name == "the refresh token expired" && calls.Load() != 0 {
					t.Error("a refresh was sent with an expired refresh token")
				}
			})
		})
	}
}

func mustCredential(t *testing.T, s *Session) string {
	t.Helper()
	tok, err := s.Credential(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestSessionWaiterGivesUp: a caller whose context ends stops waiting at
// once, and the refresh it started still serves the others.
func TestSessionWaiterGivesUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeRefresher{latency: time.Minute, ttl: time.Hour}
		s := NewSession(jwtWithExp("old", time.Now().Add(-time.Second)), fileRefresh, f.refresh)
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		if _, err := s.Credential(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want the caller's deadline", err)
		}
		if _, err := s.Credential(t.Context()); err != nil {
			t.Fatal(err)
		}
		if f.calls.Load() != 1 {
			t.Errorf("%d refreshes, want the one the first caller started", f.calls.Load())
		}
	})
}

// TestInvalidateOfAnOldTokenKeepsTheNewOne: a 401 to a token refreshed
// since does not cause another refresh.
func TestInvalidateOfAnOldTokenKeepsTheNewOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &fakeRefresher{ttl: time.Hour}
		old := jwtWithExp("old", time.Now().Add(time.Hour))
		s := NewSession(old, fileRefresh, f.refresh)
		s.Invalidate(old)
		mustCredential(t, s)
		s.Invalidate(old)
		mustCredential(t, s)
		if f.calls.Load() != 1 {
			t.Errorf("%d refreshes, want 1", f.calls.Load())
		}
	})
}

// TestJWTExpiry reads exp without verifying, and refuses what is not a JWT
// with a usable exp.
func TestJWTExpiry(t *testing.T) {
	at := time.Unix(4102444800, 0)
	if got, ok := jwtExpiry(jwtWithExp("x", at)); !ok || !got.Equal(at) {
		t.Errorf("jwtExpiry = %v, %v", got, ok)
	}
	enc := base64.RawURLEncoding.EncodeToString
	for _, bad := range []string{"", "a.b", "a.b.c.d", "a.!!!.c", "a." + enc([]byte(`{}`)) + ".c", "a." + enc([]byte(`{"exp":"soon"}`)) + ".c", "a." + enc([]byte(`{"exp":-1}`)) + ".c", "a." + enc([]byte(`[`)) + ".c"} {
		if _, ok := jwtExpiry(bad); ok {
			t.Errorf("jwtExpiry(%q) ok", bad)
		}
	}
}
