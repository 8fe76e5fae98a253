package gatewaytest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

// stalledBody sends its first bytes, then stalls until released, then
// ends before its declared size.
type stalledBody struct {
	first   []byte
	sent    bool
	release chan struct{}
}

func (b *stalledBody) Read(p []byte) (int, error) {
	if !b.sent {
		b.sent = true
		return copy(p, b.first), nil
	}
	<-b.release
	return 0, io.ErrUnexpectedEOF
}

// declareFiles creates dataset ds1 on h and declares files of size on its
// upload endpoint, returning their signed URLs.
func declareFiles(t *testing.T, h http.Handler, size int64, files ...string) map[string]string {
	t.Helper()
	create := `{"datasetId":"ds1","dataset":{"displayName":"d","format":"CHAT"}}`
	if rec := serve(t, h, http.MethodPost, datasets, "application/json", strings.NewReader(create), int64(len(create))); rec.Code != http.StatusOK {
		t.Fatalf("create dataset: %d %s", rec.Code, rec.Body)
	}
	sizes := map[string]string{}
	for _, f := range files {
		sizes[f] = strconv.FormatInt(size, 10)
	}
	raw, _ := json.Marshal(map[string]any{"filenameToSize": sizes})
	rec := serve(t, h, http.MethodPost, datasets+"/ds1:getUploadEndpoint", "application/json", bytes.NewReader(raw), int64(len(raw)))
	var out struct{ FilenameToSignedUrls map[string]string }
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.FilenameToSignedUrls) != len(files) {
		t.Fatalf("upload endpoint: %d %s", rec.Code, rec.Body)
	}
	return out.FilenameToSignedUrls
}

// TestStalledUploadsHoldWhatTheySent: four PUTs that announce 256 MiB
// each and send 4 KiB, then stall, make the fake allocate what arrived
// (a buffer that grows with the bytes), not the 1 GiB they announced:
// measured on the heap's allocation count while they stall.
func TestStalledUploadsHoldWhatTheySent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, err := gatewaytest.NewHandler()
		if err != nil {
			t.Fatal(err)
		}
		const announced, sent, uploads = 256 << 20, 4 << 10, 4
		files := []string{"f0", "f1", "f2", "f3"}
		urls := declareFiles(t, h, announced, files...)
		release := make(chan struct{})
		recs := make([]*httptest.ResponseRecorder, uploads)

		var before, during runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		var wg sync.WaitGroup
		for i, f := range files {
			req := httptest.NewRequest(http.MethodPut, urls[f], &stalledBody{first: bytes.Repeat([]byte("x"), sent), release: release})
			req.ContentLength = announced
			req.Header.Set("Content-Type", "application/octet-stream")
			req.Header.Set("X-Goog-Content-Length-Range", strconv.Itoa(announced)+","+strconv.Itoa(announced))
			recs[i] = httptest.NewRecorder()
			wg.Go(func() { h.ServeHTTP(recs[i], req) })
		}
		synctest.Wait() // every upload has read its 4 KiB and stalls
		runtime.ReadMemStats(&during)
		allocated := during.TotalAlloc - before.TotalAlloc
		t.Logf("4 stalled uploads of 256 MiB that sent 4 KiB each: %.2f MiB allocated", float64(allocated)/(1<<20))
		if allocated > 16<<20 {
			t.Errorf("4 stalled uploads that sent %d KiB each made the fake allocate %d MiB, want under 16 MiB", sent>>10, allocated>>20)
		}
		close(release)
		wg.Wait()
		for i, rec := range recs {
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "IncompleteBody") {
				t.Errorf("upload %d cut short: %d %s, want 400 IncompleteBody", i, rec.Code, rec.Body)
			}
		}
	})
}

