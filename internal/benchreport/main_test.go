package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sampleOutput is `go test -bench . -benchmem -count 3` output of two
// packages, with log noise, a custom metric, nested sub-benchmarks, a
// benchmark without sub-benchmarks and paired runs (pairbench.Runs).
const sampleOutput = `goos: linux
goarch: amd64
pkg: github.com/fireworks-gateway/go-sdk/api
cpu: Test CPU @ 2.00GHz
BenchmarkUpdateSecret/raw-net-http-2         	   10000	     50000 ns/op	    6000 B/op	      70 allocs/op
BenchmarkUpdateSecret/raw-net-http-2         	   10000	     52000 ns/op	    6000 B/op	      70 allocs/op
BenchmarkUpdateSecret/raw-net-http-2         	   10000	     90000 ns/op	    6000 B/op	      70 allocs/op
BenchmarkUpdateSecret/generated-2            	   10000	     60000 ns/op	    8000 B/op	     100 allocs/op
BenchmarkUpdateSecret/generated-2            	   10000	     61000 ns/op	    8000 B/op	     100 allocs/op
BenchmarkUpdateSecret/generated-2            	   10000	     62000 ns/op	    8000 B/op	     100 allocs/op
some log line a test printed
BenchmarkUpdateSecret/wrapper-2              	   10000	     63000 ns/op	    8500 B/op	     108 allocs/op
BenchmarkUpdateSecret/wrapper-2              	   10000	     63000 ns/op	    8500 B/op	     108 allocs/op
BenchmarkUpdateSecret/wrapper-2              	   10000	     66000 ns/op	    8500 B/op	     108 allocs/op
BenchmarkListSecrets/page-loop-2             	      20	  50000000 ns/op	         2.000 allocs/item	         3.500 peak-heap-MiB	 9000000 B/op	   20000 allocs/op
BenchmarkListSecrets/iterator-2              	      20	  55000000 ns/op	         2.100 allocs/item	         3.600 peak-heap-MiB	 9100000 B/op	   21000 allocs/op
BenchmarkNested/size=10/fast-2               	    1000	      1000 ns/op	       0 B/op	       0 allocs/op
BenchmarkNested/size=10/slow-2               	    1000	      3000 ns/op	      64 B/op	       2 allocs/op
BenchmarkAlone-2                             	 1000000	       950 ns/op	      16 B/op	       1 allocs/op
BenchmarkUpdateSecret/paired/service-vs-generated-2   	10000	    110000 ns/op	     36000 base-ns/op	     37800 cand-ns/op	         1.050 ratio	   19000 B/op	     227 allocs/op
BenchmarkUpdateSecret/paired/service-vs-generated-2   	10000	    112000 ns/op	     36200 base-ns/op	     37900 cand-ns/op	         1.046 ratio	   19000 B/op	     227 allocs/op
BenchmarkUpdateSecret/paired/service-vs-generated-2   	10000	    111000 ns/op	     36100 base-ns/op	     37600 cand-ns/op	         1.040 ratio	   19000 B/op	     227 allocs/op
BenchmarkUpdateSecret/paired/generated-vs-generated-2 	10000	    100000 ns/op	     36000 base-ns/op	     36000 cand-ns/op	         1.000 ratio	   18000 B/op	     220 allocs/op
PASS
ok  	github.com/fireworks-gateway/go-sdk/api	12.345s
pkg: github.com/fireworks-gateway/go-sdk/internal/specvalidate
BenchmarkValidateUpdateSecret/naive-kin-openapi-2         	   20000	     40000 ns/op	   30000 B/op	     400 allocs/op
BenchmarkValidateUpdateSecret/specvalidate-2              	  200000	      3000 ns/op	    1000 B/op	      20 allocs/op
PASS
`

