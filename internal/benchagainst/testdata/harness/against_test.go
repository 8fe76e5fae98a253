// Package against is benchagainst's harness: the same workflows through
// the SDK of this checkout (newapi) and of an earlier revision (oldapi,
// module "oldsdk"), in paired runs against one loopback server that acts
// as the Gateway and its storage. Each run reports the median of its
// iterations' ratios new/old ("ratio"); the old-vs-old runs are the A/A
// that shows the pairing's own noise.
package against

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	newapi "github.com/fireworks-gateway/go-sdk/api"
	oldapi "oldsdk/api"
)

// size is the file each transfer moves.
const size = 64 << 20

// table holds the byte pattern repeated, so that a read copies it.
var table = func() []byte {
	t := make([]byte, 4<<10+26)
	for i := range t {
		t[i] = byte('a' + i%26)
	}
	return t
}()

// pattern generates size bytes of the table's pattern without holding them.
type pattern struct{ left, at int64 }

func (r *pattern) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), r.left))
	for done := 0; done < n; {
		done += copy(p[done:n], table[int((r.at+int64(done))%26):])
	}
	r.left -= int64(n)
	r.at += int64(n)
	return n, nil
}

// server is a loopback Gateway for one dataset and its storage: PUTs are
// read and dropped, GETs serve the pattern with its checksums.
func server(b *testing.B) *httptest.Server {
	md5Sum, crc := md5.New(), crc32.New(crc32.MakeTable(crc32.Castagnoli))
	_, _ = io.Copy(io.MultiWriter(md5Sum, crc), &pattern{left: size})
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
			_ = json.NewEncoder(w).Encode(map[string]any{"filenameToSignedUrls": map[string]string{"data.bin": srv.URL + "/storage/data.bin?size=" + strconv.Itoa(size)}})
		case strings.HasSuffix(r.URL.Path, ":validateUpload"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, "{}")
		case strings.HasPrefix(r.URL.Path, "/storage/") && r.Method == http.MethodPut:
			if n, _ := io.Copy(io.Discard, r.Body); n != r.ContentLength {
				http.Error(w, "short", http.StatusBadRequest)
			}
		case strings.HasPrefix(r.URL.Path, "/storage/") && r.Method == http.MethodGet:
			w.Header().Set("Content-Length", strconv.Itoa(size))
			w.Header()["X-Goog-Hash"] = hashes
			_, _ = io.Copy(w, &pattern{left: size})
		default:
			http.NotFound(w, r)
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// paired runs base and cand in turn (the order alternating) in every
// iteration and reports the median of the ratios cand/base.
func paired(b *testing.B, base, cand func(*testing.B)) {
	var rs []float64
	timed := func(f func(*testing.B)) float64 { s := time.Now(); f(b); return float64(time.Since(s)) }
	for i := 0; b.Loop(); i++ {
		var tb, tc float64
		if i%2 == 0 {
			tb, tc = timed(base), timed(cand)
		} else {
			tc = timed(cand)
			tb = timed(base)
		}
		rs = append(rs, tc/tb)
	}
	slices.Sort(rs)
	b.ReportMetric(rs[len(rs)/2], "ratio")
}

// BenchmarkNewVsOld: an Upload and a Download of 64 MiB through both SDKs,
// paired; and, as a reference, each SDK's upload against a bare PUT.
func BenchmarkNewVsOld(b *testing.B) {
	srv := server(b)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	ctx := context.Background()
	const key = "fw-test-key-0123456789abcdef"
	nc, err := newapi.New(newapi.WithAPIKey(key), newapi.WithBaseURL(srv.URL), newapi.WithAccount("acct"), newapi.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	oc, err := oldapi.New(oldapi.WithAPIKey(key), oldapi.WithBaseURL(srv.URL), oldapi.WithAccount("acct"), oldapi.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	upNew := func(b *testing.B) {
		if err := nc.Datasets.Upload(ctx, "ds1", []newapi.File{newapi.FileFromReader("data.bin", &pattern{left: size}, size)}); err != nil {
			b.Fatal(err)
		}
	}
	upOld := func(b *testing.B) {
		if err := oc.Datasets.Upload(ctx, "ds1", []oldapi.File{oldapi.FileFromReader("data.bin", &pattern{left: size}, size)}); err != nil {
			b.Fatal(err)
		}
	}
	dir1, dir2 := b.TempDir(), b.TempDir()
	downNew := func(b *testing.B) {
		if _, err := nc.Datasets.Download(ctx, "ds1", dir1); err != nil {
			b.Fatal(err)
		}
	}
	downOld := func(b *testing.B) {
		if _, err := oc.Datasets.Download(ctx, "ds1", dir2); err != nil {
			b.Fatal(err)
		}
	}
	bare := func(b *testing.B) {
		req, _ := http.NewRequest(http.MethodPut, srv.URL+"/storage/data.bin", &pattern{left: size})
		req.ContentLength = size
		resp, err := hc.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	b.Run("upload-old-vs-bare", func(b *testing.B) { paired(b, bare, upOld) })
	b.Run("upload-new-vs-bare", func(b *testing.B) { paired(b, bare, upNew) })
	b.Run("upload-new-vs-old", func(b *testing.B) { paired(b, upOld, upNew) })
	b.Run("upload-old-vs-old", func(b *testing.B) { paired(b, upOld, upOld) })
	b.Run("download-new-vs-old", func(b *testing.B) { paired(b, downOld, downNew) })
	b.Run("download-old-vs-old", func(b *testing.B) { paired(b, downOld, downOld) })
}
