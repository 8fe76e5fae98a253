package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
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

// ErrWrongResource is the cause of a *WaitError whose Get answered
// another resource than the one waited for (d2 READY while waiting for
// d1): the wait ends, it never takes that answer for its own.
var ErrWrongResource = errors.New("the Get answered another resource")

// ErrUploadNotVisible is the cause of a *WaitError of an Upload whose
// ValidateUpload still answered FAILED_PRECONDITION (storage does not show
// every file) after DefaultValidateTimeout (WithValidateTimeout) of polls.
// The *WaitError's Files are the files uploaded; its Last, the last
// answer (an *Error, whose message names what storage lacks).
var ErrUploadNotVisible = errors.New("storage does not show every file uploaded")

// DefaultValidateTimeout bounds how long Upload polls ValidateUpload
// while it answers FAILED_PRECONDITION, whatever the context (a
// context.Background() upload ends too): WithValidateTimeout changes it.
const DefaultValidateTimeout = 2 * time.Minute

// errPollBound is the cause a bounded poll loop gives up with.
var errPollBound = errors.New("the polls' time bound is spent")

// WaitError is a wait that did not end in the state it waited for: the
// resource failed (ErrFailedState), settled elsewhere (ErrUnexpectedState),
// the Get answered another resource (ErrWrongResource), or the context
// ended first (context.DeadlineExceeded, context.Canceled). It is also an
// Upload whose ValidateUpload polls ended without success (Files is then
// set): storage never showed every file (ErrUploadNotVisible), or the
// context ended. errors.Is finds the cause; errors.As, the last failure
// (Last) too.
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
	// Files are the files an Upload sent, when its ValidateUpload is what
	// the wait was for; nil for a Wait.
	Files []string
	// Last is the last poll's failure, when the wait ended while polls
	// failed (an Upload's last FAILED_PRECONDITION answer, an *Error);
	// errors.As finds it too. Nil otherwise.
	Last error
}

