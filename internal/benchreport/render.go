package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/fireworks-gateway/go-sdk/internal/pairbench"
)

// The units that every `go test -benchmem` result has; a benchmark's own
// units (b.ReportMetric) get columns after them, without comparisons.
const (
	unitTime   = "ns/op"
	unitBytes  = "B/op"
	unitAllocs = "allocs/op"
)

// render returns the markdown report: a line on where it was measured, and
// a table per group. It warns about a configured baseline that the group
// lacks.
func render(set *resultSet, baselines map[string][]string, warnings io.Writer) string {
	var b strings.Builder
	runs := 0
	for _, g := range set.groups {
		for _, s := range g.subs {
			runs = max(runs, len(s.values[unitTime]))
		}
	}
	fmt.Fprintf(&b, "Measured by `make bench`: the median of %d runs", runs)
	if set.cpu != "" {
		fmt.Fprintf(&b, " on %s", set.cpu)
	}
	b.WriteString(". \"time ×\" is time/op divided by the baseline's; \"allocs ±\" is allocs/op less the baseline's.\n")
	for _, g := range inReadingOrder(set.groups) {
		b.WriteString("\n")
		if slices.Contains(g.units, pairbench.UnitRatio) { // pairbench.Runs: each row is its own comparison
			renderPairedGroup(&b, g)
			continue
		}
		renderGroup(&b, g, baselinesOf(g, baselines, warnings))
	}
	return b.String()
}

// inReadingOrder returns the groups in the order they first appear, except
// that the groups of one top-level benchmark stay together (a paired group
// that a second go test run measured follows its parent's table).
func inReadingOrder(groups []*group) []*group {
	first := map[string]int{}
	for i, g := range groups {
		if _, seen := first[topLevel(g)]; !seen {
			first[topLevel(g)] = i
		}
	}
	out := slices.Clone(groups)
	slices.SortStableFunc(out, func(a, b *group) int { return first[topLevel(a)] - first[topLevel(b)] })
	return out
}

// topLevel names the top-level benchmark of g in its package ("" for the
// benchmarks without sub-benchmarks).
func topLevel(g *group) string {
	top, _, _ := strings.Cut(g.parent, "/")
	return g.pkg + " " + top
}

// renderPairedGroup writes a group of paired runs: in each row, the
// candidate against its own baseline, which ran in the same iterations.
// Their time/op and allocations are both sides' together, so they are left
// out: the unpaired rows of the parent benchmark compare allocations.
func renderPairedGroup(b *strings.Builder, g *group) {
	fmt.Fprintf(b, "**%s** (`%s`, paired: each row's candidate and baseline run in turn in the same loop)\n\n", g.parent, g.pkg)
	writeRow(b, []string{"", "time × baseline (median of pairs)", "baseline time (median)", "candidate time (median)"})
	writeRow(b, []string{"---", "---:", "---:", "---:"})
	for _, s := range g.subs {
		row := []string{s.name, "–", "–", "–"}
		if v, ok := s.median(pairbench.UnitRatio); ok {
			row[1] = fmt.Sprintf("%.3f×", v)
		}
		for i, unit := range []string{pairbench.UnitBaseTime, pairbench.UnitCandTime} {
			v, ok := s.median(unit)
			row[2+i] = formatValue(unitTime, v, ok)
		}
		writeRow(b, row)
	}
}

// baselinesOf returns the subs of g that the others are compared with: the
// configured ones for g's parent (or, for nested sub-benchmarks, for the
// top-level benchmark), else the first sub. A group of benchmarks without
// sub-benchmarks has none.
func baselinesOf(g *group, configured map[string][]string, warnings io.Writer) []*sub {
	if g.parent == "" || len(g.subs) < 2 {
		return nil
	}
	names, ok := configured[g.parent]
	if !ok {
		top, _, _ := strings.Cut(g.parent, "/")
		names, ok = configured[top]
	}
	if !ok {
		return g.subs[:1]
	}
	var out []*sub
	for _, name := range names {
		i := slices.IndexFunc(g.subs, func(s *sub) bool { return s.name == name })
		if i < 0 {
			// A warning that cannot be written is lost with its stream.
			_, _ = fmt.Fprintf(warnings, "benchreport: %s has no sub-benchmark %q to compare with\n", g.parent, name)
			continue
		}
		out = append(out, g.subs[i])
	}
	if len(out) == 0 {
		return g.subs[:1]
	}
	return out
}

func renderGroup(b *strings.Builder, g *group, baselines []*sub) {
	title := g.parent
	if title == "" {
		title = "Benchmarks without sub-benchmarks"
	}
	fmt.Fprintf(b, "**%s** (`%s`", title, g.pkg)
	if len(baselines) > 0 {
		fmt.Fprintf(b, ", baseline `%s`", baselines[0].name)
	}
	b.WriteString(")\n\n")

	units := []string{unitTime, unitBytes, unitAllocs}
	for _, u := range g.units {
		if !slices.Contains(units, u) {
			units = append(units, u)
		}
	}
	header := []string{""}
	for _, u := range units {
		if u == unitTime {
			header = append(header, "time/op")
		} else {
			header = append(header, u)
		}
	}
	for _, base := range baselines {
		header = append(header, "time × "+base.name, "allocs ± "+base.name)
	}
	writeRow(b, header)
	align := []string{"---"}
	for range header[1:] {
		align = append(align, "---:")
	}
	writeRow(b, align)

	for _, s := range g.subs {
		row := []string{s.name}
		for _, u := range units {
			v, ok := s.median(u)
			row = append(row, formatValue(u, v, ok))
		}
		for _, base := range baselines {
			row = append(row, ratio(s, base, unitTime), difference(s, base, unitAllocs))
		}
		writeRow(b, row)
	}
}

func writeRow(b *strings.Builder, cells []string) {
	b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
}

// formatValue writes a time with a unit a reader takes in at a glance, and
// other values as integers when they are.
func formatValue(unit string, v float64, ok bool) string {
	switch {
	case !ok:
		return "–"
	case unit == unitTime:
		return formatDuration(v)
	case unit == unitBytes:
		return formatBytes(v)
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return fmt.Sprintf("%.0f", v)
	case math.Abs(v) >= 100:
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

func formatDuration(ns float64) string {
	for _, u := range []struct {
		name  string
		scale float64
	}{{"s", 1e9}, {"ms", 1e6}, {"µs", 1e3}} {
		if ns >= u.scale {
			return fmt.Sprintf("%.3g %s", ns/u.scale, u.name)
		}
	}
	return fmt.Sprintf("%.3g ns", ns)
}

func formatBytes(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.3g MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.3g KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

// ratio is s's median in unit over base's, as "1.04×", or with three
// significant digits below 0.1 ("0.0242×").
func ratio(s, base *sub, unit string) string {
	v, ok1 := s.median(unit)
	w, ok2 := base.median(unit)
	if !ok1 || !ok2 || w == 0 {
		return "–"
	}
	if r := v / w; r < 0.1 {
		return fmt.Sprintf("%.3g×", r)
	}
	return fmt.Sprintf("%.2f×", v/w)
}

// difference is s's median in unit less base's, signed, as "+8".
func difference(s, base *sub, unit string) string {
	v, ok1 := s.median(unit)
	w, ok2 := base.median(unit)
	if !ok1 || !ok2 {
		return "–"
	}
	d := v - w
	if d == math.Trunc(d) {
		return fmt.Sprintf("%+.0f", d)
	}
	return fmt.Sprintf("%+.1f", d)
}
