// Command benchreport turns the output of `go test -bench -benchmem` into
// markdown tables that put the sub-benchmarks of each benchmark side by
// side, with their time and allocations against a baseline sub-benchmark
// of the same parent (the bare generated client, a naive implementation, a
// hand-written loop). `make bench` pipes the benchmarks through it and
// rewrites the Performance section of README.md.
//
//	go test -run '^$' -bench . -benchmem -count 3 ./... | go run ./internal/benchreport -readme README.md
//
// With -count above 1 each figure is the median of the runs. Baselines are
// named per parent benchmark by -baseline (repeatable) or by the table
// defaultBaselines; a parent named in neither is compared with its first
// sub-benchmark. A group of paired runs (sub-benchmarks that report
// "ratio", "base-ns/op" and "cand-ns/op": pairbench.Runs) is its
// own comparison: each row shows its ratio and both sides' times, and no
// baseline columns. It is a development tool, not part of the SDK: it
// parses the benchmark format only as far as these tables need.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fireworks-gateway/go-sdk/internal/readmesection"
)

// defaultBaselines names, per parent benchmark, the sub-benchmarks the
// others are compared with, in the order their columns appear. -baseline
// overrides an entry.
var defaultBaselines = map[string][]string{
	"BenchmarkUpdateSecret":         {"generated", "raw-pipeline"},
	"BenchmarkListSecrets":          {"generated", "wrapper-page-loop"},
	"BenchmarkRetriedUpdateSecret":  {"first-try"},
	"BenchmarkTransfer":             {"upload-baseline-io-copy", "download-baseline-io-copy"},
	"BenchmarkValidateUpdateSecret": {"naive-kin-openapi"},
	"BenchmarkFakeThroughput":       {"bare-net-http"},
}

// section is the README section that -readme rewrites.
const section = "bench"

// baselineFlags collects -baseline Parent=sub[,sub...] values.
type baselineFlags map[string][]string

func (b baselineFlags) String() string { return fmt.Sprint(map[string][]string(b)) }

func (b baselineFlags) Set(v string) error {
	parent, subs, ok := strings.Cut(v, "=")
	if !ok || parent == "" || subs == "" {
		return fmt.Errorf("want Parent=sub[,sub...], got %q", v)
	}
	b[parent] = strings.Split(subs, ",")
	return nil
}

func main() {
	baselines := baselineFlags{}
	for parent, subs := range defaultBaselines {
		baselines[parent] = subs
	}
	flag.Var(baselines, "baseline", "`Parent=sub[,sub...]`: compare Parent's sub-benchmarks with these (repeatable)")
	readme := flag.String("readme", "", "rewrite the section <!-- "+section+":start --> ... <!-- "+section+":end --> of this `file` too")
	flag.Parse()
	if err := run(os.Stdin, os.Stdout, os.Stderr, baselines, *readme); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out, warnings io.Writer, baselines map[string][]string, readme string) error {
	set, err := parse(in)
	if err != nil {
		return err
	}
	if len(set.groups) == 0 {
		return errors.New("no benchmark results on standard input (did the benchmarks fail to build or run?)")
	}
	report := render(set, baselines, warnings)
	if _, err := io.WriteString(out, report); err != nil {
		return err
	}
	if readme == "" {
		return nil
	}
	doc, err := os.ReadFile(readme)
	if err != nil {
		return err
	}
	updated, err := readmesection.Set(string(doc), section, strings.TrimSpace(report)+"\n")
	if err != nil {
		return fmt.Errorf("%s: %w", readme, err)
	}
	info, err := os.Stat(readme)
	if err != nil {
		return err
	}
	return os.WriteFile(readme, []byte(updated), info.Mode().Perm())
}

// scanLines calls line for each line of r.
func scanLines(r io.Reader, line func(string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if err := line(sc.Text()); err != nil {
			return err
		}
	}
	return sc.Err()
}
