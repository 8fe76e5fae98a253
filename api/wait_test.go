package api_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// deploymentJSON is a deployment in state, with a status message.
func deploymentJSON(state, message string) string {
	return `{"name":"accounts/acct/deployments/d1","baseModel":"m","state":"` + state + `","status":{"message":"` + message + `"}}`
}

// TestWaitReturnsTheSettledResource: Wait polls Get through the pipeline
// (with the API key) until the state is a success, waiting about 1 s, then
// half as long again each time, and returns the resource.
func TestWaitReturnsTheSettledResource(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(
			step{status: 200, body: deploymentJSON("CREATING", "")},
			step{status: 200, body: deploymentJSON("CREATING", "")},
			step{status: 200, body: deploymentJSON("UPDATING", "")},
			step{status: 200, body: deploymentJSON("READY", "")},
		)
		c := newClient(t, rt)
		var seen []api.WaitProgress
		d, err := c.Deployments.Wait(context.Background(), "d1", api.OnWaitProgress(func(p api.WaitProgress) { seen = append(seen, p) }))
		if err != nil || d == nil || d.State == nil || *d.State != gen.DeploymentStateReady {
			t.Fatalf("Wait = %v, %v; want the READY deployment", d, err)
		}
		calls := rt.Calls()
		if len(calls) != 4 {
			t.Fatalf("%d polls, want 4", len(calls))
		}
		for i, w := range waits(calls) {
			ceiling := time.Duration(float64(time.Second) * pow(1.5, i))
			if w > ceiling || w < ceiling*3/4 {
				t.Errorf("wait %d was %v, want within [%v, %v]", i, w, ceiling*3/4, ceiling)
			}
		}
		for _, call := range calls {
			if call.method != http.MethodGet || !strings.HasSuffix(call.url, "/v1/accounts/acct/deployments/d1") || call.header.Get("Authorization") != "Bearer "+testAPIKey {
				t.Fatalf("a poll was %s %s", call.method, call.url)
			}
		}
		if len(seen) != 4 || seen[0].State != "CREATING" || seen[3].State != "READY" || seen[3].Next != 0 || seen[0].Next == 0 || seen[3].Polls != 4 {
			t.Errorf("progress = %+v", seen)
		}
	})
}

func pow(x float64, n int) float64 {
	r := 1.0
	for range n {
		r *= x
	}
	return r
}

// TestWaitPollsAtMostEveryMaxInterval: the waits grow to DefaultMaxPoll
// and stay there.
func TestWaitPollsAtMostEveryMaxInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		steps := make([]step, 12)
		for i := range steps {
			steps[i] = step{status: 200, body: deploymentJSON("CREATING", "")}
		}
		steps = append(steps, step{status: 200, body: deploymentJSON("READY", "")})
		rt := script(steps...)
		c := newClient(t, rt)
		if _, err := c.Deployments.Wait(context.Background(), "d1"); err != nil {
			t.Fatal(err)
		}
		w := waits(rt.Calls())
		last := w[len(w)-1]
		if last > api.DefaultMaxPoll || last < api.DefaultMaxPoll*3/4 {
			t.Errorf("the last wait was %v, want about %v", last, api.DefaultMaxPoll)
		}
	})
}

// TestWaitEndsOnAFailureStateWithTheResource: a FAILED deployment ends the
// wait with a *WaitError holding the state, the status message and the
// resource; the resource comes back too.
func TestWaitEndsOnAFailureStateWithTheResource(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{status: 200, body: deploymentJSON("CREATING", "")}, step{status: 200, body: deploymentJSON("FAILED", "out of GPUs in us-east")})
		c := newClient(t, rt)
		d, err := c.Deployments.Wait(context.Background(), "d1")
		var we *api.WaitError
		if !errors.As(err, &we) || !errors.Is(err, api.ErrFailedState) {
			t.Fatalf("err = %v, want a *WaitError of ErrFailedState", err)
		}
		if we.State != "FAILED" || we.Message != "out of GPUs in us-east" || we.Resource != "deployment" || we.ID != "d1" || we.Polls != 2 {
			t.Errorf("WaitError = %+v", we)
		}
		if got, ok := we.Value.(*gen.Deployment); !ok || got != d || d == nil {
			t.Errorf("the resource is not in the error and returned: %T %v", we.Value, d)
		}
		if !strings.Contains(err.Error(), "out of GPUs") || strings.Contains(err.Error(), "\n") {
			t.Errorf("Error() = %q", err)
		}
	})
}