// Error says what was waited for, how it ended, and the cause.
func (e *WaitError) Error() string {
	if e.Files != nil {
		msg := fmt.Sprintf("validating the upload of %s to %s %s: %v after %d polls",
			oneLine(strings.Join(e.Files, ", "), maxMessageInError), e.Resource, e.ID, e.Err, e.Polls)
		if e.Last != nil {
			msg += " (the last answer: " + oneLine(e.Last.Error(), maxMessageInError) + ")"
		}
		return msg
	}
	msg := fmt.Sprintf("waiting for %s %s: ", e.Resource, e.ID)
	switch {
	case errors.Is(e.Err, ErrWrongResource):
		msg += e.Err.Error()
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

// Unwrap gives the cause, and the last poll's failure if any.
func (e *WaitError) Unwrap() []error {
	if e.Last == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Last}
}

// WaitProgress is what a wait reports after each poll (OnWaitProgress).
type WaitProgress struct {
	Resource, ID string
	State        string
	// Validating is true for the polls of an Upload's ValidateUpload
	// (State is then ""), false for those of a Wait.
	Validating bool
	Polls      int
	Elapsed    time.Duration
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

// accountOf is the account of a call made with settings (a workflow's
// resolved settings: WithAccount for the call, else the Client's).
func (c *Client) accountOf(settings Option) string {
	s, _ := applyCallOptions(c.defaults, []Option{settings}) // resolved settings (withSettings): never refused
	return s.account
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
// stateOf gives a resource's state and status message, nameOf its name
// ("" when the resource has no name field, or the answer none): an answer
// that names another resource than noun id (the segment's) ends the wait
// with ErrWrongResource. The generated Wait methods resolve their options,
// check the states against kinds (checkStates) and call it. It runs until
// the state settles or ctx ends: a wait has no bound of its own.
func pollUntil[T any](ctx context.Context, c *Client, noun, segment, id string, kinds gen.StateKinds, ws *waitSettings,
	get func(context.Context) (*T, error), stateOf func(*T) (string, string), nameOf func(*T) string) (*T, error) {
	var last, kept *T // kept: the resource a failed wait returns with its error
	var state, message string
	fail := func(polls int, cause error) error {
		e := &WaitError{Resource: noun, ID: id, State: state, Message: message, Polls: polls, Err: cause}
		if last != nil {
			e.Value, kept = last, last
		}
		return e
	}
	err := c.pollLoop(ctx, pollLoop{noun: noun, id: id, ws: ws, giveUp: fail,
		poll: func(ctx context.Context, polls int) (string, bool, error) {
			v, err := get(ctx)
			switch {
			case err == nil:
				if name := nameOf(v); !namesResource(name, segment, id) {
					return state, true, &WaitError{Resource: noun, ID: id, Polls: polls, Value: v,
						Err: fmt.Errorf("%w: the answer is %q", ErrWrongResource, oneLine(name, maxMessageInError))}
				}
				last = v
				state, message = stateOf(v)
				switch ws.kind(kinds, state) {
				case "success":
					return state, true, nil
				case "failure":
					return state, true, fail(polls, ErrFailedState)
				case "unexpected":
					return state, true, fail(polls, ErrUnexpectedState)
				}
				return state, false, nil
			case errors.Is(err, ErrNotFound):
				return state, true, &WaitError{Resource: noun, ID: id, State: state, Polls: polls, Err: fmt.Errorf("it disappeared: %w", err)}
			case !transient(err):
				return state, true, err
			}
			// The API is struggling (the pipeline's retries are spent), or
			// ctx ended while the Get was out: the loop ends the wait on
			// ctx, else it goes on, as late as the server asks.
			return state, false, err
		}})
	if err != nil {
		return kept, err
	}
	return last, nil
}

// namesResource reports whether a Get's answer, named name, is the
// resource id of the collection segment: its name is the id, or ends in
// "segment/id" ("accounts/a/deployments/d1" for deployments, "d1"). An
// answer without a name is taken as the resource asked for.
func namesResource(name, segment, id string) bool {
	if name == "" || name == id {
		return true
	}
	return name == segment+"/"+id || strings.HasSuffix(name, "/"+segment+"/"+id)
}

// pollLoop is one polling loop: Wait's polls of Get, Upload's of
// ValidateUpload. poll makes one poll and says whether the loop is over
// (done, with err as its result) or goes on (err, if any, is a transient
// failure whose RetryAfter may push the next poll back); giveUp makes the
// error of a loop the context or the bound ended (its cause:
// context.Canceled, context.DeadlineExceeded, errPollBound).
type pollLoop struct {
	noun, id   string
	validating bool // the polls are Upload's ValidateUpload (WaitProgress.Validating)
	ws         *waitSettings
	// bound is how long the loop may poll, 0 for as long as ctx lasts:
	// the next poll is not made when it would come later.
	bound  time.Duration
	poll   func(ctx context.Context, polls int) (state string, done bool, err error)
	giveUp func(polls int, cause error) error
}

// pollLoop runs l: the first poll at once, then after ws.first, each wait
// half as long again as the one before up to ws.max, less up to a quarter
// of jitter, or as long as a struggling server's Retry-After asks. It
// ends early, with context.DeadlineExceeded, when the next poll would come
// after ctx's deadline, and with errPollBound after l.bound. Every poll is
// reported (OnWaitProgress, the logger).
func (c *Client) pollLoop(ctx context.Context, l pollLoop) error {
	start := time.Now()
	delay := l.ws.first
	for polls := 1; ; polls++ {
		state, done, err := l.poll(ctx, polls)
		if done {
			c.reportWait(ctx, l, state, polls, start, 0)
			return err
		}
		if err := ctx.Err(); err != nil {
			c.reportWait(ctx, l, state, polls, start, 0)
			return l.giveUp(polls, err)
		}
		next := jitter(delay)
		var apiErr *Error
		if errors.As(err, &apiErr) && apiErr.RetryAfter > next {
			next = apiErr.RetryAfter
		}
		at := time.Now().Add(next)
		if deadline, ok := ctx.Deadline(); ok && at.After(deadline) {
			// The next poll would come after the deadline: say so now.
			c.reportWait(ctx, l, state, polls, start, 0)
			return l.giveUp(polls, context.DeadlineExceeded)
		}
		if l.bound > 0 && at.Sub(start) > l.bound {
			c.reportWait(ctx, l, state, polls, start, 0)
			return l.giveUp(polls, errPollBound)
		}
		c.reportWait(ctx, l, state, polls, start, next)
		if err := sleep(ctx, next); err != nil {
			return l.giveUp(polls, err)
		}
		delay = min(delay*3/2, l.ws.max)
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

func (c *Client) reportWait(ctx context.Context, l pollLoop, state string, polls int, start time.Time, next time.Duration) {
	if l.ws.progress != nil {
		l.ws.progress(WaitProgress{Resource: l.noun, ID: l.id, State: state, Validating: l.validating, Polls: polls, Elapsed: time.Since(start), Next: next})
	}
	if lg := c.p.logger; lg != nil && lg.Enabled(ctx, slog.LevelInfo) {
		msg := "fireworks wait"
		if l.validating {
			msg = "fireworks validate upload"
		}
		lg.LogAttrs(ctx, slog.LevelInfo, msg,
			slog.String("resource", l.noun), slog.String("id", l.id), slog.String("state", state),
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

// checkStates refuses, before anything is sent, an UntilStates or
// FailOnStates value that is not a state of the resource's enum (named
// enum, its values classified in kinds): a misspelt state would never be
// reached, and the wait would end for another reason.
func (w *waitSettings) checkStates(enum string, kinds gen.StateKinds) error {
	valid := slices.Sorted(slices.Values(slices.Concat(kinds.Success, kinds.Failure, kinds.Transitional, kinds.Other)))
	for _, opt := range []struct {
		name   string
		states []string
	}{{"UntilStates", w.until}, {"FailOnStates", w.failOn}} {
		for _, state := range opt.states {
			if !slices.Contains(valid, state) {
				return &InvalidParamError{In: "option", Param: opt.name,
					Reason: fmt.Sprintf("%q is not a state of %s (its states: %s)", oneLine(state, 64), enum, strings.Join(valid, ", "))}
			}
		}
	}
	return nil
}
