package main

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/fireworks-gateway/go-sdk/internal/pairbench"
)

// resultSet is everything read from the benchmark output.
type resultSet struct {
	cpu    string
	groups []*group // in the order they first appear
}

// group is the sub-benchmarks of one parent in one package: the benchmarks
// whose names are equal up to their last '/'. Benchmarks without
// sub-benchmarks form one group per package, with an empty parent.
type group struct {
	pkg, parent string
	subs        []*sub // in the order they first appear
	units       []string
}

// sub is one sub-benchmark: each unit's value in every run.
type sub struct {
	name   string
	values map[string][]float64
}

// median returns the median of the sub-benchmark's runs in unit, and
// whether it has any.
func (s *sub) median(unit string) (float64, bool) { return pairbench.Median(s.values[unit]) }

// parse reads `go test -bench` output. It takes the "pkg:" and "cpu:"
// lines and the result lines, and ignores the rest (PASS, ok, logs).
func parse(r io.Reader) (*resultSet, error) {
	set := &resultSet{}
	byKey := map[string]*group{}
	pkg := ""
	err := scanLines(r, func(line string) error {
		if v, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(v)
			return nil
		}
		if v, ok := strings.CutPrefix(line, "cpu: "); ok {
			set.cpu = strings.TrimSpace(v)
			return nil
		}
		name, values, ok := parseResult(line)
		if !ok {
			return nil
		}
		parent, subName := "", name
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			parent, subName = name[:i], name[i+1:]
		}
		key := pkg + " " + parent
		g := byKey[key]
		if g == nil {
			g = &group{pkg: pkg, parent: parent}
			byKey[key] = g
			set.groups = append(set.groups, g)
		}
		i := slices.IndexFunc(g.subs, func(s *sub) bool { return s.name == subName })
		if i < 0 {
			g.subs = append(g.subs, &sub{name: subName, values: map[string][]float64{}})
			i = len(g.subs) - 1
		}
		for _, uv := range values {
			g.subs[i].values[uv.unit] = append(g.subs[i].values[uv.unit], uv.value)
			if !slices.Contains(g.units, uv.unit) {
				g.units = append(g.units, uv.unit)
			}
		}
		return nil
	})
	return set, err
}

type unitValue struct {
	unit  string
	value float64
}

// parseResult parses a result line, such as
//
//	BenchmarkUpdateSecret/wrapper-2   12345   98765 ns/op   6543 B/op   71 allocs/op
//
// into the benchmark's name, without the -GOMAXPROCS suffix, and its
// values with their units.
func parseResult(line string) (string, []unitValue, bool) {
	fields := strings.Fields(line)
	if len(fields) < 4 || len(fields)%2 != 0 || !strings.HasPrefix(fields[0], "Benchmark") {
		return "", nil, false
	}
	if _, err := strconv.ParseUint(fields[1], 10, 64); err != nil {
		return "", nil, false // the iteration count
	}
	var values []unitValue
	for i := 2; i < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			return "", nil, false
		}
		values = append(values, unitValue{unit: fields[i+1], value: v})
	}
	return trimProcs(fields[0]), values, true
}

// trimProcs removes the "-N" that go test appends to a benchmark's name
// when GOMAXPROCS is N > 1.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 || i == len(name)-1 {
		return name
	}
	for _, c := range name[i+1:] {
		if c < '0' || c > '9' {
			return name
		}
	}
	return name[:i]
}
