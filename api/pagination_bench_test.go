package api_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// BenchmarkListSecrets lists 10,000 secrets in pages of 200 from the fake
// Gateway, through the wrapper, with the generated iterator (ListSecretsAll)
// and with a hand-written page loop (the baseline), in one run. It reports
// allocations per item and the peak heap seen between pages.
func BenchmarkListSecrets(b *testing.B) {
	const total, pageSize = 10_000, int32(200)
	fake, c := gatewaytest.Start(b)
	for i := range total {
		if err := fake.AddSecret("acct", fmt.Sprintf("s%05d", i), "K", "v"); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()

	run := func(b *testing.B, list func(sample func()) int) {
		var before, after runtime.MemStats
		var peak uint64
		sample := func() {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
		}
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.ResetTimer()
		for b.Loop() {
			if n := list(sample); n != total {
				b.Fatalf("%d items, want %d", n, total)
			}
		}
		b.StopTimer()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N)/total, "allocs/item")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	}

	b.Run("page-loop", func(b *testing.B) {
		run(b, func(sample func()) int {
			n := 0
			params := &gen.ListSecretsParams{PageSize: ptr(pageSize)}
			for {
				resp, err := c.ListSecretsWithResponse(ctx, "acct", params)
				if err != nil {
					b.Fatal(err)
				}
				n += len(*resp.JSON200.Secrets)
				sample()
				next := resp.JSON200.NextPageToken
				if next == nil || *next == "" {
					return n
				}
				params.PageToken = next
			}
		})
	})
	b.Run("iterator", func(b *testing.B) {
		run(b, func(sample func()) int {
			n := 0
			for s, err := range c.ListSecretsAll(ctx, "acct", &gen.ListSecretsParams{PageSize: ptr(pageSize)}) {
				if err != nil {
					b.Fatal(err)
				}
				if n++; n%int(pageSize) == 0 {
					sample()
				}
				_ = s
			}
			return n
		})
	})
}
