package api_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// TestUploadGivesUpWhenStorageNeverShowsTheFiles: a ValidateUpload that
// answers FAILED_PRECONDITION for ever, on context.Background(), ends the
// Upload after DefaultValidateTimeout with a *WaitError of
// ErrUploadNotVisible that names the file sent and keeps the last answer
// (an *api.Error); OnWaitProgress saw every validation poll, the last one
// with no next poll.
func TestUploadGivesUpWhenStorageNeverShowsTheFiles(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newStorageServer()
		srv.preconds = 1 << 30
		var logs bytes.Buffer
		c := newClient(t, srv, api.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
		var seen []api.WaitProgress
		start := time.Now()
		err := c.Datasets.Upload(context.Background(), "ds1", []api.File{api.FileFromReader("a.jsonl", strings.NewReader("{}\n"), 3)},
			api.OnWaitProgress(func(p api.WaitProgress) { seen = append(seen, p) }))
		took := time.Since(start)
		var we *api.WaitError
		if !errors.As(err, &we) || !errors.Is(err, api.ErrUploadNotVisible) {
			t.Fatalf("err = %v, want a *WaitError of ErrUploadNotVisible", err)
		}
		if took > api.DefaultValidateTimeout || took < api.DefaultValidateTimeout/2 {
			t.Errorf("gave up after %v, want within the bound %v (and not long before it)", took, api.DefaultValidateTimeout)
		}
		var last *api.Error
		if !errors.As(err, &last) || last.Code != api.CodeFailedPrecondition {
			t.Errorf("the last answer is not in the error: %v", err)
		}
		if len(we.Files) != 1 || we.Files[0] != "a.jsonl" || we.Resource != "dataset" || we.ID != "ds1" || we.Polls != srv.validated {
			t.Errorf("WaitError = %+v after %d validations", we, srv.validated)
		}
		if msg := err.Error(); !strings.Contains(msg, "a.jsonl") || !strings.Contains(msg, "not every file arrived yet") || strings.Contains(msg, "\n") {
			t.Errorf("Error() = %q, want one line naming the file and the last answer", msg)
		}
		if len(seen) != srv.validated || srv.validated < 5 {
			t.Fatalf("%d progress reports for %d validations", len(seen), srv.validated)
		}
		for i, p := range seen {
			if !p.Validating || p.Polls != i+1 || p.Resource != "dataset" || p.ID != "ds1" || (p.Next == 0) != (i == len(seen)-1) {
				t.Errorf("report %d = %+v", i, p)
			}
		}
		if n := strings.Count(logs.String(), `msg="fireworks validate upload"`); n != srv.validated {
			t.Errorf("%d validation log lines for %d validations", n, srv.validated)
		}
		if srv.gotState != 0 {
			t.Errorf("the dataset was read %d times after a failed validation", srv.gotState)
		}
	})
}

// TestValidateTimeoutAndContextBoundTheValidation: WithValidateTimeout
// shortens the bound; a context's deadline that comes first ends the
// validation at once with context.DeadlineExceeded, a cancellation with
// context.Canceled, both in a *WaitError naming the files; a bound of 0
// is refused before anything is sent.
func TestValidateTimeoutAndContextBoundTheValidation(t *testing.T) {
	file := func() []api.File { return []api.File{api.FileFromReader("a.jsonl", strings.NewReader("{}\n"), 3)} }
	t.Run("WithValidateTimeout", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newStorageServer()
			srv.preconds = 1 << 30
			start := time.Now()
			err := newClient(t, srv).Datasets.Upload(context.Background(), "ds1", file(), api.WithValidateTimeout(10*time.Second))
			if !errors.Is(err, api.ErrUploadNotVisible) || time.Since(start) > 10*time.Second {
				t.Errorf("err = %v after %v, want ErrUploadNotVisible within 10s", err, time.Since(start))
			}
		})
	})
	t.Run("deadline", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newStorageServer()
			srv.preconds = 1 << 30
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := newClient(t, srv).Datasets.Upload(ctx, "ds1", file())
			var we *api.WaitError
			if !errors.As(err, &we) || !errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || len(we.Files) != 1 {
				t.Errorf("err = %v (ctx: %v), want DeadlineExceeded before the deadline", err, ctx.Err())
			}
		})
	})
	t.Run("cancel", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := newStorageServer()
			srv.preconds = 1 << 30
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(4*time.Second, cancel)
			err := newClient(t, srv).Datasets.Upload(ctx, "ds1", file())
			var we *api.WaitError
			if !errors.As(err, &we) || !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want a *WaitError of context.Canceled", err)
			}
		})
	})
	t.Run("zero bound", func(t *testing.T) {
		srv := newStorageServer()
		err := newClient(t, srv).Datasets.Upload(context.Background(), "ds1", file(), api.WithValidateTimeout(0))
		if err == nil || !strings.Contains(err.Error(), "WithValidateTimeout") || len(srv.puts) != 0 || srv.validated != 0 {
			t.Errorf("err = %v, %d PUTs", err, len(srv.puts))
		}
	})
}

