// Package transferbench is the loopback Gateway that the transfer
// benchmarks run against: api's BenchmarkTransfer, and benchagainst's
// harness, which measures two revisions of the SDK with it. It is a
// benchmark helper, not part of the SDK.
package transferbench

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// FileSize is the file the throughput benchmarks move.
const FileSize = 64 << 20

// Pattern generates its bytes without holding them: a stream as large as
// one likes at no memory cost, the same whatever the reads' sizes. It
// copies from a table of the pattern rather than computing each byte, so
// that the loopback server's cost stays small beside the client's, which
// the benchmarks compare.
type Pattern struct{ left, at int64 }

// NewPattern returns a Pattern of n bytes.
func NewPattern(n int64) *Pattern { return &Pattern{left: n} }

// period is the pattern's period ('a' to 'z'); table holds it repeated, so
// that a read copies from the table at the offset of its first byte. The
// table is small (4 KiB): it is in the heap that api's
// upload-1GiB-peak-heap measures.
const period = 26

var table = func() []byte {
	t := make([]byte, 4<<10+period)
	for i := range t {
		t[i] = byte('a' + i%period)
	}
	return t
}()

// Read copies the next bytes of the pattern into p; io.EOF once all n are
// read.
func (r *Pattern) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), r.left))
	for done := 0; done < n; {
		at := int((r.at + int64(done)) % period)
		done += copy(p[done:n], table[at:])
	}
	r.left -= int64(n)
	r.at += int64(n)
	return n, nil
}

// NewServer starts a loopback Gateway for one dataset and its storage,
// closed when tb ends: the upload endpoint hands out a URL of the same
// server; PUTs are read and dropped (one that carries an Authorization
// header, or fewer bytes than announced, is refused); the download
// endpoint hands out one file, data.bin, of FileSize bytes, which storage
// serves with both checksums in x-goog-hash, as Cloud Storage does.
func NewServer(tb testing.TB) *httptest.Server {
	md5Sum, crc := md5.New(), crc32.New(crc32.MakeTable(crc32.Castagnoli))
	_, _ = io.Copy(io.MultiWriter(md5Sum, crc), NewPattern(FileSize))
	hashes := []string{"crc32c=" + base64.StdEncoding.EncodeToString(crc.Sum(nil)), "md5=" + base64.StdEncoding.EncodeToString(md5Sum.Sum(nil))}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, ":getUploadEndpoint"):
			var in struct{ FilenameToSize map[string]string }
			_ = json.NewDecoder(r.Body).Decode(&in)
			urls := map[string]string{}
			for name := range in.FilenameToSize {
				urls[name] = srv.URL + "/storage/" + name + "?X-Goog-Signature=s"
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"filenameToSignedUrls": urls})
		case strings.HasSuffix(r.URL.Path, ":getDownloadEndpoint"):
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"filenameToSignedUrls": map[string]string{"data.bin": srv.URL + "/storage/data.bin"}})
		case strings.HasSuffix(r.URL.Path, ":validateUpload"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, "{}")
		case strings.HasPrefix(r.URL.Path, "/storage/") && r.Method == http.MethodPut:
			if r.Header.Get("Authorization") != "" {
				http.Error(w, "two credentials", http.StatusBadRequest)
				return
			}
			if n, _ := io.Copy(io.Discard, r.Body); n != r.ContentLength {
				http.Error(w, "short", http.StatusBadRequest)
			}
		case r.URL.Path == "/storage/data.bin" && r.Method == http.MethodGet:
			w.Header().Set("Content-Length", strconv.Itoa(FileSize))
			w.Header()["X-Goog-Hash"] = hashes
			_, _ = io.Copy(w, NewPattern(FileSize))
		default:
			http.NotFound(w, r)
		}
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// Put sends FileSize bytes of the pattern to url with a plain PUT through
// hc (io.Copy's net/http: the baseline of an upload), and fails tb unless
// storage answers 200.
func Put(tb testing.TB, hc *http.Client, url string) {
	req, err := http.NewRequest(http.MethodPut, url, NewPattern(FileSize))
	if err != nil {
		tb.Fatal(err)
	}
	req.ContentLength = FileSize
	resp, err := hc.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("PUT %s: %s", req.URL.Path, resp.Status)
	}
}
