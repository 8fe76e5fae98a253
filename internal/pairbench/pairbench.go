// Package pairbench measures a candidate against its baseline under the
// same load: Runs times both in turn within one b.Loop and reports the
// median of their ratios in the units that internal/benchreport renders.
// api's benchmarks and benchagainst's harness use it. It is a benchmark
// helper, not part of the SDK.
package pairbench

import (
	"slices"
	"testing"
	"time"
)

// The units Runs reports: the median of the iterations' ratios
// candidate/baseline, the figure a target is judged on, and each side's
// median time.
const (
	UnitRatio    = "ratio"
	UnitBaseTime = "base-ns/op"
	UnitCandTime = "cand-ns/op"
)

// Runs measures cand against base under the same load. Every iteration of
// b.Loop runs both back to back, in an order that alternates (base first,
// then cand first), and times each; it reports UnitRatio, UnitBaseTime and
// UnitCandTime.
//
// Sub-benchmarks run one after the other, so a change in a shared
// machine's load between them skews their ratio (about 10 % here between
// two runs of ~50 µs calls); within a pair, both sides see the same load.
// A pair of the baseline with itself (an A/A run) shows what the method
// cannot tell apart. ns/op and the allocations are those of both sides
// together.
func Runs(b *testing.B, base, cand func(b *testing.B)) {
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
	for _, m := range []struct {
		values []float64
		unit   string
	}{{ratios, UnitRatio}, {baseTimes, UnitBaseTime}, {candTimes, UnitCandTime}} {
		if v, ok := Median(m.values); ok {
			b.ReportMetric(v, m.unit)
		}
	}
}

// Median returns the median of v (the mean of the two middle values when
// their count is even), and false when v is empty. v is left as it was.
func Median(v []float64) (float64, bool) {
	if len(v) == 0 {
		return 0, false
	}
	v = slices.Sorted(slices.Values(v))
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2, true
	}
	return v[len(v)/2], true
}