// TestAValidationCutByItsContextIsAWaitError: a context that ends while
// a ValidateUpload call is in flight (not between polls) ends the Upload
// with a *WaitError of context.Canceled that names the files and counts
// the poll, as a cancellation between polls does: not with the call's own
// *TransportError.
func TestAValidationCutByItsContextIsAWaitError(t *testing.T) {
	srv := newStorageServer()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if strings.HasSuffix(req.URL.Path, ":validateUpload") {
			cancel() // the caller gives up while the call is out
			<-req.Context().Done()
			return nil, req.Context().Err()
		}
		return srv.RoundTrip(req)
	})
	err := newClient(t, rt).Datasets.Upload(ctx, "ds1", []api.File{api.FileFromReader("a.jsonl", strings.NewReader("{}\n"), 3)})
	var we *api.WaitError
	if !errors.As(err, &we) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want a *WaitError of context.Canceled", err)
	}
	if we.Polls != 1 || len(we.Files) != 1 || we.Files[0] != "a.jsonl" || we.Resource != "dataset" || we.ID != "ds1" {
		t.Errorf("WaitError = %+v, want 1 poll of dataset ds1 naming a.jsonl", we)
	}
}

// TestWaitRefusesAnAnswerForAnotherResource: a Get that answers d2
// (READY) while the wait is for d1 ends the wait with a *WaitError of
// ErrWrongResource naming what came, never with d2 as a success.
func TestWaitRefusesAnAnswerForAnotherResource(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{status: 200, body: `{"name":"accounts/acct/deployments/d2","baseModel":"m","state":"READY"}`})
		d, err := newClient(t, rt).Deployments.Wait(context.Background(), "d1")
		var we *api.WaitError
		if d != nil || !errors.As(err, &we) || !errors.Is(err, api.ErrWrongResource) || !strings.Contains(err.Error(), "deployments/d2") {
			t.Fatalf("Wait = %v, %v; want a *WaitError of ErrWrongResource", d, err)
		}
		if we.ID != "d1" || we.Polls != 1 || len(rt.Calls()) != 1 {
			t.Errorf("WaitError = %+v after %d calls", we, len(rt.Calls()))
		}
		// The same id in another collection, or a name that only ends in the id, is not it either.
		for _, name := range []string{"accounts/acct/models/d1", "accounts/acct/deployments/xd1", "d2"} {
			rt := script(step{status: 200, body: `{"name":"` + name + `","baseModel":"m","state":"READY"}`})
			if _, err := newClient(t, rt).Deployments.Wait(context.Background(), "d1"); !errors.Is(err, api.ErrWrongResource) {
				t.Errorf("an answer named %q: %v", name, err)
			}
		}
		// A resource at the root of the API (an account) is named so too.
		rt = script(step{status: 200, body: `{"name":"accounts/acct","state":"READY"}`})
		if _, err := newClient(t, rt).Accounts.Wait(context.Background()); err != nil {
			t.Errorf("an account named accounts/acct: %v", err)
		}
		rt = script(step{status: 200, body: `{"name":"accounts/other","state":"READY"}`})
		if _, err := newClient(t, rt).Accounts.Wait(context.Background()); !errors.Is(err, api.ErrWrongResource) {
			t.Errorf("an account named accounts/other: %v", err)
		}
		// The call's own account is the one waited for.
		rt = script(step{status: 200, body: `{"name":"accounts/other","state":"READY"}`})
		if _, err := newClient(t, rt).Accounts.Wait(context.Background(), api.WithAccount("other")); err != nil {
			t.Errorf("Wait(WithAccount(other)) answered accounts/other: %v", err)
		}
		// The resource's own name, in full or as the id, is it.
		for _, name := range []string{"accounts/acct/deployments/d1", "d1"} {
			rt := script(step{status: 200, body: `{"name":"` + name + `","baseModel":"m","state":"READY"}`})
			if _, err := newClient(t, rt).Deployments.Wait(context.Background(), "d1"); err != nil {
				t.Errorf("an answer named %q: %v", name, err)
			}
		}
	})
}

