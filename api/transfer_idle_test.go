package api_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
)

// dripSize is the file the slow transfers move: 100 KiB, at 1 KiB a
// second, takes 100 s, longer than the calls' WithTimeout.
const dripSize = 100 << 10

// TestAnUploadThatKeepsMovingIsNeverCutOff: storage reads the file at
// 1 KiB/s, 100 s in all, while WithTimeout is 10 s: the upload succeeds in
// one PUT, since a transfer is bounded by its progress, not by a clock.
func TestAnUploadThatKeepsMovingIsNeverCutOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var puts hits
		var stored []byte
		f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {
			puts.add()
			stored = readSlowly(r, func() { time.Sleep(time.Second) })
		})
		data := bytes.Repeat([]byte("u"), dripSize)
		start := time.Now()
		err := f.client.Datasets.Upload(context.Background(), "ds1", []api.File{api.FileFromReader("a.bin", bytes.NewReader(data), dripSize)},
			api.WithTimeout(10*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < 90*time.Second || puts.count() != 1 || !bytes.Equal(stored, data) || f.validations() != 1 {
			t.Errorf("took %v in %d PUTs, stored %d bytes, %d validations; want ~100 s, 1 PUT, all %d bytes, 1 validation",
				took, puts.count(), len(stored), f.validations(), dripSize)
		}
	})
}

// TestADownloadThatKeepsMovingIsNeverCutOff: storage sends the file at
// 1 KiB/s, 100 s in all, while WithTimeout is 10 s: it arrives whole, in
// one GET.
func TestADownloadThatKeepsMovingIsNeverCutOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var gets hits
		f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {
			gets.add()
			w.Header().Set("Content-Length", fmt.Sprint(dripSize))
			for range dripSize / 1024 {
				_, _ = w.Write(bytes.Repeat([]byte("d"), 1024))
				w.(http.Flusher).Flush()
				time.Sleep(time.Second)
			}
		})
		dir := t.TempDir()
		start := time.Now()
		paths, err := f.client.Datasets.Download(context.Background(), "ds1", dir, api.WithTimeout(10*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(paths[0])
		if took := time.Since(start); took < 90*time.Second || gets.count() != 1 || !bytes.Equal(got, bytes.Repeat([]byte("d"), dripSize)) {
			t.Errorf("took %v in %d GETs, %d bytes arrived; want ~100 s, 1 GET, %d bytes", took, gets.count(), len(got), dripSize)
		}
	})
}

// stallCase is a storage that stops moving bytes, in one direction or
// another, on every request but the ones after the first `stalls`.
type stallCase struct {
	name   string
	upload bool
	// serve handles a request; stall is true when it must stop moving.
	serve func(w http.ResponseWriter, r *http.Request, stall bool)
}

// blockUntilGone waits until the client abandons the request.
func blockUntilGone(r *http.Request) { <-r.Context().Done() }

var stallCases = []stallCase{
	{name: "PUT body stops being read", upload: true, serve: func(w http.ResponseWriter, r *http.Request, stall bool) {
		if stall {
			_, _ = r.Body.Read(make([]byte, 1024))
			blockUntilGone(r)
			return
		}
		readSlowly(r, func() {})
	}},
	{name: "PUT read whole, then no answer", upload: true, serve: func(w http.ResponseWriter, r *http.Request, stall bool) {
		readSlowly(r, func() {})
		if stall {
			blockUntilGone(r)
		}
	}},
	{name: "GET headers never come", serve: func(w http.ResponseWriter, r *http.Request, stall bool) {
		if stall {
			blockUntilGone(r)
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(dripSize))
		_, _ = w.Write(bytes.Repeat([]byte("d"), dripSize))
	}},
	{name: "GET body stops mid-way", serve: func(w http.ResponseWriter, r *http.Request, stall bool) {
		w.Header().Set("Content-Length", fmt.Sprint(dripSize))
		if stall {
			_, _ = w.Write(bytes.Repeat([]byte("d"), dripSize/2))
			w.(http.Flusher).Flush()
			blockUntilGone(r)
			return
		}
		_, _ = w.Write(bytes.Repeat([]byte("d"), dripSize))
	}},
}