// TestWaitOptionsOverrideTheRule: UntilStates waits for other states, and
// a success state it does not wait for is unexpected; FailOnStates makes
// more states failures; a job that pauses ends the default wait.
func TestWaitOptionsOverrideTheRule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newClient(t, script(step{status: 200, body: deploymentJSON("UPDATING", "")}))
		d, err := c.Deployments.Wait(context.Background(), "d1", api.UntilStates("UPDATING"))
		if err != nil || *d.State != "UPDATING" {
			t.Errorf("UntilStates(UPDATING): %v", err)
		}
		c = newClient(t, script(step{status: 200, body: deploymentJSON("READY", "")}))
		if _, err := c.Deployments.Wait(context.Background(), "d1", api.UntilStates("DELETED")); !errors.Is(err, api.ErrUnexpectedState) {
			t.Errorf("UntilStates(DELETED) on READY: %v, want ErrUnexpectedState", err)
		}
		c = newClient(t, script(step{status: 200, body: deploymentJSON("UPDATING", "")}))
		if _, err := c.Deployments.Wait(context.Background(), "d1", api.FailOnStates("UPDATING")); !errors.Is(err, api.ErrFailedState) {
			t.Errorf("FailOnStates(UPDATING): %v", err)
		}
		c = newClient(t, script(step{status: 200, body: `{"name":"accounts/acct/supervisedFineTuningJobs/j1","dataset":"d","state":"JOB_STATE_PAUSED"}`}))
		if _, err := c.SupervisedFineTuningJobs.Wait(context.Background(), "j1"); !errors.Is(err, api.ErrUnexpectedState) {
			t.Errorf("a paused job: %v, want ErrUnexpectedState", err)
		}
	})
}

// TestWaitOnADisappearingResource: a 404 while waiting is ErrNotFound.
func TestWaitOnADisappearingResource(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newClient(t, script(step{status: 200, body: deploymentJSON("DELETING", "")}, step{status: 404, body: `{"code":5,"message":"gone"}`}))
		_, err := c.Deployments.Wait(context.Background(), "d1")
		var we *api.WaitError
		var apiErr *api.Error
		if !errors.Is(err, api.ErrNotFound) || !errors.As(err, &we) || !errors.As(err, &apiErr) || we.State != "DELETING" {
			t.Errorf("err = %v, want ErrNotFound in a WaitError that saw DELETING", err)
		}
	})
}

// TestWaitRespectsTheDeadline: a wait whose next poll would come after the
// context's deadline ends at once with context.DeadlineExceeded and the
// last state; cancelling mid-wait ends it at the cancellation.
func TestWaitRespectsTheDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newClient(t, script(step{status: 200, body: deploymentJSON("CREATING", "")}))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		_, err := c.Deployments.Wait(ctx, "d1")
		var we *api.WaitError
		if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &we) || we.State != "CREATING" {
			t.Fatalf("err = %v, want DeadlineExceeded while CREATING", err)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("the wait took %v, past its deadline", took)
		}

		ctx, cancel = context.WithCancel(context.Background())
		time.AfterFunc(1500*time.Millisecond, cancel)
		start = time.Now()
		_, err = c.Deployments.Wait(ctx, "d1")
		if !errors.Is(err, context.Canceled) || time.Since(start) != 1500*time.Millisecond {
			t.Errorf("cancelled mid-wait: %v after %v", err, time.Since(start))
		}
	})
}