// TestWaitRefusesStatesTheEnumLacks: UntilStates and FailOnStates with a
// value the resource's state enum does not have are refused, naming the
// valid states, before any request; Upload refuses them before its
// first call too.
func TestWaitRefusesStatesTheEnumLacks(t *testing.T) {
	for _, opt := range []api.WaitOption{api.UntilStates("READDY"), api.FailOnStates("FAILED", "NOPE")} {
		rt := script(step{status: 200, body: deploymentJSON("READY", "")})
		_, err := newClient(t, rt).Deployments.Wait(context.Background(), "d1", opt)
		var ip *api.InvalidParamError
		if !errors.As(err, &ip) || !strings.Contains(err.Error(), "CREATING, DELETED, DELETING, FAILED, READY, STATE_UNSPECIFIED, UPDATING") || len(rt.Calls()) != 0 {
			t.Errorf("err = %v after %d calls, want an *InvalidParamError listing the states, and no call", err, len(rt.Calls()))
		}
	}
	srv := newStorageServer()
	err := newClient(t, srv).Datasets.Upload(context.Background(), "ds1", []api.File{api.FileFromReader("a", strings.NewReader("x"), 1)},
		api.WaitAfterUpload(), api.UntilStates("READDY"))
	var ip *api.InvalidParamError
	if !errors.As(err, &ip) || len(srv.puts) != 0 || srv.validated != 0 {
		t.Errorf("Upload with UntilStates(READDY): %v, %d PUTs", err, len(srv.puts))
	}
	// Every state of the enum is taken.
	rt := script(step{status: 200, body: deploymentJSON("READY", "")})
	if _, err := newClient(t, rt).Deployments.Wait(context.Background(), "d1", api.UntilStates("READY", "STATE_UNSPECIFIED")); err != nil {
		t.Errorf("states of the enum: %v", err)
	}
}

// TestWaitTakesEqualPollIntervals: WithPollInterval with the first wait
// equal to the longest (a fixed interval) is taken.
func TestWaitTakesEqualPollIntervals(t *testing.T) {
	rt := script(step{status: 200, body: deploymentJSON("READY", "")})
	if _, err := newClient(t, rt).Deployments.Wait(context.Background(), "d1", api.WithPollInterval(time.Second, time.Second)); err != nil {
		t.Errorf("WithPollInterval(1s, 1s): %v", err)
	}
}

