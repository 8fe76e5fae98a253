package api_test

import (
	"slices"
	"testing"
	"time"
)

// pairedRuns measures a candidate against its baseline under the same
// load. Every iteration of b.Loop runs both back to back, in an order that
// alternates (baseline first, then candidate first), and times each. It
// reports the median of the iterations' ratios candidate/baseline (unit
// "ratio"), the figure that a target is judged on, and each side's median
// time ("base-ns/op", "cand-ns/op").
//
// Sub-benchmarks run one after the other, so a change in a shared
// machine's load between them skews their ratio (about 10 % here between
// two runs of ~50 µs calls); within a pair, both sides see the same load.
// A pair of the baseline with itself (an A/A run) shows what the method
// cannot tell apart. ns/op and the allocations are those of both sides
// together.
func pairedRuns(b *testing.B, base, cand func(b *testing.B)) {
	var baseTimes, candTimes, ratios []float64
	timed := func(f func(*testing.B)) float64 {
		start := time.Now()
		f(b)
		return float64(time.Since(start))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		var tb, tc float64
		if i%2 == 0 {
			tb = timed(base)
			tc = timed(cand)
		} else {
			tc = timed(cand)
			tb = timed(base)
		}
		baseTimes = append(baseTimes, tb)
		candTimes = append(candTimes, tc)
		ratios = append(ratios, tc/tb)
	}
	b.ReportMetric(median(ratios), "ratio")
	b.ReportMetric(median(baseTimes), "base-ns/op")
	b.ReportMetric(median(candTimes), "cand-ns/op")
}

// median returns the median of v (sorting it).
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[len(v)/2]
}
