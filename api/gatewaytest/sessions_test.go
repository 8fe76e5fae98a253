package gatewaytest_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

const secretsPath = "/v1/accounts/acct/secrets"

// serveWith sends one request to h in memory, with "Bearer <bearer>" when
// bearer is not empty and body as JSON when not empty.
func serveWith(h http.Handler, method, path, bearer, body string) (int, string) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// refreshAnswer is Auth.RefreshSessionToken's answer.
type refreshAnswer struct {
	Token, RefreshToken           string
	ExpireTime, RefreshExpireTime time.Time
}

// refresh calls POST /v1/auth/refresh with no Authorization, as the SDK.
func refresh(h http.Handler, refreshToken string) (int, string, refreshAnswer) {
	body, _ := json.Marshal(map[string]string{"refreshToken": refreshToken})
	code, out := serveWith(h, "POST", "/v1/auth/refresh", "", string(body))
	var a refreshAnswer
	if code == http.StatusOK {
		_ = json.Unmarshal([]byte(out), &a)
	}
	return code, out, a
}

// jwtExp reads the exp claim of a JWT.
func jwtExp(t *testing.T, token string) int64 {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("the session token has %d parts, want a JWT's 3", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal("the JWT's payload is not base64url")
	}
	var claims struct{ Exp int64 }
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Exp == 0 {
		t.Fatal("the JWT's payload has no exp")
	}
	return claims.Exp
}

// wantUnauthenticated checks a 401 with the Gateway's error body, whose
// message never quotes a token.
func wantUnauthenticated(t *testing.T, what string, code int, body string, tokens ...string) {
	t.Helper()
	var st struct {
		Code    int
		Message string
	}
	if code != http.StatusUnauthorized || json.Unmarshal([]byte(body), &st) != nil || st.Code != 16 {
		t.Errorf("%s: %d %s, want 401 with code 16 (UNAUTHENTICATED)", what, code, hide(body, tokens...))
	}
	if hide(body, tokens...) != body {
		t.Errorf("%s: the answer quotes a token", what)
	}
}

// TestSessionTokenLivesUntilItsExpiryOnTheFakesClock: a session token
// (a JWT whose exp is its expiry) works until WithSessionTTL has passed on
// the fake's clock (synctest's time plus Advance), then is 401; the API
// key RequireAPIKey named keeps working.
func TestSessionTokenLivesUntilItsExpiryOnTheFakesClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, err := gatewaytest.NewHandler(gatewaytest.WithReporter(t), gatewaytest.RequireAPIKey("the-key"), gatewaytest.WithSessionTTL(10*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		s := h.NewSession()
		if want := time.Now().Add(10 * time.Minute).Truncate(time.Second); !s.Expiry.Equal(want) {
			t.Errorf("Expiry %v, want %v", s.Expiry, want)
		}
		if exp := jwtExp(t, s.IDToken); exp != s.Expiry.Unix() {
			t.Errorf("the JWT's exp is %d, want the expiry %d", exp, s.Expiry.Unix())
		}
		if code, body := serveWith(h, "GET", secretsPath, s.IDToken, ""); code != http.StatusOK {
			t.Fatalf("a live session token: %d %s", code, hide(body, s.IDToken))
		}
		time.Sleep(9 * time.Minute)
		h.Advance(59 * time.Second)
		if code, body := serveWith(h, "GET", secretsPath, s.IDToken, ""); code != http.StatusOK {
			t.Fatalf("a second before its expiry: %d %s", code, hide(body, s.IDToken))
		}
		time.Sleep(time.Second)
		code, body := serveWith(h, "GET", secretsPath, s.IDToken, "")
		wantUnauthenticated(t, "an expired session token", code, body, s.IDToken)
		if !strings.Contains(body, "expired") {
			t.Errorf("the 401 says %s, want it to say the token expired", body)
		}
		if code, body := serveWith(h, "GET", secretsPath, "the-key", ""); code != http.StatusOK {
			t.Errorf("the API key after the session expired: %d %s", code, body)
		}
		code, body = serveWith(h, "GET", secretsPath, "another-key", "")
		wantUnauthenticated(t, "another API key", code, body)
	})
}