func TestParseGroupsSubBenchmarksAndTakesMedians(t *testing.T) {
	set, err := parse(strings.NewReader(sampleOutput))
	if err != nil {
		t.Fatal(err)
	}
	if set.cpu != "Test CPU @ 2.00GHz" {
		t.Errorf("cpu = %q", set.cpu)
	}
	var parents []string
	for _, g := range set.groups {
		parents = append(parents, g.parent)
	}
	want := []string{"BenchmarkUpdateSecret", "BenchmarkListSecrets", "BenchmarkNested/size=10", "", "BenchmarkUpdateSecret/paired", "BenchmarkValidateUpdateSecret"}
	if strings.Join(parents, ",") != strings.Join(want, ",") {
		t.Fatalf("groups %q, want %q", parents, want)
	}
	update := set.groups[0]
	for _, tc := range []struct {
		sub, unit string
		want      float64
	}{
		{"raw-net-http", unitTime, 52000}, // the median, not the mean, of 50000, 52000, 90000
		{"generated", unitTime, 61000},
		{"wrapper", unitAllocs, 108},
		{"wrapper", unitBytes, 8500},
	} {
		for _, s := range update.subs {
			if s.name != tc.sub {
				continue
			}
			if got, ok := s.median(tc.unit); !ok || got != tc.want {
				t.Errorf("%s %s = %v (%v), want %v", tc.sub, tc.unit, got, ok, tc.want)
			}
		}
	}
	if g := set.groups[1]; strings.Join(g.units, ",") != "ns/op,allocs/item,peak-heap-MiB,B/op,allocs/op" {
		t.Errorf("ListSecrets units = %v", g.units)
	}
}

func TestParseResultLines(t *testing.T) {
	for _, tc := range []struct {
		line     string
		wantName string
		wantOK   bool
	}{
		{"BenchmarkX/sub-2 \t 100 \t 5 ns/op", "BenchmarkX/sub", true},
		{"BenchmarkX/size-10-16 100 5 ns/op", "BenchmarkX/size-10", true}, // only the last -N is GOMAXPROCS
		{"BenchmarkX 100 5 ns/op", "BenchmarkX", true},                    // GOMAXPROCS=1: no suffix
		{"BenchmarkX-2 --- FAIL: something", "", false},
		{"BenchmarkX-2", "", false}, // the name printed alone before a -v result
		{"BenchmarkX-2 100 five ns/op", "", false},
		{"PASS", "", false},
		{"ok  \tgithub.com/x\t1.2s", "", false},
	} {
		name, _, ok := parseResult(tc.line)
		if ok != tc.wantOK || name != tc.wantName {
			t.Errorf("parseResult(%q) = %q, %v; want %q, %v", tc.line, name, ok, tc.wantName, tc.wantOK)
		}
	}
}