// TestStorageMemoryIsCapped: with WithStorageMemoryLimit, an upload that
// would make storage hold more is refused with 507 InsufficientStorage
// (an upload that fits is stored; a growing buffer counts its copy too:
// 256 KiB and 400 KiB at its last growth); a file dropped (declared
// again) frees its memory for the next.
func TestStorageMemoryIsCapped(t *testing.T) {
	const limit, size = 1 << 20, 400 << 10
	fake, _ := gatewaytest.Start(t, gatewaytest.WithStorageMemoryLimit(limit))
	createDataset(t, fake, "ds1")
	const ds1 = datasets + "/ds1"
	data := bytes.Repeat([]byte("y"), size)
	urls := uploadURLs(t, fake, ds1, map[string]int{"a": size, "b": size})
	if status, body := put(t, urls["a"], data, size, nil); status != http.StatusOK {
		t.Fatalf("PUT a within the limit: %d %s", status, body)
	}
	status, body := put(t, urls["b"], data, size, nil)
	if status != http.StatusInsufficientStorage || !strings.Contains(string(body), "<Code>InsufficientStorage</Code>") {
		t.Errorf("PUT b beyond the limit: %d %s, want 507 InsufficientStorage", status, body)
	}
	if _, ok := fake.StoredFile("accounts/acct/datasets/ds1", "b"); ok {
		t.Error("the upload beyond the limit was stored")
	}
	urls = uploadURLs(t, fake, ds1, map[string]int{"a": 1, "b": size}) // drops both files
	if status, body := put(t, urls["b"], data, size, nil); status != http.StatusOK {
		t.Errorf("PUT b once a was dropped: %d %s, want 200", status, body)
	}
	if got, ok := fake.StoredFile("accounts/acct/datasets/ds1", "b"); !ok || !bytes.Equal(got, data) {
		t.Errorf("b stored %d bytes (%v), want %d", len(got), ok, size)
	}
}

// TestDeletedFilesFreeStorageMemory: the files of a deleted resource no
// longer count against the storage's limit (storage recounts when an
// upload would go beyond it).
func TestDeletedFilesFreeStorageMemory(t *testing.T) {
	const limit, size = 1 << 20, 400 << 10
	fake, _ := gatewaytest.Start(t, gatewaytest.WithStorageMemoryLimit(limit), gatewaytest.WithSettleReads(0))
	data := bytes.Repeat([]byte("z"), size)
	createDataset(t, fake, "ds1")
	uploadFile(t, fake, datasets+"/ds1", "a", data)
	if status, body := do(t, fake, "DELETE", datasets+"/ds1", nil); status != http.StatusOK {
		t.Fatalf("delete ds1: %d %s", status, body)
	}
	for range 3 { // reads settle a DELETING dataset
		if status, _ := do(t, fake, "GET", datasets+"/ds1", nil); status == http.StatusNotFound {
			break
		}
	}
	if status, _ := do(t, fake, "GET", datasets+"/ds1", nil); status != http.StatusNotFound {
		t.Fatalf("ds1 is still there after its delete: %d", status)
	}
	createDataset(t, fake, "ds2")
	uploadFile(t, fake, datasets+"/ds2", "a", data) // fails the test on a 507
}

// TestStalledRequestsHoldWhatTheySent: API requests that announce a body
// of MaxRequestBody and send 4 KiB, then stall, make the fake allocate
// about what arrived, not the 32 MiB each announced.
func TestStalledRequestsHoldWhatTheySent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, err := gatewaytest.NewHandler()
		if err != nil {
			t.Fatal(err)
		}
		release := make(chan struct{})
		var before, during runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		var wg sync.WaitGroup
		for range 4 {
			req := httptest.NewRequest(http.MethodPost, "/v1/accounts/acct/secrets", &stalledBody{first: bytes.Repeat([]byte(" "), 4<<10), release: release})
			req.ContentLength = gatewaytest.MaxRequestBody
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+gatewaytest.APIKey)
			wg.Go(func() { h.ServeHTTP(httptest.NewRecorder(), req) })
		}
		synctest.Wait()
		runtime.ReadMemStats(&during)
		if allocated := during.TotalAlloc - before.TotalAlloc; allocated > 16<<20 {
			t.Errorf("4 stalled requests that sent 4 KiB each made the fake allocate %d MiB, want under 16 MiB", allocated>>20)
		}
		close(release)
		wg.Wait()
	})
}
