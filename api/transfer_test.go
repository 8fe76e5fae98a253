package api_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
)

// storageServer is an in-memory Gateway (for a dataset's upload and
// download endpoints, its validation and its state) and the storage its
// signed URLs point to, so that transfers run on synctest's clock.
type storageServer struct {
	mu        sync.Mutex
	stored    map[string][]byte // object name -> bytes
	puts      []*http.Request   // every PUT received, its body read
	gets      []*http.Request
	failPut   map[string]int // name -> PUTs to fail with 503
	resetPut  map[string]int // name -> PUTs to cut off mid-body
	preconds  int            // validateUpload answers FAILED_PRECONDITION this many times
	validated int            // validateUpload calls
	states    []string       // the dataset's states, one per Get (the last repeats)
	gotState  int
	downloads map[string]string // name -> object name, for the download endpoint
	badHash   bool              // send a wrong x-goog-hash
	urlBase   string            // the signed URLs' scheme and host
	validates []time.Time       // when validateUpload was called
	received  []int             // the bytes each PUT's body gave before it ended
	lengths   map[string]int64  // object -> the Content-Length storage announces, when it lies
}

func newStorageServer() *storageServer {
	return &storageServer{stored: map[string][]byte{}, failPut: map[string]int{}, resetPut: map[string]int{},
		states: []string{"READY"}, downloads: map[string]string{}, urlBase: "https://storage.test"}
}

