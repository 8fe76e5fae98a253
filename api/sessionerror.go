package api

import (
	"errors"

	"github.com/fireworks-gateway/go-sdk/internal/credentials"
)

// SessionError is a session (WithSession, or the id_token and
// refresh_token that firectl signin writes) whose token could not be
// refreshed: the refresh token expired or was refused, or the refresh
// answered what cannot be used. The call that needed the token is not
// sent. Its text says why and to sign in again; it never holds a token.
// errors.As finds it in the error of that call:
//
//	var se *api.SessionError
//	if errors.As(err, &se) {
//		// ask the user to run `firectl signin` again
//	}
type SessionError struct {
	// Reason says why the refresh failed, such as "the refresh token
	// expired at 2026-01-02T15:04:05Z" or the refresh call's error, with
	// every token redacted.
	Reason string
	// Err is the refresh call's own error (for a refused refresh token,
	// an *Error with StatusCode 401, so that errors.Is(err,
	// ErrUnauthenticated) holds), or nil when no refresh was sent (the
	// refresh token had expired already).
	Err error
}

// Error says why the session could not be refreshed, and to sign in again.
func (e *SessionError) Error() string { return credentials.SessionMessage(e.Reason) }

// Unwrap returns Err.
func (e *SessionError) Unwrap() error { return e.Err }

// publicSessionError turns the session's internal error into a
// *SessionError; any other error is returned as it is.
func publicSessionError(err error) error {
	var se *credentials.SessionError
	if !errors.As(err, &se) {
		return err
	}
	return &SessionError{Reason: se.Reason(), Err: se.Unwrap()}
}
