package api_test

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
)

// transferBenchSize is the file the throughput benchmarks move.
const transferBenchSize = 64 << 20

// patternReader generates n bytes without holding them: a stream as large
// as one likes at no memory cost, the same whatever the reads' sizes. It
// copies from a table of the pattern rather than computing each byte, so
// that the loopback server's cost stays small beside the client's, which
// the benchmarks compare.
type patternReader struct{ left, at int64 }

// patternPeriod is the pattern's period ('a' to 'z'); patternTable holds
// it repeated, so that a read copies from the table at the offset of its
// first byte. The table is small (4 KiB): it is in the heap that
// upload-1GiB-peak-heap measures.
const patternPeriod = 26

var patternTable = func() []byte {
	t := make([]byte, 4<<10+patternPeriod)
	for i := range t {
		t[i] = byte('a' + i%patternPeriod)
	}
	return t
}()

func (r *patternReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), r.left))
	for done := 0; done < n; {
		at := int((r.at + int64(done)) % patternPeriod)
		done += copy(p[done:n], patternTable[at:])
	}
	r.left -= int64(n)
	r.at += int64(n)
	return n, nil
}

// transferServer is a loopback Gateway for one dataset and its storage:
// the upload endpoint hands out a URL of the same server; PUTs are read and
// dropped; GETs of storage serve a generated stream of the asked size, with
// both checksums in x-goog-hash, as Cloud Storage sends them.
func transferServer(b *testing.B) *httptest.Server {
	md5Sum, crc := md5.New(), crc32.New(crc32.MakeTable(crc32.Castagnoli))
	_, _ = io.Copy(io.MultiWriter(md5Sum, crc), &patternReader{left: transferBenchSize})
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
			_ = json.NewEncoder(w).Encode(map[string]any{"filenameToSignedUrls": map[string]string{"data.bin": srv.URL + "/storage/data.bin?size=" + strconv.Itoa(transferBenchSize)}})
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
		case strings.HasPrefix(r.URL.Path, "/storage/") && r.Method == http.MethodGet:
			size, _ := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
			w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
			if size == transferBenchSize {
				w.Header()["X-Goog-Hash"] = hashes
			}
			_, _ = io.Copy(w, &patternReader{left: size})
		default:
			http.NotFound(w, r)
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkTransfer compares, in one run against one loopback server, an
// Upload and a Download of a 64 MiB file through the SDK (the signed-URL
// path: no key, size checks, progress, temp file and rename) with a plain
// io.Copy over net/http of the same bytes (the baseline, which checks no
// checksum; the SDK checks storage's crc32c), reporting MB/s;
// and the peak heap of an Upload of a 1 GiB generated stream, which must
// not grow with the file (goal: under 1 MiB).
//
// The sub-benchmarks under "paired" run the SDK and its baseline in turn
// within one loop (pairedRuns), so that both see the same load; the
// targets are judged on their ratios. "upload-sdk-vs-by-hand" compares
// Upload with the same workflow written with net/http alone (the
// getUploadEndpoint call, the PUT to the URL it gives, validateUpload):
// the two API calls alone cost a bare PUT about 2 % here.
// "upload-baseline-vs-baseline" is the A/A run that shows the pairing's
// own noise on transfers.
func BenchmarkTransfer(b *testing.B) {
	srv := transferServer(b)
	transport := &http.Transport{MaxIdleConnsPerHost: 4}
	b.Cleanup(transport.CloseIdleConnections)
	hc := &http.Client{Transport: transport}
	client, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(srv.URL), api.WithAccount("acct"), api.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	uploadBaseline := func(b *testing.B) {
		req, _ := http.NewRequest(http.MethodPut, srv.URL+"/storage/data.bin", &patternReader{left: transferBenchSize})
		req.ContentLength = transferBenchSize
		resp, err := hc.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	// uploadByHand is the workflow that Upload runs, written with net/http
	// alone: ask for the signed URL, PUT the file to it, validate.
	apiCall := func(b *testing.B, path, body string, into any) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/accounts/acct/datasets/ds1"+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+testAPIKey)
		resp, err := hc.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			b.Fatal(err)
		}
	}
	uploadByHand := func(b *testing.B) {
		var endpoint struct{ FilenameToSignedUrls map[string]string }
		apiCall(b, ":getUploadEndpoint", `{"filenameToSize":{"data.bin":"`+strconv.Itoa(transferBenchSize)+`"}}`, &endpoint)
		req, _ := http.NewRequest(http.MethodPut, endpoint.FilenameToSignedUrls["data.bin"], &patternReader{left: transferBenchSize})
		req.ContentLength = transferBenchSize
		resp, err := hc.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		apiCall(b, ":validateUpload", `{}`, &struct{}{})
	}
	uploadSDK := func(b *testing.B) {
		f := api.FileFromReader("data.bin", &patternReader{left: transferBenchSize}, transferBenchSize)
		if err := client.Datasets.Upload(ctx, "ds1", []api.File{f}); err != nil {
			b.Fatal(err)
		}
	}
	baselineDir, sdkDir := b.TempDir(), b.TempDir()
	downloadBaseline := func(b *testing.B) {
		resp, err := hc.Get(srv.URL + "/storage/data.bin?size=" + strconv.Itoa(transferBenchSize))
		if err != nil {
			b.Fatal(err)
		}
		if err := writeFile(baselineDir+"/data.bin", resp.Body); err != nil {
			b.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	downloadSDK := func(b *testing.B) {
		if _, err := client.Datasets.Download(ctx, "ds1", sdkDir); err != nil {
			b.Fatal(err)
		}
	}
	for _, sub := range []struct {
		name string
		op   func(*testing.B)
	}{
		{"upload-baseline-io-copy", uploadBaseline},
		{"upload-sdk", uploadSDK},
		{"download-baseline-io-copy", downloadBaseline},
		{"download-sdk", downloadSDK},
	} {
		b.Run(sub.name, func(b *testing.B) {
			b.SetBytes(transferBenchSize)
			for b.Loop() {
				sub.op(b)
			}
		})
	}
	b.Run("upload-1GiB-peak-heap", func(b *testing.B) {
		const size = 1 << 30
		for b.Loop() {
			peak := heapPeak(func() {
				f := api.FileFromReader("big.bin", &patternReader{left: size}, size)
				if err := client.Datasets.Upload(ctx, "ds1", []api.File{f}); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		}
	})
	b.Run("paired/upload-sdk-vs-baseline", func(b *testing.B) { pairedRuns(b, uploadBaseline, uploadSDK) })
	b.Run("paired/upload-sdk-vs-by-hand", func(b *testing.B) { pairedRuns(b, uploadByHand, uploadSDK) })
	b.Run("paired/download-sdk-vs-baseline", func(b *testing.B) { pairedRuns(b, downloadBaseline, downloadSDK) })
	b.Run("paired/upload-baseline-vs-baseline", func(b *testing.B) { pairedRuns(b, uploadBaseline, uploadBaseline) })
}

// heapPeak runs f and samples the heap every few milliseconds, returning
// the largest heap seen.
func heapPeak(f func()) uint64 {
	runtime.GC()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	return peak
}

// writeFile streams r to path, as a plain download would.
func writeFile(path string, r io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