// TestWorkflowsRefuseABadOption: a bad option given to Wait, Upload or
// Download is an *InvalidParamError (In "option") before any request, not
// a panic; a nil one is ignored (see TestNilOptionsAreIgnored).
func TestWorkflowsRefuseABadOption(t *testing.T) {
	rt := script(step{status: 200, body: deploymentJSON("READY", "")})
	c := newClient(t, rt)
	var ip *api.InvalidParamError
	if _, err := c.Deployments.Wait(context.Background(), "d1", api.WithPollInterval(0, 0)); !errors.As(err, &ip) || ip.In != "option" || !strings.Contains(err.Error(), "WithPollInterval") {
		t.Errorf("Wait with WithPollInterval(0, 0): %v", err)
	}
	if _, err := c.Deployments.Wait(context.Background(), "d1", api.WithPollInterval(2*time.Second, time.Second)); !errors.As(err, &ip) || ip.In != "option" {
		t.Errorf("Wait with a longest wait below the first: %v", err)
	}
	if err := c.Datasets.Upload(context.Background(), "ds1", []api.File{api.FileFromReader("a", strings.NewReader("x"), 1)}, api.WaitAfterUpload(), api.WithParallelTransfers(0)); !errors.As(err, &ip) || ip.In != "option" {
		t.Errorf("Upload took WithParallelTransfers(0): %v", err)
	}
	if _, err := c.Datasets.Download(context.Background(), "ds1", t.TempDir(), api.WithMaxDownloadSize(0)); !errors.As(err, &ip) || ip.In != "option" {
		t.Errorf("Download took WithMaxDownloadSize(0): %v", err)
	}
	if _, err := c.SupervisedFineTuningJobs.DownloadTrainerLogs(context.Background(), "j1", t.TempDir(), api.WithTimeout(-1)); !errors.As(err, &ip) || ip.In != "option" {
		t.Errorf("DownloadTrainerLogs took WithTimeout(-1): %v", err)
	}
	if n := len(rt.Calls()); n != 0 {
		t.Errorf("%d calls", n)
	}
}

// TestWaitRidesOutA500StormUntilItsContextEnds: a wait bounded only by
// its context's deadline against an API that answers 500 for ever polls
// on, and ends before the deadline with context.DeadlineExceeded and the
// last failure; a wait on a cancelled context sends nothing.
func TestWaitRidesOutA500StormUntilItsContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{status: 500, body: `{"code":13,"message":"boom"}`})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		_, err := newClient(t, rt).Deployments.Wait(ctx, "d1")
		var we *api.WaitError
		if !errors.As(err, &we) || !errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || we.Polls < 10 {
			t.Errorf("err = %v, want DeadlineExceeded before the deadline after many polls", err)
		}
		done, stop := context.WithCancel(context.Background())
		stop()
		rt = script(step{status: 200, body: deploymentJSON("CREATING", "")})
		if _, err := newClient(t, rt).Deployments.Wait(done, "d1"); !errors.Is(err, context.Canceled) {
			t.Errorf("a cancelled context: %v", err)
		}
	})
}

// TestUploadEndsOnAValidate500Storm: against the fake, a ValidateUpload
// that answers 500 for ever ends the Upload with the *api.Error, as the
// pipeline gives it (a POST that may have acted is not retried), not a
// wait that goes on, on
// context.Background(); a dataset Get answering 503 for ever during
// WaitAfterUpload rides it out until the context's deadline.
func TestUploadEndsOnAValidate500Storm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake, c := memoryClient(t)
		ctx := context.Background()
		if _, err := c.Datasets.Create(ctx, gen.CreateDatasetBody{DatasetID: "ds1", Dataset: gen.Dataset{}}); err != nil {
			t.Fatal(err)
		}
		fake.h.Inject(gen.OpValidateDatasetUpload, gatewaytest.Fault{Status: 500})
		err := c.Datasets.Upload(ctx, "ds1", []api.File{api.FileFromReader("a.jsonl", strings.NewReader("{}\n"), 3)})
		var apiErr *api.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
			t.Fatalf("err = %v, want the 500", err)
		}
		fake.h.ClearFaults()
		fake.h.Inject(gen.OpGetDataset, gatewaytest.Fault{Status: 503})
		deadline, cancel := context.WithTimeout(ctx, 5*time.Minute)
		defer cancel()
		err = c.Datasets.Upload(deadline, "ds1", []api.File{api.FileFromReader("a.jsonl", strings.NewReader("{}\n"), 3)}, api.WaitAfterUpload())
		var we *api.WaitError
		if !errors.As(err, &we) || !errors.Is(err, context.DeadlineExceeded) || deadline.Err() != nil {
			t.Errorf("err = %v, want a *WaitError of DeadlineExceeded before the deadline", err)
		}
	})
}

