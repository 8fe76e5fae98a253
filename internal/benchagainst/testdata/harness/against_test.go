// Package against is benchagainst's harness: the same workflows through
// the SDK of this checkout (newapi) and of an earlier revision (oldapi,
// module "oldsdk"), in paired runs against the loopback Gateway and
// storage of api's transfer benchmarks (internal/transferbench, which the
// harness may import: its module path is under the SDK's). Each run reports the median of its
// iterations' ratios new/old ("ratio"); the old-vs-old runs are the A/A
// that shows the pairing's own noise.
package against

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	newapi "github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/internal/transferbench"
	oldapi "oldsdk/api"
)

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
	srv := transferbench.NewServer(b)
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
		if err := nc.Datasets.Upload(ctx, "ds1", []newapi.File{newapi.FileFromReader("data.bin", transferbench.NewPattern(transferbench.FileSize), transferbench.FileSize)}); err != nil {
			b.Fatal(err)
		}
	}
	upOld := func(b *testing.B) {
		if err := oc.Datasets.Upload(ctx, "ds1", []oldapi.File{oldapi.FileFromReader("data.bin", transferbench.NewPattern(transferbench.FileSize), transferbench.FileSize)}); err != nil {
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
	bare := func(b *testing.B) { transferbench.Put(b, hc, srv.URL+"/storage/data.bin") }
	b.Run("upload-old-vs-bare", func(b *testing.B) { paired(b, bare, upOld) })
	b.Run("upload-new-vs-bare", func(b *testing.B) { paired(b, bare, upNew) })
	b.Run("upload-new-vs-old", func(b *testing.B) { paired(b, upOld, upNew) })
	b.Run("upload-old-vs-old", func(b *testing.B) { paired(b, upOld, upOld) })
	b.Run("download-new-vs-old", func(b *testing.B) { paired(b, downOld, downNew) })
	b.Run("download-old-vs-old", func(b *testing.B) { paired(b, downOld, downOld) })
}
