package gatewaytest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Sessions, as firectl signin keeps one: a session token (a JWT signed
// with a key of the fake's own, whose exp claim is on the fake's clock)
// and a refresh token. POST /v1/auth/refresh (Auth.RefreshSessionToken)
// takes a refresh token, in its body, as its only credential: it answers
// a new token, its expireTime, a new refresh token and refreshExpireTime,
// and the refresh token it took can never be used again (rotation). A
// session token sent as Bearer is accepted until it expires or is
// revoked, whatever RequireAPIKey says; an expired, revoked or unknown
// one (a JWT the fake did not issue) gets 401 UNAUTHENTICATED. Any other
// Bearer token is an API key, checked as before.

// DefaultSessionTTL is how long a session token of the fake lives, unless
// WithSessionTTL says otherwise.
const DefaultSessionTTL = time.Hour

// DefaultRefreshTTL is how long a refresh token of the fake stays usable,
// unless WithRefreshTTL says otherwise.
const DefaultRefreshTTL = 30 * 24 * time.Hour

// WithSessionTTL sets how long the session tokens that NewSession and
// Auth.RefreshSessionToken issue live (d > 0), on the fake's clock.
func WithSessionTTL(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.sessionTTL = d
		}
	}
}

// WithRefreshTTL sets how long a refresh token stays usable (d > 0), on
// the fake's clock.
func WithRefreshTTL(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.refreshTTL = d
		}
	}
}

// Session is a session the fake issued: what firectl signin writes to
// auth.ini (id_token, refresh_token), for api.WithSession.
type Session struct {
	// IDToken is the session token, a JWT, sent as "Bearer <IDToken>".
	IDToken string
	// RefreshToken is what Auth.RefreshSessionToken takes, once.
	RefreshToken string
	// Expiry is when IDToken expires, on the fake's clock.
	Expiry time.Time
	// RefreshExpiry is when RefreshToken expires, on the fake's clock.
	RefreshExpiry time.Time
}

// NewSession starts a session, as a sign-in would, and returns its tokens.
func (h *Handler) NewSession() Session {
	return h.sessions.issue(h.engine.now())
}

// RevokeSessionToken makes the fake refuse a session token it issued
// (401 UNAUTHENTICATED) before it expires, as a server that lost or
// invalidated it; false when the fake never issued it. The session's
// refresh token still works.
func (h *Handler) RevokeSessionToken(token string) bool {
	s := h.sessions
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tokens[token]; !ok {
		return false
	}
	s.tokens[token] = time.Time{} // the zero time: expired always
	return true
}

// sessionStore holds the sessions of one fake.
type sessionStore struct {
	key        []byte // signs the JWTs
	ttl        time.Duration
	refreshTTL time.Duration

	mu      sync.Mutex
	seq     int
	tokens  map[string]time.Time          // session token -> expiry
	refresh map[string]*refreshTokenState // refresh token -> state
}

type refreshTokenState struct {
	expiry time.Time
	used   bool
}

func newSessionStore(ttl, refreshTTL time.Duration) *sessionStore {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return &sessionStore{key: key, ttl: ttl, refreshTTL: refreshTTL,
		tokens: map[string]time.Time{}, refresh: map[string]*refreshTokenState{}}
}

// issue mints a session token and a refresh token at now.
func (s *sessionStore) issue(now time.Time) Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	out := Session{Expiry: now.Add(s.ttl).Truncate(time.Second), RefreshExpiry: now.Add(s.refreshTTL).UTC()}
	out.IDToken = s.sign(s.seq, now, out.Expiry)
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	out.RefreshToken = "gatewaytest-refresh-" + hex.EncodeToString(nonce)
	s.tokens[out.IDToken] = out.Expiry
	s.refresh[out.RefreshToken] = &refreshTokenState{expiry: out.RefreshExpiry}
	return out
}

var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// sign returns a JWT (HS256 under the fake's key) for session number seq.
// Its exp is whole seconds, as JWTs carry it: expiry is truncated to them.
func (s *sessionStore) sign(seq int, now, expiry time.Time) string {
	payload, _ := json.Marshal(map[string]any{
		"iss": "gatewaytest", "sub": Account, "jti": seq,
		"iat": now.Unix(), "exp": expiry.Unix(),
	})
	signed := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(payload)
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(signed))
	return signed + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// isJWT reports whether a Bearer token has a JWT's shape (three
// base64url parts, the first a JSON header with "alg"): a session token,
// never taken as an API key.
func isJWT(token string) bool {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return false
	}
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	return json.Unmarshal(header, &h) == nil && h.Alg != ""
}

// checkToken says why a session token is refused at now ("" when live).
// The reason never quotes the token.
func (s *sessionStore) checkToken(token string, now time.Time) string {
	s.mu.Lock()
	expiry, ok := s.tokens[token]
	s.mu.Unlock()
	switch {
	case !ok:
		return "the session token is not one this server issued"
	case !now.Before(expiry):
		return "the session token expired"
	}
	return ""
}

// refreshAnswer answers Auth.RefreshSessionToken: decoded is the body as
// validation decoded it. Its errors never quote a token.
func (s *sessionStore) refreshAnswer(decoded any, now time.Time) response {
	body, _ := decoded.(map[string]any)
	given, _ := body["refreshToken"].(string)
	if given == "" {
		return errorResponse(http.StatusBadRequest, codeInvalidArgument, "refreshToken: required")
	}
	s.mu.Lock()
	state, ok := s.refresh[given]
	reason := ""
	switch {
	case !ok:
		reason = "the refresh token is not one this server issued"
	case state.used:
		reason = "the refresh token was used already (a refresh rotates it)"
	case !now.Before(state.expiry):
		reason = "the refresh token expired"
	default:
		state.used = true
	}
	s.mu.Unlock()
	if reason != "" {
		return errorResponse(http.StatusUnauthorized, codeUnauthenticated, reason+"; sign in again")
	}
	next := s.issue(now)
	answer, _ := json.Marshal(map[string]string{
		"token":             next.IDToken,
		"expireTime":        next.Expiry.UTC().Format(time.RFC3339Nano),
		"refreshToken":      next.RefreshToken,
		"refreshExpireTime": next.RefreshExpiry.UTC().Format(time.RFC3339Nano),
	})
	return jsonResponse(answer)
}
