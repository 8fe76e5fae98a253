package pairbench

import (
	"slices"
	"testing"
	"time"
)

// TestMedian: the middle value, the mean of the two middle ones for an
// even count, false for none; the input keeps its order.
func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
		ok   bool
	}{
		{nil, 0, false},
		{[]float64{3}, 3, true},
		{[]float64{90, 50, 52}, 52, true},
		{[]float64{4, 1, 3, 2}, 2.5, true},
	} {
		in := slices.Clone(tc.in)
		if got, ok := Median(in); got != tc.want || ok != tc.ok {
			t.Errorf("Median(%v) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("Median reordered its input: %v", in)
		}
	}
}

// TestRunsReportsTheRatioOfTheSlowerCandidate: a candidate that sleeps
// three times as long as its baseline reads a ratio near 3, and each
// side's median time is reported; both sides ran in every iteration.
func TestRunsReportsTheRatioOfTheSlowerCandidate(t *testing.T) {
	bases, cands := 0, 0
	r := testing.Benchmark(func(b *testing.B) {
		Runs(b, func(*testing.B) { bases++; time.Sleep(time.Millisecond) }, func(*testing.B) { cands++; time.Sleep(3 * time.Millisecond) })
	})
	ratio, base, cand := r.Extra[UnitRatio], r.Extra[UnitBaseTime], r.Extra[UnitCandTime]
	if ratio < 2 || ratio > 4 || base < float64(time.Millisecond) || cand < 3*float64(time.Millisecond) {
		t.Errorf("ratio %v, base %v ns, cand %v ns; want about 3, 1 ms, 3 ms", ratio, base, cand)
	}
	if bases != cands || bases == 0 {
		t.Errorf("%d baseline runs, %d candidate runs: want as many, at least one", bases, cands)
	}
}