func TestRenderComparesWithBaselines(t *testing.T) {
	set, err := parse(strings.NewReader(sampleOutput))
	if err != nil {
		t.Fatal(err)
	}
	var warnings bytes.Buffer
	got := render(set, map[string][]string{
		"BenchmarkUpdateSecret":         {"generated", "raw-net-http"},
		"BenchmarkValidateUpdateSecret": {"naive-kin-openapi", "no-such-sub"},
	}, &warnings)
	for _, want := range []string{
		"the median of 3 runs on Test CPU @ 2.00GHz",
		"**BenchmarkUpdateSecret** (`github.com/fireworks-gateway/go-sdk/api`, baseline `generated`)",
		"|  | time/op | B/op | allocs/op | time × generated | allocs ± generated | time × raw-net-http | allocs ± raw-net-http |",
		"| wrapper | 63 µs | 8.3 KiB | 108 | 1.03× | +8 | 1.21× | +38 |",
		"| generated | 61 µs | 7.81 KiB | 100 | 1.00× | +0 | 1.17× | +30 |",
		// Not configured: compared with its first sub-benchmark; its own
		// metrics get columns of their own.
		"|  | time/op | B/op | allocs/op | allocs/item | peak-heap-MiB | time × page-loop | allocs ± page-loop |",
		"| iterator | 55 ms | 8.68 MiB | 21000 | 2.1 | 3.6 | 1.10× | +1000 |",
		// Nested: compared within BenchmarkNested/size=10.
		"| slow | 3 µs | 64 B | 2 | 3.00× | +2 |",
		// No sub-benchmarks: no comparison.
		"**Benchmarks without sub-benchmarks**",
		"| BenchmarkAlone | 950 ns | 16 B | 1 |",
		"| specvalidate | 3 µs | 1000 B | 20 | 0.075× | -380 |", // below 0.1: three digits
		"| fast | 1 µs | 0 B | 0 | 1.00× | +0 |",
		// Paired runs: each row is its own comparison, the medians of
		// its runs; no baseline columns, no sums of both sides.
		"**BenchmarkUpdateSecret/paired** (`github.com/fireworks-gateway/go-sdk/api`, paired: each row's candidate and baseline run in turn in the same loop)",
		"|  | time × baseline (median of pairs) | baseline time (median) | candidate time (median) |",
		"| service-vs-generated | 1.046× | 36.1 µs | 37.8 µs |",
		"| generated-vs-generated | 1.000× | 36 µs | 36 µs |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	// The paired group came after BenchmarkAlone in the output; its table
	// follows its parent's.
	paired, alone := strings.Index(got, "**BenchmarkUpdateSecret/paired**"), strings.Index(got, "**Benchmarks without sub-benchmarks**")
	if listSecrets := strings.Index(got, "**BenchmarkListSecrets**"); paired < 0 || paired > listSecrets || paired > alone {
		t.Errorf("the paired table is not right after BenchmarkUpdateSecret's:\n%s", got)
	}
	if !strings.Contains(warnings.String(), `no sub-benchmark "no-such-sub"`) {
		t.Errorf("warnings = %q, want one about the missing baseline", warnings.String())
	}
}

func TestRunRewritesTheReadme(t *testing.T) {
	readme := filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(readme, []byte("# SDK\n\n## Performance\n\n<!-- bench:start -->\nstale\n<!-- bench:end -->\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, warnings bytes.Buffer
	if err := run(strings.NewReader(sampleOutput), &out, &warnings, defaultBaselines, readme); err != nil {
		t.Fatal(err)
	}
	doc, _ := os.ReadFile(readme)
	if strings.Contains(string(doc), "stale") || !strings.Contains(string(doc), "| wrapper | 63 µs |") ||
		!strings.HasSuffix(string(doc), "<!-- bench:end -->\n") {
		t.Errorf("README.md after run:\n%s", doc)
	}
	if !strings.Contains(out.String(), "| wrapper | 63 µs |") {
		t.Errorf("stdout lacks the report:\n%s", out.String())
	}
}

func TestRunFailsWithoutResults(t *testing.T) {
	readme := filepath.Join(t.TempDir(), "README.md")
	const before = "<!-- bench:start -->\nkept\n<!-- bench:end -->\n"
	if err := os.WriteFile(readme, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, warnings bytes.Buffer
	err := run(strings.NewReader("FAIL\tgithub.com/x [build failed]\n"), &out, &warnings, nil, readme)
	if err == nil {
		t.Fatal("no error for output without results")
	}
	if doc, _ := os.ReadFile(readme); string(doc) != before {
		t.Errorf("README.md was changed: %q", doc)
	}
}

func TestBaselineFlag(t *testing.T) {
	b := baselineFlags{}
	if err := b.Set("BenchmarkUpdateSecret=generated,raw-net-http"); err != nil {
		t.Fatal(err)
	}
	if got := b["BenchmarkUpdateSecret"]; len(got) != 2 || got[0] != "generated" || got[1] != "raw-net-http" {
		t.Errorf("got %q", got)
	}
	for _, bad := range []string{"", "BenchmarkX", "=sub", "BenchmarkX="} {
		if err := b.Set(bad); err == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
}
