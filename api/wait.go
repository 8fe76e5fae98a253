package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/fireworks-gateway/go-sdk/gen"
)

// Waiting for a resource: every service whose resource has a state (19 of
// them: deployments, jobs, datasets, models...) has a generated Wait that
// polls its Get through the Client's pipeline until the state settles.
// Which states end a wait, and how, comes from the spec's enum by a rule
// (gen.States; README.md, "Waiting for a resource"); options override it.

// Defaults of a wait's polling.
const (
	DefaultFirstPoll = time.Second      // the wait after the first poll
	DefaultMaxPoll   = 30 * time.Second // the longest wait between polls
)

// ErrFailedState and ErrUnexpectedState are the causes of a *WaitError for a
// resource that settled in a failure state (FAILED, CANCELLED, EXPIRED...)
// or in a steady state the wait was not for (a PAUSED job).
var (
	ErrFailedState     = errors.New("the resource reached a failure state")
	ErrUnexpectedState = errors.New("the resource settled in a state the wait was not for")
)

// WaitError is a wait that did not end in the state it waited for: the
// resource failed (ErrFailedState), settled elsewhere (ErrUnexpectedState),
// or the context ended first (context.DeadlineExceeded, context.Canceled).
// errors.Is finds the cause.
type WaitError struct {
	// Resource and ID say what was waited for: "deployment", "d1".
	Resource, ID string
	// State is the last state seen, and Message the resource's status
	// message with it, if any.
	State, Message string
	// Polls is how many times the resource was read.
	Polls int
	// Value is the last resource read (a *gen.Deployment, say), nil if none.
	Value any
	// Err is the cause.
	Err error
}

func (e *WaitError) Error() string {
	msg := fmt.Sprintf("waiting for %s %s: ", e.Resource, e.ID)
	switch {
	case errors.Is(e.Err, ErrFailedState), errors.Is(e.Err, ErrUnexpectedState):
		msg += fmt.Sprintf("it is %s", e.State)
		if e.Message != "" {
			msg += ": " + oneLine(e.Message, maxMessageInError)
		}
	case e.State != "":
		msg += fmt.Sprintf("still %s after %d polls: %v", e.State, e.Polls, e.Err)
	default:
		msg += fmt.Sprintf("%v after %d polls", e.Err, e.Polls)
	}
	return msg
}

func (e *WaitError) Unwrap() error { return e.Err }

// WaitProgress is what a wait reports after each poll (OnWaitProgress).
type WaitProgress struct {
	Resource, ID string
	State        string
	Polls        int
	Elapsed      time.Duration
	// Next is the wait before the next poll; 0 when the wait is over.
	Next time.Duration
}

// waitSettings are the options of a Wait.
type waitSettings struct {
	until, failOn []string // nil: the enum's, by rule
	first, max    time.Duration
	progress      func(WaitProgress)
}

func newWaitSettings() waitSettings {
	return waitSettings{first: DefaultFirstPoll, max: DefaultMaxPoll}
}

// waitOption is a WaitOption: it sets a wait's settings, in a Wait or in
// an Upload's wait.
type waitOption func(*waitSettings) error

func (o waitOption) applyToWorkflow(t *workflowTarget) error {
	if t.wait == nil {
		// Only a workflow that waits takes a WaitOption; none other can.
		return errors.New("a wait option given to a call that does not wait")
	}
	return o(t.wait)
}
func (waitOption) isWaitOption()   {}
func (waitOption) isUploadOption() {}

// UntilReady waits for the resource's success states (READY, COMPLETED,
// ACTIVE...: gen.States' Success), which is what Wait does without it.
func UntilReady() WaitOption {
	return waitOption(func(w *waitSettings) error {
		w.until = nil
		return nil
	})
}

// UntilStates makes Wait end, successfully, when the state is one of
// states, instead of the enum's success states.
func UntilStates(states ...string) WaitOption {
	return waitOption(func(w *waitSettings) error {
		if len(states) == 0 {
			return errors.New("UntilStates: no state")
		}
		w.until = states
		return nil
	})
}

// FailOnStates makes Wait end with an ErrFailedState *WaitError when the
// state is one of states, instead of the enum's failure states.
func FailOnStates(states ...string) WaitOption {
	return waitOption(func(w *waitSettings) error {
		w.failOn = states
		return nil
	})
}

// WithPollInterval sets the wait after the first poll and the longest wait
// between polls (DefaultFirstPoll, DefaultMaxPoll); each wait is half as
// long again as the one before, less up to a quarter of jitter.
func WithPollInterval(first, max time.Duration) WaitOption {
	return waitOption(func(w *waitSettings) error {
		if first <= 0 || max < first {
			return fmt.Errorf("WithPollInterval: want 0 < first <= max, got %v and %v", first, max)
		}
		w.first, w.max = first, max
		return nil
	})
}