// transferOnce runs the case's transfer into a fresh directory.
func (c stallCase) transferOnce(t *testing.T, f *transferFake, ctx context.Context, opts ...api.TransferOption) (string, error) {
	dir := t.TempDir()
	if c.upload {
		data := bytes.Repeat([]byte("u"), dripSize)
		up := make([]api.UploadOption, len(opts))
		for i, o := range opts {
			up[i] = o
		}
		return dir, f.client.Datasets.Upload(ctx, "ds1", []api.File{api.FileFromReader("a.bin", bytes.NewReader(data), dripSize)}, up...)
	}
	_, err := f.client.Datasets.Download(ctx, "ds1", dir, opts...)
	return dir, err
}

// TestAStalledTransferIsRetried: a PUT or GET that moves no byte for the
// idle time (storage stops reading, never answers, never sends headers,
// stops sending) is abandoned after it and retried; the retry succeeds.
func TestAStalledTransferIsRetried(t *testing.T) {
	for _, c := range stallCases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var requests hits
				f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {
					c.serve(w, r, requests.add() == 1)
				})
				start := time.Now()
				dir, err := c.transferOnce(t, f, context.Background(), api.WithTransferIdleTimeout(30*time.Second))
				if err != nil {
					t.Fatal(err)
				}
				took := time.Since(start)
				if took < 30*time.Second || took > 32*time.Second || requests.count() != 2 {
					t.Errorf("took %v in %d requests; want the 30 s idle time, a backoff under 1 s, and 2 requests", took, requests.count())
				}
				if !c.upload {
					assertOnly(t, dir, "data.bin")
				}
			})
		})
	}
}

// TestAStorageThatNeverGivesUpEndsTheTransfer: against a storage that
// stalls every time, a transfer under context.Background() ends after its
// attempts, each cut at the default idle time (60 s), with
// ErrTransferStalled inside a *TransportError, and leaves no file; an
// upload is not validated.
func TestAStorageThatNeverGivesUpEndsTheTransfer(t *testing.T) {
	for _, c := range stallCases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var requests hits
				f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {
					requests.add()
					c.serve(w, r, true)
				})
				start := time.Now()
				dir, err := c.transferOnce(t, f, context.Background())
				took := time.Since(start)
				var te *api.TransportError
				if !errors.Is(err, api.ErrTransferStalled) || !errors.As(err, &te) || te.Attempts != 3 {
					t.Fatalf("err = %v, want ErrTransferStalled in a *TransportError after 3 attempts", err)
				}
				// 3 attempts of 60 s, and backoffs of at most 0.5 s and 1 s.
				if took < 180*time.Second || took > 182*time.Second || requests.count() != 3 {
					t.Errorf("ended after %v and %d requests; want 3 × 60 s and 3 requests", took, requests.count())
				}
				if f.validations() != 0 {
					t.Error("a stalled upload was validated")
				}
				assertOnly(t, dir)
			})
		})
	}
}

// TestTheAPICallsOfATransferKeepWithTimeout: WithTimeout still bounds the
// calls to the API (here the download endpoint, which never answers).
func TestTheAPICallsOfATransferKeepWithTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {})
		f.downloads = nil
		f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { blockUntilGone(r) })
		start := time.Now()
		_, err := f.client.Datasets.Download(context.Background(), "ds1", t.TempDir(), api.WithTimeout(5*time.Second), api.WithMaxRetries(0))
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 5*time.Second {
			t.Errorf("err = %v after %v, want the 5 s WithTimeout's deadline", err, time.Since(start))
		}
	})
}

// assertOnly fails unless dir holds exactly the named files (a leftover
// temporary file included), looking into subdirectories without following
// links.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	var found []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			found = append(found, filepath.ToSlash(rel))
		}
		return err
	})
	if fmt.Sprint(found) != fmt.Sprint(names) {
		t.Errorf("%s holds %v, want %v", dir, found, names)
	}
}