// TestWaitRidesOutAStrugglingAPI: a poll that fails after the pipeline's
// retries with a 503 asking for 20 s is polled again after 20 s; a 403 ends
// the wait with the *api.Error.
func TestWaitRidesOutAStrugglingAPI(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		busy := step{status: 503, header: http.Header{"Retry-After": {"20"}}}
		rt := script(step{status: 200, body: deploymentJSON("CREATING", "")}, busy, busy, busy, step{status: 200, body: deploymentJSON("READY", "")})
		c := newClient(t, rt, api.WithMaxRetryWait(time.Second)) // the pipeline does not wait 20 s: the waiter does
		if _, err := c.Deployments.Wait(context.Background(), "d1"); err != nil {
			t.Fatal(err)
		}
		w := waits(rt.Calls())
		if len(w) != 4 || w[1] != 20*time.Second {
			t.Errorf("waits %v, want 4 with 20 s after the 503", w)
		}
		c = newClient(t, script(step{status: 403, body: `{"code":7,"message":"no"}`}))
		if _, err := c.Deployments.Wait(context.Background(), "d1"); !errors.Is(err, api.ErrPermissionDenied) {
			t.Errorf("a 403: %v", err)
		}
	})
}

// TestWaitLogsProgress: every poll is an info line of WithLogger.
func TestWaitLogsProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var lines []string
		logger := newLineLogger(func(s string) { mu.Lock(); lines = append(lines, s); mu.Unlock() })
		c := newClient(t, script(step{status: 200, body: deploymentJSON("CREATING", "")}, step{status: 200, body: deploymentJSON("READY", "")}), api.WithLogger(logger))
		if _, err := c.Deployments.Wait(context.Background(), "d1"); err != nil {
			t.Fatal(err)
		}
		var waitsLogged int
		for _, l := range lines {
			if strings.Contains(l, "fireworks wait") && strings.Contains(l, "deployment") {
				waitsLogged++
			}
		}
		if waitsLogged != 2 {
			t.Errorf("%d wait lines logged, want 2: %q", waitsLogged, lines)
		}
	})
}

// lineLogger is an slog.Logger that hands each record's text to a func.
func newLineLogger(line func(string)) *slog.Logger {
	return slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) { line(string(p)); return len(p), nil }), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestEveryResourceWithAStateHasWait: each service whose Get returns a
// resource with a State field has Wait, returning that resource, and its
// state enum is classified in gen.States; so a spec bump that adds one
// gets its waiter.
func TestEveryResourceWithAStateHasWait(t *testing.T) {
	c := newClient(t, script(step{status: 200}))
	v := reflect.ValueOf(c).Elem()
	waiters := 0
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() != reflect.Pointer || !strings.HasSuffix(f.Type().Elem().Name(), "Service") {
			continue
		}
		get, ok := f.Type().MethodByName("Get")
		if !ok || get.Type.NumOut() != 2 {
			continue
		}
		resource := get.Type.Out(0).Elem()
		state, ok := resource.FieldByName("State")
		if !ok {
			continue
		}
		wait, ok := f.Type().MethodByName("Wait")
		if !ok {
			t.Errorf("%s: its resource has a state, and it has no Wait", f.Type().Elem().Name())
			continue
		}
		if wait.Type.Out(0) != get.Type.Out(0) {
			t.Errorf("%s.Wait returns %v, Get %v", f.Type().Elem().Name(), wait.Type.Out(0), get.Type.Out(0))
		}
		if _, ok := gen.States[state.Type.Elem().Name()]; !ok {
			t.Errorf("%s: state type %s is not in gen.States", f.Type().Elem().Name(), state.Type.Elem().Name())
		}
		waiters++
	}
	if waiters < 19 {
		t.Errorf("%d services have Wait, want at least the 19 of the spec's state enums", waiters)
	}
	t.Logf("%d services have Wait", waiters)
}

// TestWaitRidesOutServerErrors: a poll whose answer is still a 5xx after
// the pipeline's retries (500 included) does not end the wait.
func TestWaitRidesOutServerErrors(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504, 429, 408} {
		synctest.Test(t, func(t *testing.T) {
			rt := script(step{status: status}, step{status: 200, body: deploymentJSON("READY", "")})
			c := newClient(t, rt, api.WithMaxRetries(0))
			if _, err := c.Deployments.Wait(context.Background(), "d1"); err != nil {
				t.Errorf("a poll answered %d, then READY: %v", status, err)
			}
		})
	}
}
