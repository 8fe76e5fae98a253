// Command importcost measures what importing the SDK costs a program
// before it makes a call: the size of its binary, and the time, bytes and
// allocations of its package initialization (GODEBUG=inittrace=1). It
// builds the tiny programs under hello/ (raw net/http, the bare generated
// client, package api, and api with contract mode) side by side, prints a
// table, and with -readme rewrites README.md's import-cost section.
// `make bench` runs it.
//
//	go run ./internal/importcost -readme README.md
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/fireworks-gateway/go-sdk/internal/readmesection"
)

// programs are measured in this order; the first is the baseline.
var programs = []struct{ name, dir, what string }{
	{"raw-net-http", "nethttp", "net/http alone"},
	{"generated", "generated", "the bare generated client (package gen)"},
	{"api", "api", "the SDK (package api)"},
	{"api+contract", "contract", "the SDK with contract mode (api/contract)"},
}

// heavy are the packages a program that only calls the API must not link:
// they serve contract mode, the fake and the tools.
var heavy = []string{"github.com/getkin/kin-openapi", "github.com/santhosh-tekuri/jsonschema", "go.yaml.in/yaml", "gopkg.in/yaml", "github.com/oapi-codegen/oapi-codegen/v2"}

// cost is what one program measured.
type cost struct {
	binary       int64   // bytes
	initMs       float64 // sum of the packages' init clock
	initBytes    int64
	initAllocs   int64
	heavyLinked  []string
	packageCount int
}

func main() {
	readme := flag.String("readme", "", "rewrite the import-cost section of this `file` too")
	runs := flag.Int("runs", 5, "run each program this many times; the init figures are the medians")
	flag.Parse()
	dir, err := helloDir()
	if err != nil {
		fail(err)
	}
	var costs []cost
	for _, p := range programs {
		c, err := measure(filepath.Join(dir, p.dir), *runs)
		if err != nil {
			fail(fmt.Errorf("%s: %w", p.name, err))
		}
		costs = append(costs, c)
	}
	table := render(costs)
	fmt.Print(table)
	if *readme != "" {
		if err := readmesection.Write(*readme, "import-cost", table); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "importcost:", err)
	os.Exit(1)
}

// helloDir finds hello/ beside this program's source, from the module root
// or from this directory.
func helloDir() (string, error) {
	for _, d := range []string{"internal/importcost/hello", "hello"} {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return filepath.Abs(d)
		}
	}
	return "", fmt.Errorf("run from the module root or internal/importcost")
}

// measure builds the program in dir, runs it runs times with
// GODEBUG=inittrace=1, and lists the heavy packages it links.
func measure(dir string, runs int) (cost, error) {
	var c cost
	dir, err := filepath.Abs(dir)
	if err != nil {
		return c, err
	}
	bin := filepath.Join(os.TempDir(), "importcost-"+filepath.Base(dir))
	defer func() { _ = os.Remove(bin) }() // a temporary file: nothing to do if it cannot go
	if out, err := exec.Command("go", "build", "-o", bin, dir).CombinedOutput(); err != nil {
		return c, fmt.Errorf("go build: %v\n%s", err, out)
	}
	st, err := os.Stat(bin)
	if err != nil {
		return c, err
	}
	c.binary = st.Size()

	var ms []float64
	var bytesRuns, allocRuns []int64
	for range runs {
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return c, fmt.Errorf("run: %v\n%s", err, stderr.String())
		}
		m, b, a := parseInitTrace(stderr.String())
		ms, bytesRuns, allocRuns = append(ms, m), append(bytesRuns, b), append(allocRuns, a)
	}
	c.initMs, c.initBytes, c.initAllocs = median(ms), median(bytesRuns), median(allocRuns)

	out, err := exec.Command("go", "list", "-deps", dir).Output()
	if err != nil {
		return c, fmt.Errorf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	c.packageCount = len(deps)
	for _, h := range heavy {
		for _, d := range deps {
			if strings.HasPrefix(d, h) {
				c.heavyLinked = append(c.heavyLinked, h)
				break
			}
		}
	}
	return c, nil
}

// parseInitTrace sums the lines "init pkg @t ms, X ms clock, N bytes, M
// allocs" that GODEBUG=inittrace=1 writes.
func parseInitTrace(trace string) (ms float64, bytes, allocs int64) {
	sc := bufio.NewScanner(strings.NewReader(trace))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		// init pkg @t ms, X ms clock, N bytes, M allocs
		if len(f) != 11 || f[0] != "init" || f[6] != "clock," || f[8] != "bytes," {
			continue
		}
		m, _ := strconv.ParseFloat(f[4], 64)
		b, _ := strconv.ParseInt(f[7], 10, 64)
		a, _ := strconv.ParseInt(f[9], 10, 64)
		ms, bytes, allocs = ms+m, bytes+b, allocs+a
	}
	return ms, bytes, allocs
}

func median[T int64 | float64](v []T) T {
	s := append([]T(nil), v...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2]
}

func render(costs []cost) string {
	var b strings.Builder
	b.WriteString("Measured by `make bench` (`go run ./internal/importcost`): each program is built, then run with `GODEBUG=inittrace=1`; the init figures are the medians of 5 runs, summed over every package.\n\n")
	b.WriteString("| program | binary | × raw-net-http | init time | init bytes | init allocs | packages | links kin-openapi, jsonschema or YAML |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n")
	base := costs[0]
	for i, p := range programs {
		c := costs[i]
		heavy := "no"
		if len(c.heavyLinked) > 0 {
			heavy = "yes: " + strings.Join(c.heavyLinked, ", ")
		}
		fmt.Fprintf(&b, "| %s (%s) | %.1f MiB | %.2f× | %.2f ms | %s | %d | %d | %s |\n", p.name, p.what,
			float64(c.binary)/(1<<20), float64(c.binary)/float64(base.binary), c.initMs, kib(c.initBytes), c.initAllocs, c.packageCount, heavy)
	}
	return b.String()
}

func kib(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.1f KiB", float64(n)/1024)
}
