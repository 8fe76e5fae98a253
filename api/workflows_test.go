package api_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// The workflows (Wait, Upload, Download) against the stateful fake
// Gateway, served in memory so that they run on synctest's clock: the
// fake's lifecycle, storage and faults, the SDK's polling and transfers.

// memoryFake is the fake Gateway as a transport: each request is served by
// the Handler in the test's goroutine, with no network. faults, when set,
// answers a request before the fake does (for failures of storage, which
// the fake does not inject).
type memoryFake struct {
	h      *gatewaytest.Handler
	faults func(*http.Request) (*http.Response, error, bool)
}

func (m *memoryFake) RoundTrip(req *http.Request) (*http.Response, error) {
	if m.faults != nil {
		if resp, err, ok := m.faults(req); ok {
			return resp, err
		}
	}
	in := req.Clone(req.Context())
	in.Host = req.URL.Host
	in.RequestURI = req.URL.RequestURI()
	if in.Body == nil {
		in.Body = http.NoBody // a server's request always has one
	}
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, in)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// memoryClient returns a fake Gateway and a client of it, in memory.
func memoryClient(t *testing.T, opts ...gatewaytest.Option) (*memoryFake, *api.Client) {
	t.Helper()
	h, err := gatewaytest.NewHandler(append([]gatewaytest.Option{gatewaytest.WithReporter(t)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	fake := &memoryFake{h: h}
	c, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL("http://127.0.0.1:9"), api.WithAccount("acct"),
		api.WithHTTPClient(&http.Client{Transport: fake}))
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
}

// TestDatasetWorkflowAgainstTheFake: create a dataset, upload two files
// (one from disk, one generated) and wait for it to be ready, download
// them back; storage got every byte, and never the API key.
func TestDatasetWorkflowAgainstTheFake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake, c := memoryClient(t)
		ctx := context.Background()
		if _, err := c.Datasets.Create(ctx, gen.CreateDatasetBody{DatasetID: "ds1", Dataset: gen.Dataset{}}); err != nil {
			t.Fatal(err)
		}
		train := bytes.Repeat([]byte(`{"messages":[{"role":"user","content":"hi"}]}`+"\n"), 3000)
		fromDisk, err := api.FileFromPath(tempFile(t, "train.jsonl", train))
		if err != nil {
			t.Fatal(err)
		}
		eval := bytes.Repeat([]byte(`{"messages":[]}`+"\n"), 10)
		err = c.Datasets.Upload(ctx, "ds1", []api.File{fromDisk, api.FileFromReader("eval.jsonl", bytes.NewReader(eval), int64(len(eval)))}, api.WaitAfterUpload())
		if err != nil {
			t.Fatal(err)
		}
		if got := fake.h.State("accounts/acct/datasets/ds1"); got != "READY" {
			t.Errorf("the dataset is %s after Upload with WaitAfterUpload, want READY", got)
		}
		if got, _ := fake.h.StoredFile("accounts/acct/datasets/ds1", "train.jsonl"); !bytes.Equal(got, train) {
			t.Error("storage does not hold train.jsonl as sent")
		}
		dir := t.TempDir()
		paths, err := c.Datasets.Download(ctx, "ds1", dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(paths) != 2 {
			t.Fatalf("downloaded %v", paths)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "eval.jsonl")); !bytes.Equal(got, eval) {
			t.Error("eval.jsonl came back different")
		}
		checkStorageNeverSawTheKey(t, fake.h, 4)
	})
}

// checkStorageNeverSawTheKey: the fake's storage log has at least n
// requests, and none carried an Authorization header.
func checkStorageNeverSawTheKey(t *testing.T, h *gatewaytest.Handler, n int) {
	t.Helper()
	log := h.StorageRequests()
	if len(log) < n {
		t.Errorf("storage received %d requests, want at least %d", len(log), n)
	}
	for _, r := range log {
		if r.AuthorizationSent {
			t.Fatalf("%s %s reached storage with an Authorization header", r.Method, r.Object)
		}
	}
}

// TestUploadFaultsAgainstTheFake: a 503 from storage and a connection lost
// mid-PUT are retried; the fake ends up with the whole file.
func TestUploadFaultsAgainstTheFake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake, c := memoryClient(t)
		var puts atomic.Int32
		fake.faults = func(req *http.Request) (*http.Response, error, bool) {
			if req.Method != http.MethodPut {
				return nil, nil, false
			}
			switch puts.Add(1) {
			case 1:
				_, _ = io.Copy(io.Discard, req.Body)
				return &http.Response{StatusCode: 503, Status: "503", Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(nil)), Request: req}, nil, true
			case 2:
				_, _ = io.CopyN(io.Discard, req.Body, 100)
				return nil, io.ErrUnexpectedEOF, true
			}
			return nil, nil, false
		}
		ctx := context.Background()
		if _, err := c.Datasets.Create(ctx, gen.CreateDatasetBody{DatasetID: "ds1"}); err != nil {
			t.Fatal(err)
		}
		data := bytes.Repeat([]byte("0123456789"), 10_000)
		f, _ := api.FileFromPath(tempFile(t, "data.jsonl", data))
		start := time.Now()
		if err := c.Datasets.Upload(ctx, "ds1", []api.File{f}); err != nil {
			t.Fatal(err)
		}
		if got, _ := fake.h.StoredFile("accounts/acct/datasets/ds1", "data.jsonl"); !bytes.Equal(got, data) || puts.Load() != 3 {
			t.Errorf("after %d PUTs the fake holds %d bytes, want all %d on the third", puts.Load(), len(got), len(data))
		}
		if took := time.Since(start); took < 750*time.Millisecond {
			t.Errorf("two retries in %v: the backoff was not waited", took)
		}
		checkStorageNeverSawTheKey(t, fake.h, 1)
	})
}

