package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/fireworks-gateway/go-sdk/gen"
)

// Per-call options are gen.RequestEditorFn values: pass them after the
// other arguments of any operation, as in
//
//	c.UpdateSecretWithResponse(ctx, account, id, body, api.CallMaxRetries(5))

// callSettings override the Client's settings for one call; nil fields
// keep the Client's.
type callSettings struct {
	maxRetries  *int
	timeout     *time.Duration
	retryUnsafe bool
}

type callSettingsKey struct{}

func callSettingsFrom(ctx context.Context) callSettings {
	s, _ := ctx.Value(callSettingsKey{}).(callSettings)
	return s
}

// editCall returns a RequestEditorFn that changes the call's settings. The
// settings travel in the request's context; the request is otherwise
// untouched.
func editCall(edit func(*callSettings) error) gen.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		s := callSettingsFrom(req.Context())
		if err := edit(&s); err != nil {
			return err
		}
		*req = *req.WithContext(context.WithValue(req.Context(), callSettingsKey{}, s))
		return nil
	}
}

// CallMaxRetries sets the number of retries for one call.
func CallMaxRetries(n int) gen.RequestEditorFn {
	return editCall(func(s *callSettings) error {
		if n < 0 {
			return fmt.Errorf("CallMaxRetries: %d is negative", n)
		}
		s.maxRetries = &n
		return nil
	})
}

// CallTimeout sets the per-attempt timeout for one call.
func CallTimeout(d time.Duration) gen.RequestEditorFn {
	return editCall(func(s *callSettings) error {
		if d <= 0 {
			return fmt.Errorf("CallTimeout: %v is not positive", d)
		}
		s.timeout = &d
		return nil
	})
}

// CallRetryNonIdempotent lets one POST or PATCH call be retried after
// failures where the server may already have acted (see
// WithRetryNonIdempotent).
func CallRetryNonIdempotent() gen.RequestEditorFn {
	return editCall(func(s *callSettings) error {
		s.retryUnsafe = true
		return nil
	})
}
