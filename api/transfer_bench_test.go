package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/internal/pairbench"
	"github.com/fireworks-gateway/go-sdk/internal/transferbench"
)

// BenchmarkTransfer compares, in one run against one loopback server, an
// Upload and a Download of a 64 MiB file through the SDK (the signed-URL
// path: no key, size checks, progress, temp file and rename) with a plain
// io.Copy over net/http of the same bytes (the baseline, which checks no
// checksum; the SDK checks storage's crc32c), reporting MB/s;
// and the peak heap of an Upload of a 1 GiB generated stream, which must
// not grow with the file (goal: under 1 MiB).
//
// The sub-benchmarks under "paired" run the SDK and its baseline in turn
// within one loop (pairbench.Runs), so that both see the same load; the
// targets are judged on their ratios. "upload-sdk-vs-by-hand" compares
// Upload with the same workflow written with net/http alone (the
// getUploadEndpoint call, the PUT to the URL it gives, validateUpload),
// which "upload-sdk-vs-baseline" (a bare PUT) leaves out.
// "upload-baseline-vs-baseline" is the A/A run that shows the pairing's
// own noise on transfers.
func BenchmarkTransfer(b *testing.B) {
	srv := transferbench.NewServer(b)
	transport := &http.Transport{MaxIdleConnsPerHost: 4}
	b.Cleanup(transport.CloseIdleConnections)
	hc := &http.Client{Transport: transport}
	client, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(srv.URL), api.WithAccount("acct"), api.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	uploadBaseline := func(b *testing.B) { transferbench.Put(b, hc, srv.URL+"/storage/data.bin") }
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
		apiCall(b, ":getUploadEndpoint", `{"filenameToSize":{"data.bin":"`+strconv.Itoa(transferbench.FileSize)+`"}}`, &endpoint)
		transferbench.Put(b, hc, endpoint.FilenameToSignedUrls["data.bin"])
		apiCall(b, ":validateUpload", `{}`, &struct{}{})
	}
	uploadSDK := func(b *testing.B) {
		f := api.FileFromReader("data.bin", transferbench.NewPattern(transferbench.FileSize), transferbench.FileSize)
		if err := client.Datasets.Upload(ctx, "ds1", []api.File{f}); err != nil {
			b.Fatal(err)
		}
	}
	baselineDir, sdkDir := b.TempDir(), b.TempDir()
	downloadBaseline := func(b *testing.B) {
		resp, err := hc.Get(srv.URL + "/storage/data.bin")
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
			b.SetBytes(transferbench.FileSize)
			for b.Loop() {
				sub.op(b)
			}
		})
	}
	b.Run("upload-1GiB-peak-heap", func(b *testing.B) {
		const size = 1 << 30
		for b.Loop() {
			peak := heapPeak(func() {
				f := api.FileFromReader("big.bin", transferbench.NewPattern(size), size)
				if err := client.Datasets.Upload(ctx, "ds1", []api.File{f}); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		}
	})
	b.Run("paired/upload-sdk-vs-baseline", func(b *testing.B) { pairbench.Runs(b, uploadBaseline, uploadSDK) })
	b.Run("paired/upload-sdk-vs-by-hand", func(b *testing.B) { pairbench.Runs(b, uploadByHand, uploadSDK) })
	b.Run("paired/download-sdk-vs-baseline", func(b *testing.B) { pairbench.Runs(b, downloadBaseline, downloadSDK) })
	b.Run("paired/upload-baseline-vs-baseline", func(b *testing.B) { pairbench.Runs(b, uploadBaseline, uploadBaseline) })
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
