// Package against is benchagainst's harness: the same workflows through
// the SDK of this checkout (newapi) and of an earlier revision (oldapi,
// module "oldsdk"), in paired runs against the loopback Gateway and
// storage of api's transfer benchmarks (internal/transferbench), timed by
// internal/pairbench, which the harness may import: its module path is
// under the SDK's. Each run reports the median of its iterations' ratios
// new/old ("ratio"); the old-vs-old runs are the A/A that shows the
// pairing's own noise.
package against

import (
	"context"
	"net/http"
	"testing"

	newapi "github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/internal/pairbench"
	"github.com/fireworks-gateway/go-sdk/internal/transferbench"
	oldapi "oldsdk/api"
)

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
	b.Run("upload-old-vs-bare", func(b *testing.B) { pairbench.Runs(b, bare, upOld) })
	b.Run("upload-new-vs-bare", func(b *testing.B) { pairbench.Runs(b, bare, upNew) })
	b.Run("upload-new-vs-old", func(b *testing.B) { pairbench.Runs(b, upOld, upNew) })
	b.Run("upload-old-vs-old", func(b *testing.B) { pairbench.Runs(b, upOld, upOld) })
	b.Run("download-new-vs-old", func(b *testing.B) { pairbench.Runs(b, downOld, downNew) })
	b.Run("download-old-vs-old", func(b *testing.B) { pairbench.Runs(b, downOld, downOld) })
}
