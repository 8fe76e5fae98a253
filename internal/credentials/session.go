package credentials

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/fireworks-gateway/go-sdk/internal/redact"
)

// RefreshMargin is how long before its expiry a session token is
// refreshed, so that a request never leaves with a token that expires on
// the way. A token that lives less than twice as long is refreshed at half
// its life.
const RefreshMargin = time.Minute

// Tokens are what a refresh returns (Auth.RefreshSessionToken's answer).
type Tokens struct {
	Token         string    // the new session token (a JWT)
	Expiry        time.Time // its expireTime; zero: the JWT's exp, else unknown
	RefreshToken  string    // the next refresh token; "": unchanged
	RefreshExpiry time.Time // the refresh token's expiry; zero: unknown
}

// RefreshFunc exchanges a refresh token for new Tokens: a call of
// Auth.RefreshSessionToken, which sends no other credential.
type RefreshFunc func(ctx context.Context, refreshToken string) (Tokens, error)

// Session is a Source holding a session token and its refresh token. It
// refreshes the token before it expires (RefreshMargin before its
// expireTime, or its JWT exp claim), and after Invalidate (the server
// answered 401 to it); concurrent callers share one refresh. A rotated
// refresh token is kept in memory only: the files it came from are never
// written.
type Session struct {
	refresh RefreshFunc

	mu            sync.Mutex
	token         string
	refreshAt     time.Time // zero: never by the clock
	expiry        time.Time // zero: unknown
	stale         bool      // refused by the server
	refreshToken  string
	refreshExpiry time.Time // zero: unknown
	inflight      *refreshCall
}

// refreshCall is one refresh, shared by the callers that wait for it.
type refreshCall struct {
	done  chan struct{}
	token string
	err   error
}

// NewSession returns a Session starting from token and refreshToken (as
// firectl signin writes them). A token whose expiry cannot be read is
// used until the server refuses it.
func NewSession(token, refreshToken string, refresh RefreshFunc) *Session {
	s := &Session{refresh: refresh, token: token, refreshToken: refreshToken}
	if exp, ok := jwtExpiry(token); ok {
		s.setExpiry(exp, time.Now())
	}
	return s
}

// setExpiry records when the token expires and when to refresh it.
func (s *Session) setExpiry(expiry, now time.Time) {
	margin := RefreshMargin
	if life := expiry.Sub(now); life < 2*margin {
		margin = life / 2
	}
	s.expiry, s.refreshAt = expiry, expiry.Add(-margin)
}

// Credential returns the session token, refreshing it first when it is
// due or was refused. The refresh runs on its own, with ctx's values but
// not its cancellation, so that a caller that gives up does not fail the
// others waiting for it; ctx bounds only this caller's wait.
func (s *Session) Credential(ctx context.Context) (string, error) {
	s.mu.Lock()
	now := time.Now()
	if !s.stale && (s.refreshAt.IsZero() || now.Before(s.refreshAt)) {
		t := s.token
		s.mu.Unlock()
		return t, nil
	}
	c := s.inflight
	if c == nil {
		if !s.refreshExpiry.IsZero() && !now.Before(s.refreshExpiry) {
			s.mu.Unlock()
			return "", &SessionError{reason: fmt.Sprintf("the refresh token expired at %s", s.refreshExpiry.UTC().Format(time.RFC3339))}
		}
		c = &refreshCall{done: make(chan struct{})}
		s.inflight = c
		go s.run(context.WithoutCancel(ctx), c, s.refreshToken)
	}
	s.mu.Unlock()
	select {
	case <-c.done:
		return c.token, c.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// run makes one refresh and hands its outcome to every caller waiting.
func (s *Session) run(ctx context.Context, c *refreshCall, refreshToken string) {
	got, err := s.refresh(ctx, refreshToken)
	now := time.Now()
	if err == nil {
		err = checkRefreshed(got, now)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer close(c.done)
	s.inflight = nil
	if err != nil {
		c.err = newSessionError(err, []string{got.Token, got.RefreshToken, refreshToken, s.token})
		return
	}
	s.token, s.stale = got.Token, false
	expiry := got.Expiry
	if expiry.IsZero() {
		expiry, _ = jwtExpiry(got.Token)
	}
	s.expiry, s.refreshAt = time.Time{}, time.Time{}
	if !expiry.IsZero() {
		s.setExpiry(expiry, now)
	}
	if got.RefreshToken != "" {
		s.refreshToken = got.RefreshToken
	}
	if !got.RefreshExpiry.IsZero() {
		s.refreshExpiry = got.RefreshExpiry
	}
	c.token = got.Token
}

// checkRefreshed refuses an answer that cannot be used: no token, a token
// that cannot be sent as a header, one that is expired already.
func checkRefreshed(t Tokens, now time.Time) error {
	switch {
	case t.Token == "":
		return errors.New("the answer has no token")
	case CheckValue(t.Token, "token") != nil:
		return errors.New("the answer's token contains white space or a control character")
	case CheckValue(t.RefreshToken, "refreshToken") != nil:
		return errors.New("the answer's refresh token contains white space or a control character")
	case !t.Expiry.IsZero() && !now.Before(t.Expiry):
		return fmt.Errorf("the answer's token expired already (expireTime %s)", t.Expiry.UTC().Format(time.RFC3339))
	}
	return nil
}

// Invalidate tells s the server refused token: if it is still s's token,
// the next Credential refreshes it. A token refreshed since is kept, so
// that many calls refused at once cause one refresh.
func (s *Session) Invalidate(token string) {
	s.mu.Lock()
	if token == s.token {
		s.stale = true
	}
	s.mu.Unlock()
}

// SessionError is a session that could not be refreshed. Its text says
// why and to sign in again; it never holds a token.
type SessionError struct {
	reason string
	err    error
}

// newSessionError wraps a refresh's failure, with the tokens it may quote
// redacted from its text.
func newSessionError(err error, tokens []string) *SessionError {
	return &SessionError{reason: redact.String(err.Error(), tokens), err: err}
}

func (e *SessionError) Error() string { return SessionMessage(e.reason) }

// SessionMessage is the text of a session error whose refresh failed for
// reason.
func SessionMessage(reason string) string {
	return "session could not be refreshed: " + reason + "; sign in again (`firectl signin`)"
}

// Reason says why the refresh failed, with no token in it.
func (e *SessionError) Reason() string { return e.reason }

// Unwrap returns the refresh's own error (such as the API's *Error), nil
// when the refresh was not tried.
func (e *SessionError) Unwrap() error { return e.err }