// TestDeploymentWaitsAgainstTheFake: a deployment settles as the fake's
// lifecycle says; a forced FAILED ends the wait with its message; a wait
// shorter than the settling ends at its deadline; a cancelled one at once.
func TestDeploymentWaitsAgainstTheFake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake, c := memoryClient(t, gatewaytest.WithSettleAfter(5*time.Minute))
		ctx := context.Background()
		created, err := c.Deployments.Create(ctx, nil, gen.Deployment{BaseModel: "accounts/fireworks/models/llama"})
		if err != nil {
			t.Fatal(err)
		}
		name := *created.Name
		id := name[len("accounts/acct/deployments/"):]
		if got := fake.h.State(name); got != "CREATING" {
			t.Fatalf("a new deployment is %s, want CREATING", got)
		}
		short, cancel := context.WithTimeout(ctx, time.Minute)
		_, err = c.Deployments.Wait(short, id)
		cancel()
		var we *api.WaitError
		if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &we) || we.State != "CREATING" {
			t.Errorf("a 1-minute wait for a 5-minute deployment: %v", err)
		}
		start := time.Now()
		d, err := c.Deployments.Wait(ctx, id)
		if err != nil || *d.State != gen.DeploymentStateReady {
			t.Fatalf("Wait: %v", err)
		}
		if took := time.Since(start); took > 5*time.Minute+api.DefaultMaxPoll {
			t.Errorf("READY after %v, more than a poll interval past the settling", took)
		}

		fake.h.SetState(name, "FAILED", "the node pool ran out of GPUs")
		_, err = c.Deployments.Wait(ctx, id)
		if !errors.Is(err, api.ErrFailedState) || !errors.As(err, &we) || we.Message != "the node pool ran out of GPUs" {
			t.Errorf("a FAILED deployment: %v", err)
		}

		fake.h.SetState(name, "CREATING", "")
		cctx, cancelNow := context.WithCancel(ctx)
		time.AfterFunc(10*time.Second, cancelNow)
		if _, err := c.Deployments.Wait(cctx, id); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled mid-wait: %v", err)
		}
	})
}

// TestWaitForADisappearingResourceAgainstTheFake: a dataset deleted while
// it is waited for ends the wait with ErrNotFound.
func TestWaitForADisappearingResourceAgainstTheFake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake, c := memoryClient(t, gatewaytest.WithSettleAfter(time.Hour))
		ctx := context.Background()
		if _, err := c.Datasets.Create(ctx, gen.CreateDatasetBody{DatasetID: "ds1"}); err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(3*time.Second, func() {
			if err := c.Datasets.Delete(ctx, "ds1"); err != nil {
				t.Error(err)
			}
		})
		_, err := c.Datasets.Wait(ctx, "ds1")
		if !errors.Is(err, api.ErrNotFound) {
			t.Errorf("a dataset deleted mid-wait: %v (state %s)", err, fake.h.State("accounts/acct/datasets/ds1"))
		}
	})
}

// TestWaitHonoursRetryAfterAgainstTheFake: polls that the fake answers
// with 503 and Retry-After: 20 (past the pipeline's own cap) are polled
// again 20 s later.
func TestWaitHonoursRetryAfterAgainstTheFake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake, c := memoryClient(t)
		ctx := context.Background()
		created, err := c.Deployments.Create(ctx, nil, gen.Deployment{BaseModel: "m"})
		if err != nil {
			t.Fatal(err)
		}
		id := (*created.Name)[len("accounts/acct/deployments/"):]
		fake.h.Inject(gen.OpGetDeployment, gatewaytest.Fault{Status: 503, RetryAfter: "20", Times: 2})
		c2, _ := c.With(api.WithMaxRetries(0))
		start := time.Now()
		if _, err := c2.Deployments.Wait(ctx, id); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < 40*time.Second {
			t.Errorf("two 503s asking for 20 s were polled through in %v", took)
		}
	})
}

// TestUploadAnEmptyFileOverTheNetwork: an empty file goes out as a PUT of
// Content-Length 0 (not a chunked body, which storage refuses), over a real
// loopback connection to the fake.
func TestUploadAnEmptyFileOverTheNetwork(t *testing.T) {
	fake, c := gatewaytest.Start(t)
	ctx := context.Background()
	if _, err := c.Datasets.Create(ctx, gen.CreateDatasetBody{DatasetID: "ds1"}); err != nil {
		t.Fatal(err)
	}
	empty, err := api.FileFromPath(tempFile(t, "empty.jsonl", nil))
	if err != nil {
		t.Fatal(err)
	}
	full := api.FileFromReader("full.jsonl", bytes.NewReader([]byte("{}\n")), 3)
	if err := c.Datasets.Upload(ctx, "ds1", []api.File{empty, full}); err != nil {
		t.Fatal(err)
	}
	if got, ok := fake.StoredFile("accounts/acct/datasets/ds1", "empty.jsonl"); !ok || len(got) != 0 {
		t.Errorf("the empty file: stored %v, %d bytes", ok, len(got))
	}
	checkStorageNeverSawTheKey(t, fake.Handler, 2)
}