func (s *storageServer) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	json200 := func(v any) (*http.Response, error) {
		b, _ := json.Marshal(v)
		return answer200(req, b, http.Header{"Content-Type": {"application/json"}}), nil
	}
	path := req.URL.Path
	switch {
	case req.URL.Host == "storage.test" && req.Method == http.MethodPut:
		name := strings.TrimPrefix(path, "/bucket/")
		if s.resetPut[name] > 0 {
			s.resetPut[name]--
			_, _ = io.CopyN(io.Discard, req.Body, 10)
			return nil, io.ErrUnexpectedEOF // the connection dropped after the request went out
		}
		body, err := io.ReadAll(req.Body)
		s.received = append(s.received, len(body))
		clone := req.Clone(context.Background())
		s.puts = append(s.puts, clone)
		if err != nil {
			return nil, err
		}
		if s.failPut[name] > 0 {
			s.failPut[name]--
			return &http.Response{StatusCode: 503, Status: "503", Header: http.Header{}, Body: io.NopCloser(strings.NewReader("<Error><Code>ServiceUnavailable</Code></Error>")), Request: req}, nil
		}
		if int64(len(body)) != req.ContentLength {
			return &http.Response{StatusCode: 400, Status: "400", Header: http.Header{}, Body: io.NopCloser(strings.NewReader("<Error><Code>IncompleteBody</Code></Error>")), Request: req}, nil
		}
		s.stored[name] = body
		return answer200(req, nil, http.Header{}), nil
	case req.URL.Host == "storage.test" && req.Method == http.MethodGet:
		s.gets = append(s.gets, req.Clone(context.Background()))
		data, ok := s.stored[strings.TrimPrefix(path, "/bucket/")]
		if !ok {
			return &http.Response{StatusCode: 404, Status: "404", Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: req}, nil
		}
		sum := md5.Sum(data)
		if s.badHash {
			sum[0]++
		}
		h := http.Header{"X-Goog-Hash": {"md5=" + base64.StdEncoding.EncodeToString(sum[:])}}
		resp := answer200(req, data, h)
		resp.ContentLength = int64(len(data))
		if n, lies := s.lengths[strings.TrimPrefix(path, "/bucket/")]; lies {
			resp.ContentLength = n
		}
		return resp, nil
	case strings.HasSuffix(path, ":getUploadEndpoint"):
		var in struct{ FilenameToSize map[string]string }
		_ = json.NewDecoder(req.Body).Decode(&in)
		urls := map[string]string{}
		for name := range in.FilenameToSize {
			urls[name] = s.urlBase + "/bucket/ds1/" + name + "?X-Goog-Signature=sig-0123456789"
		}
		return json200(map[string]any{"filenameToSignedUrls": urls})
	case strings.HasSuffix(path, ":validateUpload"):
		s.validated++
		s.validates = append(s.validates, time.Now())
		if s.preconds > 0 {
			s.preconds--
			return &http.Response{StatusCode: 400, Status: "400", Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(strings.NewReader(`{"code":9,"message":"not every file arrived yet"}`)), Request: req}, nil
		}
		return json200(map[string]any{})
	case strings.HasSuffix(path, ":getDownloadEndpoint"):
		urls := map[string]string{}
		for name, object := range s.downloads {
			urls[name] = s.urlBase + "/bucket/" + object + "?X-Goog-Signature=sig-0123456789"
		}
		return json200(map[string]any{"filenameToSignedUrls": urls})
	case strings.HasSuffix(path, "/datasets/ds1") && req.Method == http.MethodGet:
		state := s.states[min(s.gotState, len(s.states)-1)]
		s.gotState++
		return json200(map[string]any{"name": "accounts/acct/datasets/ds1", "state": state, "exampleCount": "0"})
	}
	return &http.Response{StatusCode: 404, Status: "404", Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"code":5}`)), Request: req}, nil
}

func answer200(req *http.Request, body []byte, h http.Header) *http.Response {
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: req, ContentLength: int64(len(body))}
}

// tempFile writes data to a file in a test directory.
func tempFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestUploadSendsEachFileToItsSignedURL: Upload asks for URLs with the
// files' sizes, PUTs each with the headers a GCS signed URL needs and
// without the API key, validates (again while FAILED_PRECONDITION), waits
// for READY with WaitAfterUpload, and reports every byte.
func TestUploadSendsEachFileToItsSignedURL(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newStorageServer()
		srv.preconds = 2
		srv.states = []string{"UPLOADING", "READY"}
		c := newClient(t, srv)
		train := bytes.Repeat([]byte(`{"messages":[]}`+"\n"), 5000)
		fromPath, err := api.FileFromPath(tempFile(t, "train.jsonl", train))
		if err != nil {
			t.Fatal(err)
		}
		eval := []byte(`{"messages":[{"role":"user"}]}` + "\n")
		fromReader := api.FileFromReader("eval.jsonl", bytes.NewReader(eval), int64(len(eval)))
		var last api.TransferProgress
		var reports int
		err = c.Datasets.Upload(context.Background(), "ds1", []api.File{fromPath, fromReader},
			api.WaitAfterUpload(), api.OnTransferProgress(func(p api.TransferProgress) { last = p; reports++ }))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(srv.stored["ds1/train.jsonl"], train) || !bytes.Equal(srv.stored["ds1/eval.jsonl"], eval) {
			t.Error("storage does not hold the files as sent")
		}
		for _, put := range srv.puts {
			if put.Header.Get("Authorization") != "" {
				t.Fatal("the API key went to storage")
			}
			if put.Header.Get("Content-Type") != "application/octet-stream" ||
				put.Header.Get("X-Goog-Content-Length-Range") != fmt.Sprintf("%d,%d", put.ContentLength, put.ContentLength) {
				t.Errorf("PUT %s headers %v", put.URL.Path, put.Header)
			}
		}
		if srv.validated != 3 || srv.gotState != 2 {
			t.Errorf("validated %d times (want 3: two FAILED_PRECONDITION), read the dataset %d times (want 2)", srv.validated, srv.gotState)
		}
		total := int64(len(train) + len(eval))
		if last.Done != total || last.Total != total || last.FilesDone != 2 || last.Files != 2 || reports < 3 {
			t.Errorf("the last progress report %+v after %d reports, want all %d bytes of 2 files", last, reports, total)
		}
	})
}

// TestUploadRetriesAFailedPut: a 503 and a connection lost mid-PUT are
// retried from the start of the file; the progress goes back for it.
func TestUploadRetriesAFailedPut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newStorageServer()
		srv.failPut["ds1/a.jsonl"] = 1
		srv.resetPut["ds1/b.jsonl"] = 1
		c := newClient(t, srv)
		a, b := bytes.Repeat([]byte("a"), 100_000), bytes.Repeat([]byte("b"), 50_000)
		fa, _ := api.FileFromPath(tempFile(t, "a.jsonl", a))
		fb := api.FileFromReader("b.jsonl", bytes.NewReader(b), int64(len(b)))
		var last api.TransferProgress
		err := c.Datasets.Upload(context.Background(), "ds1", []api.File{fa, fb}, api.OnTransferProgress(func(p api.TransferProgress) { last = p }))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(srv.stored["ds1/a.jsonl"], a) || !bytes.Equal(srv.stored["ds1/b.jsonl"], b) {
			t.Error("a retried file arrived corrupt")
		}
		if last.Done != int64(len(a)+len(b)) {
			t.Errorf("progress says %d bytes, want %d (retries counted once)", last.Done, len(a)+len(b))
		}
	})
}

// TestUploadRefusesAFileThatChangedSize: a file with more or fewer bytes
// than declared is ErrFileChanged, and storage never holds it.
func TestUploadRefusesAFileThatChangedSize(t *testing.T) {
	for name, tc := range map[string]struct {
		data []byte
		size int64
	}{"grew": {bytes.Repeat([]byte("x"), 1001), 1000}, "shrank": {bytes.Repeat([]byte("x"), 999), 1000}} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := newStorageServer()
				c := newClient(t, srv)
				f := api.FileFromReader("f.jsonl", bytes.NewReader(tc.data), tc.size)
				err := c.Datasets.Upload(context.Background(), "ds1", []api.File{f})
				if !errors.Is(err, api.ErrFileChanged) {
					t.Fatalf("err = %v, want ErrFileChanged", err)
				}
				if _, ok := srv.stored["ds1/f.jsonl"]; ok || srv.validated != 0 {
					t.Error("storage holds the changed file, or the upload was validated")
				}
			})
		})
	}
}

// TestUploadRefusesBadInputBeforeSending: no file, a name with a path (out
// of the directory or into a sub-directory: a dataset's files are plain
// names), two files of one name, and an http signed URL to another host.
func TestUploadRefusesBadInputBeforeSending(t *testing.T) {
	f := api.FileFromReader("a.jsonl", strings.NewReader("x"), 1)
	for name, files := range map[string][]api.File{
		"no file":   nil,
		"a path":    {api.FileFromReader("../a.jsonl", strings.NewReader("x"), 1)},
		"a sub-dir": {api.FileFromReader("sub/a.jsonl", strings.NewReader("x"), 1)},
		"twice":     {f, f},
		"not made":  {{Name: "a", Size: 1}},
		"negative":  {api.FileFromReader("a.jsonl", strings.NewReader("x"), -1)},
		"backslash": {api.FileFromReader(`dir\a.jsonl`, strings.NewReader("x"), 1)},
	} {
		srv := newStorageServer()
		c := newClient(t, srv)
		if err := c.Datasets.Upload(context.Background(), "ds1", files); err == nil {
			t.Errorf("%s: no error", name)
		}
		if len(srv.puts) != 0 {
			t.Errorf("%s: a file was sent", name)
		}
	}
	srv := newStorageServer()
	srv.urlBase = "http://storage.example"
	c := newClient(t, srv)
	err := c.Datasets.Upload(context.Background(), "ds1", []api.File{api.FileFromReader("a.jsonl", strings.NewReader("x"), 1)})
	if err == nil || !strings.Contains(err.Error(), "want https") || len(srv.puts) != 0 {
		t.Errorf("a plain-http signed URL: %v", err)
	}
}

// TestDownloadWritesEachFileIntoPlace: Download fetches every file the
// endpoint names into dir (subdirectories too), without the API key,
// checking sizes and the md5 storage announces; a bad checksum leaves no
// file behind; a name that escapes dir is refused before anything is
// fetched.
func TestDownloadWritesEachFileIntoPlace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newStorageServer()
		srv.stored["o/train"] = []byte("train data\n")
		srv.stored["o/eval"] = bytes.Repeat([]byte("e"), 70_000)
		srv.stored["o/empty"] = []byte{}
		srv.downloads = map[string]string{"train.jsonl": "o/train", "splits/eval.jsonl": "o/eval", "empty.jsonl": "o/empty"}
		c := newClient(t, srv)
		dir := t.TempDir()
		var last api.TransferProgress
		paths, err := c.Datasets.Download(context.Background(), "ds1", dir, api.OnTransferProgress(func(p api.TransferProgress) { last = p }))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{filepath.Join(dir, "empty.jsonl"), filepath.Join(dir, "splits", "eval.jsonl"), filepath.Join(dir, "train.jsonl")}
		if fmt.Sprint(paths) != fmt.Sprint(want) {
			t.Errorf("paths %v, want %v", paths, want)
		}
		for i, p := range want {
			got, err := os.ReadFile(p)
			if err != nil || !bytes.Equal(got, srv.stored[[]string{"o/empty", "o/eval", "o/train"}[i]]) {
				t.Errorf("%s: %v", p, err)
			}
		}
		for _, g := range srv.gets {
			if g.Header.Get("Authorization") != "" {
				t.Fatal("the API key went to storage")
			}
		}
		if last.Done != 70_000+11 || last.Total != 70_000+11 || last.FilesDone != 3 || last.Files != 3 {
			t.Errorf("progress %+v, want 70011 bytes of 3 files (an empty one counts)", last)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".download-") {
				t.Errorf("a temporary file was left: %s", e.Name())
			}
		}

		srv.badHash = true
		bad := t.TempDir()
		if _, err := c.Datasets.Download(context.Background(), "ds1", bad); err == nil || !strings.Contains(err.Error(), "checksum") {
			t.Errorf("a wrong md5: %v", err)
		}
		// Every file's checksum is wrong: none may be left, in place or
		// as a temporary file.
		_ = filepath.WalkDir(bad, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				t.Errorf("a download with a wrong checksum left %s", path)
			}
			return err
		})
		srv.badHash = false

		for _, escape := range []string{"../evil.jsonl", "/etc/passwd", "a/../../evil", ""} {
			srv.downloads = map[string]string{escape: "o/train"}
			before := len(srv.gets)
			if _, err := c.Datasets.Download(context.Background(), "ds1", t.TempDir()); err == nil || len(srv.gets) != before {
				t.Errorf("the name %q: err %v after %d fetches", escape, err, len(srv.gets)-before)
			}
		}
	})
}

// TestValidateUploadBacksOffWhileStorageCatchesUp: FAILED_PRECONDITION
// answers are asked again after about 1 s, then half as long again each
// time.
func TestValidateUploadBacksOffWhileStorageCatchesUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newStorageServer()
		srv.preconds = 4
		c := newClient(t, srv)
		if err := c.Datasets.Upload(context.Background(), "ds1", []api.File{api.FileFromReader("a.jsonl", strings.NewReader("{}\n"), 3)}); err != nil {
			t.Fatal(err)
		}
		if len(srv.validates) != 5 {
			t.Fatalf("%d validations, want 5", len(srv.validates))
		}
		ceiling := time.Second
		for i := 1; i < len(srv.validates); i++ {
			if w := srv.validates[i].Sub(srv.validates[i-1]); w > ceiling || w < ceiling*3/4 {
				t.Errorf("validation %d came %v after the one before, want within [%v, %v]", i+1, w, ceiling*3/4, ceiling)
			}
			ceiling = ceiling * 3 / 2
		}
	})
}

// TestAGrowingFileNeverReachesStorageWhole: a file that grew past its
// declared size fails before storage has received the declared bytes, so
// that even a storage that kept a short body could not complete it.
func TestAGrowingFileNeverReachesStorageWhole(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newStorageServer()
		c := newClient(t, srv)
		const declared = 100_000
		data := bytes.Repeat([]byte("y"), declared+1)
		err := c.Datasets.Upload(context.Background(), "ds1", []api.File{api.FileFromReader("g.jsonl", bytes.NewReader(data), declared)})
		if !errors.Is(err, api.ErrFileChanged) {
			t.Fatalf("err = %v", err)
		}
		for _, n := range srv.received {
			if n >= declared {
				t.Errorf("storage received %d bytes of a file declared at %d that grew: the growth was caught too late", n, declared)
			}
		}
	})
}

// TestDownloadRefusesWhatStorageDidNotAnnounce: a body longer or shorter
// than storage's Content-Length (0 included) is an error, and no file,
// not even a temporary one.
func TestDownloadRefusesWhatStorageDidNotAnnounce(t *testing.T) {
	for _, announced := range []int64{0, 5, 50} {
		t.Run(fmt.Sprint(announced), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := newStorageServer()
				srv.stored["o/f"] = bytes.Repeat([]byte("f"), 20)
				srv.lengths = map[string]int64{"o/f": announced}
				srv.downloads = map[string]string{"f.jsonl": "o/f"}
				c := newClient(t, srv)
				dir := t.TempDir()
				if _, err := c.Datasets.Download(context.Background(), "ds1", dir); err == nil || !strings.Contains(err.Error(), "storage announced") {
					t.Errorf("20 bytes announced as %d: %v", announced, err)
				}
				assertOnly(t, dir) // neither the file nor a temporary one
			})
		})
	}
}