// TestAWaitOnANeverSettlingResourceEndsWhenItsContextDoes: a Wait has no
// bound of its own (the context is its bound, as README.md says): on a
// deployment that stays CREATING, with no deadline, it polls at most every
// DefaultMaxPoll until the caller cancels, and then returns at once with
// context.Canceled and the last state.
func TestAWaitOnANeverSettlingResourceEndsWhenItsContextDoes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := script(step{status: 200, body: deploymentJSON("CREATING", "")})
		ctx, cancel := context.WithCancel(context.Background())
		var cancelled time.Time
		time.AfterFunc(time.Hour, func() { cancelled = time.Now(); cancel() })
		_, err := newClient(t, rt).Deployments.Wait(ctx, "d1")
		var we *api.WaitError
		if !errors.As(err, &we) || !errors.Is(err, context.Canceled) || we.State != "CREATING" {
			t.Fatalf("err = %v, want a *WaitError of context.Canceled in CREATING", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "waiting for deployment d1: still CREATING after") || !strings.Contains(msg, "context canceled") {
			t.Errorf("Error() = %q", msg)
		}
		if late := time.Since(cancelled); late != 0 {
			t.Errorf("returned %v after the cancellation", late)
		}
		if n := len(rt.Calls()); n < int(time.Hour/api.DefaultMaxPoll) || n > int(time.Hour/(api.DefaultMaxPoll*3/4))+10 {
			t.Errorf("%d polls in an hour", n)
		}
	})
}

// TestAWaitCutWhileItsGetIsOutIsAWaitError: a context that ends while a
// poll's Get is in flight (not between polls) ends the wait with a
// *WaitError of context.Canceled that counts the polls and keeps the last
// state, as a cancellation between polls does: not with the Get's own
// *TransportError, and without another poll.
func TestAWaitCutWhileItsGetIsOutIsAWaitError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	gets := 0
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if gets++; gets == 1 {
			return answer200(req, []byte(deploymentJSON("CREATING", "")), http.Header{"Content-Type": {"application/json"}}), nil
		}
		cancel() // the caller gives up while the second Get is out
		<-req.Context().Done()
		return nil, req.Context().Err()
	})
	_, err := newClient(t, rt).Deployments.Wait(ctx, "d1", api.WithPollInterval(time.Millisecond, time.Millisecond))
	var we *api.WaitError
	if !errors.As(err, &we) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want a *WaitError of context.Canceled", err)
	}
	if we.Polls != 2 || we.State != "CREATING" || gets != 2 {
		t.Errorf("WaitError = %+v after %d Gets, want 2 polls, the last state CREATING", we, gets)
	}
}

// TestEveryWaitRefusesAStateItsEnumLacks: the check of UntilStates and
// FailOnStates holds for every Wait the generator gives (found on the
// Client by reflection, not a hand list): a state the resource's enum
// lacks is an *InvalidParamError before any request.
func TestEveryWaitRefusesAStateItsEnumLacks(t *testing.T) {
	rt := script(step{status: 200, body: `{}`})
	c := newClient(t, rt)
	cv := reflect.ValueOf(c).Elem()
	waits := 0
	for i := 0; i < cv.NumField(); i++ {
		f := cv.Field(i)
		if f.Kind() != reflect.Pointer {
			continue
		}
		m := f.MethodByName("Wait")
		if !m.IsValid() {
			continue
		}
		waits++
		for _, opt := range []api.WaitOption{api.UntilStates("NOT_A_STATE"), api.FailOnStates("NOT_A_STATE")} {
			args := []reflect.Value{reflect.ValueOf(context.Background())}
			for j := 1; j < m.Type().NumIn()-1; j++ {
				args = append(args, reflect.ValueOf("x1"))
			}
			args = append(args, reflect.ValueOf(opt))
			out := m.Call(args)
			err, _ := out[len(out)-1].Interface().(error)
			var ip *api.InvalidParamError
			if !errors.As(err, &ip) || ip.In != "option" || !strings.Contains(err.Error(), "NOT_A_STATE") {
				t.Errorf("%s.Wait: %v, want an *InvalidParamError naming the state", cv.Type().Field(i).Name, err)
			}
		}
	}
	if waits < 10 {
		t.Fatalf("found %d Wait methods on the Client", waits)
	}
	if n := len(rt.Calls()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