// TestSessionTokenNotIssuedByTheFakeIsRefused: a JWT the fake did not
// sign (a forged signature, another key's token) is 401 even where any
// API key goes (no RequireAPIKey); a plain key still goes.
func TestSessionTokenNotIssuedByTheFakeIsRefused(t *testing.T) {
	h, err := gatewaytest.NewHandler(gatewaytest.WithReporter(t))
	if err != nil {
		t.Fatal(err)
	}
	s := h.NewSession()
	parts := strings.Split(s.IDToken, ".")
	forged := parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString([]byte("not the fake's signature"))
	other, err := gatewaytest.NewHandler(gatewaytest.WithReporter(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{"forged": forged, "another fake's": other.NewSession().IDToken} {
		code, body := serveWith(h, "GET", secretsPath, tok, "")
		wantUnauthenticated(t, name, code, body, tok)
	}
	if code, body := serveWith(h, "GET", secretsPath, "any-api-key", ""); code != http.StatusOK {
		t.Errorf("an API key: %d %s", code, body)
	}
}

// TestRevokedSessionTokenIsRefusedAndItsRefreshTokenStillWorks.
func TestRevokedSessionTokenIsRefusedAndItsRefreshTokenStillWorks(t *testing.T) {
	h, err := gatewaytest.NewHandler(gatewaytest.WithReporter(t))
	if err != nil {
		t.Fatal(err)
	}
	s := h.NewSession()
	if !h.RevokeSessionToken(s.IDToken) {
		t.Fatal("RevokeSessionToken did not know the token it issued")
	}
	if h.RevokeSessionToken("never-issued") {
		t.Error("RevokeSessionToken knew a token never issued")
	}
	code, body := serveWith(h, "GET", secretsPath, s.IDToken, "")
	wantUnauthenticated(t, "a revoked token", code, body, s.IDToken)
	code, body, got := refresh(h, s.RefreshToken)
	if code != http.StatusOK {
		t.Fatalf("refresh: %d %s", code, hide(body, s.RefreshToken))
	}
	if code, _ := serveWith(h, "GET", secretsPath, got.Token, ""); code != http.StatusOK {
		t.Errorf("the refreshed token: %d", code)
	}
}

// TestRefreshIssuesANewSessionAndRotatesTheRefreshToken: the refresh
// takes the refresh token alone (no Authorization) and answers a new
// token expiring WithSessionTTL later, its expireTime, a new refresh
// token and refreshExpireTime; the refresh token it took is then refused,
// as an unknown one and one that expired are; one missing is a 400.
func TestRefreshIssuesANewSessionAndRotatesTheRefreshToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, err := gatewaytest.NewHandler(gatewaytest.WithReporter(t), gatewaytest.RequireAPIKey("the-key"),
			gatewaytest.WithSessionTTL(time.Hour), gatewaytest.WithRefreshTTL(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		s := h.NewSession()
		time.Sleep(30 * time.Minute)
		code, body, got := refresh(h, s.RefreshToken)
		if code != http.StatusOK {
			t.Fatalf("refresh: %d %s", code, hide(body, s.RefreshToken))
		}
		now := time.Now()
		switch {
		case got.Token == "" || got.Token == s.IDToken:
			t.Error("the refresh answered no new token")
		case got.RefreshToken == "" || got.RefreshToken == s.RefreshToken:
			t.Error("the refresh did not rotate the refresh token")
		case !got.ExpireTime.Equal(now.Add(time.Hour).Truncate(time.Second)) || jwtExp(t, got.Token) != got.ExpireTime.Unix():
			t.Errorf("expireTime %v (exp %d), want an hour after %v", got.ExpireTime, jwtExp(t, got.Token), now)
		case !got.RefreshExpireTime.Equal(now.Add(24 * time.Hour)):
			t.Errorf("refreshExpireTime %v, want a day after %v", got.RefreshExpireTime, now)
		}
		if code, _ := serveWith(h, "GET", secretsPath, got.Token, ""); code != http.StatusOK {
			t.Errorf("the new token: %d", code)
		}

		code, body, _ = refresh(h, s.RefreshToken)
		wantUnauthenticated(t, "a refresh token used already", code, body, s.RefreshToken)
		code, body, _ = refresh(h, "gatewaytest-refresh-unknown")
		wantUnauthenticated(t, "an unknown refresh token", code, body)
		h.Advance(24 * time.Hour)
		code, body, _ = refresh(h, got.RefreshToken)
		wantUnauthenticated(t, "an expired refresh token", code, body, got.RefreshToken)
		if !strings.Contains(body, "expired") || !strings.Contains(body, "sign in again") {
			t.Errorf("the 401 says %s, want it to say the refresh token expired and to sign in again", body)
		}
		if code, body := serveWith(h, "POST", "/v1/auth/refresh", "", "{}"); code != http.StatusBadRequest {
			t.Errorf("a refresh without a refresh token: %d %s, want 400", code, body)
		}
		if n := len(h.Requests(gen.OpRefreshSessionToken)); n != 5 {
			t.Errorf("the journal has %d refresh calls, want 5", n)
		}
	})
}

// TestJournalNeverHoldsSessionTokens: the refresh call's body (the
// refresh token) and its answer's tokens, sent back as Bearer, appear
// nowhere in the journal.
func TestJournalNeverHoldsSessionTokens(t *testing.T) {
	h, err := gatewaytest.NewHandler(gatewaytest.WithReporter(t))
	if err != nil {
		t.Fatal(err)
	}
	s := h.NewSession()
	code, _, got := refresh(h, s.RefreshToken)
	if code != http.StatusOK {
		t.Fatalf("refresh: %d", code)
	}
	if code, _ := serveWith(h, "GET", secretsPath, got.Token, ""); code != http.StatusOK {
		t.Fatalf("the new token: %d", code)
	}
	journal := fmt.Sprintf("%+v", h.Journal())
	if len(h.Requests(gen.OpRefreshSessionToken)) != 1 || !strings.Contains(journal, "refreshToken") {
		t.Fatalf("the journal did not record the refresh: %s", hide(journal, s.RefreshToken, got.Token, got.RefreshToken))
	}
	for name, tok := range map[string]string{"the refresh token sent": s.RefreshToken, "the token answered": got.Token, "the refresh token answered": got.RefreshToken} {
		if strings.Contains(journal, tok) {
			t.Errorf("the journal holds %s", name)
		}
	}
}

// TestAdminSessionEndpointSignsIn: POST /_gatewaytest/session (with the
// API key) answers a session whose token the API takes, for clients in
// other languages (cmd/gatewayfake).
func TestAdminSessionEndpointSignsIn(t *testing.T) {
	h, err := gatewaytest.NewHandler(gatewaytest.WithReporter(t), gatewaytest.RequireAPIKey("the-key"))
	if err != nil {
		t.Fatal(err)
	}
	code, body := serveWith(h, "POST", "/_gatewaytest/session", "wrong-key", "{}")
	wantUnauthenticated(t, "the admin endpoint with a wrong key", code, body)
	code, body = serveWith(h, "POST", "/_gatewaytest/session", "the-key", "{}")
	var s struct{ IDToken, RefreshToken, ExpireTime, RefreshExpireTime string }
	if code != http.StatusOK || json.Unmarshal([]byte(body), &s) != nil || s.IDToken == "" || s.RefreshToken == "" || s.ExpireTime == "" || s.RefreshExpireTime == "" {
		t.Fatalf("POST /_gatewaytest/session: %d, want 200 with idToken, refreshToken, expireTime and refreshExpireTime", code)
	}
	if code, _ := serveWith(h, "GET", secretsPath, s.IDToken, ""); code != http.StatusOK {
		t.Errorf("the admin session's token: %d", code)
	}
	if code, _, _ := refresh(h, s.RefreshToken); code != http.StatusOK {
		t.Errorf("the admin session's refresh token: %d", code)
	}
}

// TestNewSessionClientSendsTheSessionToken: the client NewSessionClient
// makes is authenticated by the session (the fake requires another API
// key), and its calls carry no API key.
func TestNewSessionClientSendsTheSessionToken(t *testing.T) {
	fake, _ := gatewaytest.Start(t, gatewaytest.RequireAPIKey("the-fake-api-key"))
	c, err := fake.NewSessionClient(fake.NewSession())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accounts.Get(t.Context(), nil); err != nil {
		t.Fatalf("a call with the session: %v", err)
	}
	fake.RevokeSessionToken(fake.NewSession().IDToken) // another session's: no effect on this one
	if _, err := c.Accounts.Get(t.Context(), nil); err != nil {
		t.Fatalf("a second call: %v", err)
	}
	if n := len(fake.Requests(gen.OpRefreshSessionToken)); n != 0 {
		t.Errorf("%d refreshes of a live token, want none", n)
	}
}

// TestRequiredAPIKeyShapedAsAJWTStillWorks: the key RequireAPIKey names
// is accepted even when it looks like a JWT the fake did not issue.
func TestRequiredAPIKeyShapedAsAJWTStillWorks(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	key := enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(`{"sub":"k"}`)) + ".c2ln"
	h, err := gatewaytest.NewHandler(gatewaytest.WithReporter(t), gatewaytest.RequireAPIKey(key))
	if err != nil {
		t.Fatal(err)
	}
	if code, body := serveWith(h, "GET", secretsPath, key, ""); code != http.StatusOK {
		t.Errorf("the required key: %d %s", code, body)
	}
}