// OnWaitProgress calls f after every poll of a wait.
func OnWaitProgress(f func(WaitProgress)) WaitOption {
	return waitOption(func(w *waitSettings) error {
		w.progress = f
		return nil
	})
}

// withSettings hands a call the settings a workflow resolved already.
func withSettings(s callSettings) Option {
	return callOption(func(c *callSettings) error {
		*c = s
		return nil
	})
}

// waitKind is what a state means to a wait with these settings.
func (w *waitSettings) kind(kinds gen.StateKinds, state string) string {
	until, failOn := kinds.Success, kinds.Failure
	if w.until != nil {
		until = w.until
	}
	if w.failOn != nil {
		failOn = w.failOn
	}
	switch {
	case slices.Contains(until, state):
		return "success"
	case slices.Contains(failOn, state):
		return "failure"
	case slices.Contains(kinds.Transitional, state), state == "":
		return "transitional"
	case w.until != nil && (slices.Contains(kinds.Success, state) || slices.Contains(kinds.Other, state)):
		return "unexpected"
	case slices.Contains(kinds.Other, state), slices.Contains(kinds.Failure, state):
		return "unexpected"
	}
	// A value the spec did not list: the API moved on; keep waiting rather
	// than fail a wait the caller can end with its context.
	return "transitional"
}

// pollUntil polls get until the resource's state settles, as ws says.
// stateOf gives a resource's state and status message. The generated Wait
// methods resolve their options and call it.
func pollUntil[T any](ctx context.Context, c *Client, noun, id string, kinds gen.StateKinds, ws *waitSettings,
	get func(context.Context) (*T, error), stateOf func(*T) (string, string)) (*T, error) {
	start := time.Now()
	delay := ws.first
	var last *T
	var state, message string
	fail := func(polls int, cause error) (*T, error) {
		e := &WaitError{Resource: noun, ID: id, State: state, Message: message, Polls: polls, Err: cause}
		if last != nil {
			e.Value = last
		}
		return last, e
	}
	for polls := 1; ; polls++ {
		v, err := get(ctx)
		next := jitter(delay)
		switch {
		case err == nil:
			last = v
			state, message = stateOf(v)
			switch ws.kind(kinds, state) {
			case "success":
				c.reportWait(ctx, ws, noun, id, state, polls, start, 0)
				return v, nil
			case "failure":
				c.reportWait(ctx, ws, noun, id, state, polls, start, 0)
				return fail(polls, ErrFailedState)
			case "unexpected":
				c.reportWait(ctx, ws, noun, id, state, polls, start, 0)
				return fail(polls, ErrUnexpectedState)
			}
		case errors.Is(err, ErrNotFound):
			return nil, &WaitError{Resource: noun, ID: id, State: state, Polls: polls, Err: fmt.Errorf("it disappeared: %w", err)}
		case ctx.Err() != nil:
			return fail(polls, ctx.Err())
		case !transient(err):
			return nil, err
		default:
			// The API is struggling: the pipeline's retries are spent, the
			// wait goes on, as late as the server asks.
			var apiErr *Error
			if errors.As(err, &apiErr) && apiErr.RetryAfter > next {
				next = apiErr.RetryAfter
			}
		}
		if deadline, ok := ctx.Deadline(); ok && time.Now().Add(next).After(deadline) {
			// The next poll would come after the deadline: say so now.
			c.reportWait(ctx, ws, noun, id, state, polls, start, 0)
			return fail(polls, context.DeadlineExceeded)
		}
		c.reportWait(ctx, ws, noun, id, state, polls, start, next)
		if err := sleep(ctx, next); err != nil {
			return fail(polls, err)
		}
		delay = min(delay*3/2, ws.max)
	}
}

// transient reports whether a failed poll is worth polling again: the API
// or the network was down, not the call wrong.
func transient(err error) bool {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode >= 500 || apiErr.StatusCode == 429 || apiErr.StatusCode == 408 || apiErr.Is(ErrUnavailable)
	}
	var te *TransportError
	return errors.As(err, &te)
}

func (c *Client) reportWait(ctx context.Context, ws *waitSettings, noun, id, state string, polls int, start time.Time, next time.Duration) {
	if ws.progress != nil {
		ws.progress(WaitProgress{Resource: noun, ID: id, State: state, Polls: polls, Elapsed: time.Since(start), Next: next})
	}
	if l := c.p.logger; l != nil && l.Enabled(ctx, slog.LevelInfo) {
		l.LogAttrs(ctx, slog.LevelInfo, "fireworks wait",
			slog.String("resource", noun), slog.String("id", id), slog.String("state", state),
			slog.Int("poll", polls), slog.Duration("next", next))
	}
}

// stateOf is a resource's state, "" when it has none yet.
func stateOf[S ~string](p *S) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

// statusMessage is a resource's status message, "" when it has none.
func statusMessage(st *gen.Status) string {
	if st == nil || st.Message == nil {
		return ""
	}
	return *st.Message
}
