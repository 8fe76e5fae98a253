package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/pkg/a.go is a package's source, testdata/pkg.json gremlins'
// result for it (2 lived, 4 killed, 1 timed out, 1 not viable, 2 not
// covered), and testdata/known.tsv explains one survivor and holds a
// stale line.

func writeDocs(t *testing.T) (readme, doc string) {
	t.Helper()
	dir := t.TempDir()
	readme = filepath.Join(dir, "README.md")
	doc = filepath.Join(dir, "mutation.md")
	for file, text := range map[string]string{
		readme: "# x\n\n## Mutation testing\n\n" + readmeStart + "\nold\n" + readmeEnd + "\n\nafter\n",
		doc:    "# Mutation testing\n\nhand-written\n\n" + docStart + "\nold\n" + docEnd + "\n",
	} {
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return readme, doc
}

func TestReportScoresAndSurvivors(t *testing.T) {
	readme, doc := writeDocs(t)
	var out, warnings bytes.Buffer
	err := run(&out, &warnings, options{root: "testdata", readme: readme, doc: doc, known: "testdata/known.tsv", min: 95, args: []string{"pkg=testdata/pkg.json"}})
	if !errors.Is(err, errShortfall) {
		t.Fatalf("err = %v, want errShortfall: a survivor is unexplained and the score is 80 %%", err)
	}
	for _, want := range []string{
		"unexplained: pkg/a.go\tINVERT_NEGATIVES\t10\treturn n - 1\tKIND\tWHY\n",
		"pkg: 80.0 % of its non-equivalent mutants killed, below 95 %\n",
		`stale: no lived mutant matches pkg/a.go ARITHMETIC_BASE at column 1 of "return 0"`,
	} {
		if !strings.Contains(warnings.String(), want) {
			t.Errorf("warnings lack %q:\n%s", want, warnings.String())
		}
	}

	r, _ := os.ReadFile(readme)
	for _, want := range []string{
		"## Mutation testing\n\n" + readmeStart + "\nWritten by `make mutation`",
		"| `pkg` | 4 | 2 | 1 | 1 | 1 | 2 | 66.7 % | 80.0 % |\n",
		"The target is 95 % in that column.",
		readmeEnd + "\n\nafter\n",
	} {
		if !strings.Contains(string(r), want) {
			t.Errorf("README lacks %q:\n%s", want, r)
		}
	}
	d, _ := os.ReadFile(doc)
	for _, want := range []string{
		"hand-written\n\n" + docStart + "\n### `pkg`\n",
		"| `pkg/a.go:4:7` | `>` → `>=` | `if n > max {` | equivalent | at n == max both return max |\n",
		"| `pkg/a.go:7:11` | `-` → `+` | `return n - 1` | **unexplained** | – |\n",
		"Not covered (2 mutants): `a.go` 12.\n",
	} {
		if !strings.Contains(string(d), want) {
			t.Errorf("doc lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(string(d), "old") || strings.Contains(string(r), "old") {
		t.Error("the old sections were kept")
	}
	if !strings.Contains(out.String(), "| `pkg` | 4 | 2 |") {
		t.Error("the report is not on standard output")
	}
}

func TestReportMeetsTheTargetWhenEverySurvivorIsExplained(t *testing.T) {
	known := filepath.Join(t.TempDir(), "known.tsv")
	raw, _ := os.ReadFile("testdata/known.tsv")
	more := string(raw) + "pkg/a.go\tINVERT_NEGATIVES\t10\treturn n - 1\tequivalent\tthe test needs n < 0\n"
	if err := os.WriteFile(known, []byte(more), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, warnings bytes.Buffer
	err := run(&out, &warnings, options{root: "testdata", known: known, min: 95, args: []string{"pkg=testdata/pkg.json"}})
	if err != nil {
		t.Fatalf("err = %v, want none: both survivors are equivalent, 4 of 4 killed\n%s", err, warnings.String())
	}
	if !strings.Contains(out.String(), "| `pkg` | 4 | 2 | 2 | 1 | 1 | 2 | 66.7 % | 100.0 % |") {
		t.Errorf("report:\n%s", out.String())
	}
}

func TestReportRefusesBadInput(t *testing.T) {
	write := tempWriter(t)
	moved := write("moved.json", `{"go_module":"m","files":[{"file_name":"a.go","mutations":[{"type":"ARITHMETIC_BASE","status":"LIVED","line":99,"column":1}]}]}`)
	for name, o := range map[string]options{
		"no results":          {root: "testdata"},
		"no dir=":             {root: "testdata", args: []string{"testdata/pkg.json"}},
		"not gremlins'":       {root: "testdata", args: []string{"pkg=" + write("other.json", `{"files":[]}`)}},
		"a line past the end": {root: "testdata", args: []string{"pkg=" + moved}},
		"a known line short":  {root: "testdata", known: write("k1", "pkg/a.go\tX\t1\tline\tequivalent\n"), args: []string{"pkg=testdata/pkg.json"}},
		"an unknown kind":     {root: "testdata", known: write("k2", "pkg/a.go\tX\t1\tline\tobvious\twhy\n"), args: []string{"pkg=testdata/pkg.json"}},
		"no why":              {root: "testdata", known: write("k3", "pkg/a.go\tX\t1\tline\taccepted\t \n"), args: []string{"pkg=testdata/pkg.json"}},
		"a bad column":        {root: "testdata", known: write("k4", "pkg/a.go\tX\t0\tline\taccepted\twhy\n"), args: []string{"pkg=testdata/pkg.json"}},
	} {
		var out, warnings bytes.Buffer
		if err := run(&out, &warnings, o); err == nil || errors.Is(err, errShortfall) {
			t.Errorf("%s: err = %v, want a refusal", name, err)
		}
	}
}

func TestReplaceSectionNeedsBothMarkers(t *testing.T) {
	if _, err := replaceSection("a "+readmeEnd+" b "+readmeStart, readmeStart, readmeEnd, "x"); err == nil {
		t.Error("markers in the wrong order were accepted")
	}
	got, err := replaceSection("a\n"+readmeStart+"\nold\n"+readmeEnd+"\nb", readmeStart, readmeEnd, "\nnew\n\n")
	if err != nil || got != "a\n"+readmeStart+"\nnew\n"+readmeEnd+"\nb" {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestCodeCellsKeepPipesAndBackquotes(t *testing.T) {
	if got := code("a || b"); got != "`a \\|\\| b`" {
		t.Errorf("code(a || b) = %s", got)
	}
	if got := code("x := `raw`"); got != "`` x := `raw` ``" {
		t.Errorf("code with a backquote = %s", got)
	}
}

// TestReportFailsWhenMutantsTimeOut: a run where more than a quarter of
// the mutants timed out, or none was killed or lived, is no measure: the
// report says so and fails.
func TestReportFailsWhenMutantsTimeOut(t *testing.T) {
	write := tempWriter(t)
	const head = `{"go_module":"m","files":[{"file_name":"a.go","mutations":[`
	for name, tc := range map[string]struct{ json, want string }{
		"all timed out": {head + `{"type":"CONDITIONALS_BOUNDARY","status":"TIMED OUT","line":4,"column":7},{"type":"ARITHMETIC_BASE","status":"TIMED OUT","line":7,"column":11}]}]}`,
			"pkg: no mutant ran to a verdict"},
		"3 of 10 timed out": {head + strings.Repeat(`{"type":"CONDITIONALS_NEGATION","status":"KILLED","line":4,"column":7},`, 7) +
			strings.Repeat(`{"type":"ARITHMETIC_BASE","status":"TIMED OUT","line":7,"column":11},`, 2) +
			`{"type":"CONDITIONALS_BOUNDARY","status":"TIMED OUT","line":4,"column":7}]}]}`,
			"pkg: 3 of 10 mutants timed out"},
	} {
		var out, warnings bytes.Buffer
		err := run(&out, &warnings, options{root: "testdata", min: 95, args: []string{"pkg=" + write(strings.ReplaceAll(name, " ", "-")+".json", tc.json)}})
		if !errors.Is(err, errShortfall) || !strings.Contains(warnings.String(), tc.want) {
			t.Errorf("%s: err = %v, warnings %q; want a shortfall that says %q", name, err, warnings.String(), tc.want)
		}
	}
	// Two of ten is fine: loops that no longer end.
	var out, warnings bytes.Buffer
	ok := head + strings.Repeat(`{"type":"CONDITIONALS_NEGATION","status":"KILLED","line":4,"column":7},`, 8) +
		`{"type":"ARITHMETIC_BASE","status":"TIMED OUT","line":7,"column":11},{"type":"CONDITIONALS_BOUNDARY","status":"TIMED OUT","line":4,"column":7}]}]}`
	if err := run(&out, &warnings, options{root: "testdata", min: 95, args: []string{"pkg=" + write("ok.json", ok)}}); err != nil {
		t.Errorf("2 of 10 timed out: err = %v (%s), want none", err, warnings.String())
	}
}

// tempWriter returns a function that writes a file of the test's temporary
// directory and returns its path.
func tempWriter(t *testing.T) func(name, text string) string {
	dir := t.TempDir()
	return func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
}
