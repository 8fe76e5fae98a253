package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The tests of this file bump a copy of the SDK with docs pages in the
// upstream docs' shape (testdata/realistic, made from real operations of
// openapi.yaml: Create Deployment, Get Model, List Deployment Shape
// Versions; see its README.md), with the real generator and the real Go
// API comparison. Only the final go build is left out, which the
// end-to-end test runs. Each takes a few seconds; -short skips them.

var realisticDir = filepath.Join("testdata", "realistic")

// bumpResult is one run of update-spec on a copy of the SDK.
type bumpResult struct {
	out   string
	err   error
	lines []string // out's lines
}

// goBreaks returns the Go API breaks the report lists.
func (r bumpResult) goBreaks() []string {
	var out []string
	section := between2(r.out, "### Go API breaks", "### Wire changes")
	for _, m := range regexp.MustCompile("(?m)^- `([^`]+)`$").FindAllStringSubmatch(section, -1) {
		out = append(out, m[1])
	}
	return out
}

func between2(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

// sdkCopy copies the SDK's tracked files into a temporary directory.
func sdkCopy(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("generates and type-checks the SDK; run without -short")
	}
	// Much of a bump is waiting for the go command: bumps of separate
	// copies overlap.
	t.Parallel()
	return copyTrackedFiles(t, sdkRoot)
}

// bumpCopy runs update-spec on repo with the pages of testdata/realistic
// (or paths), verbose so that the Go API additions are listed.
func bumpCopy(t *testing.T, repo string, allowBreaking, allowMajor bool, pages ...string) bumpResult {
	t.Helper()
	var specs []string
	for _, p := range pages {
		if !filepath.IsAbs(p) {
			p = filepath.Join(realisticDir, p)
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, abs)
	}
	var out bytes.Buffer
	err := updateSpec(options{
		repo: repo, specs: specs,
		allowBreaking: allowBreaking, allowMajor: allowMajor, verbose: true,
		date: "2026-11-29", stdout: &out,
		goCommand: func(dir string, args ...string) error {
			if args[0] == "build" {
				return nil // the end-to-end test builds; this one gates
			}
			return runGo(dir, args...)
		},
		compareGoAPI: compareGoAPI,
	})
	return bumpResult{out: out.String(), err: err, lines: strings.Split(out.String(), "\n")}
}

func assertFirstLines(t *testing.T, r bumpResult, want ...string) {
	t.Helper()
	if len(r.lines) < len(want) || !slices.Equal(r.lines[:len(want)], want) {
		t.Errorf("the report starts:\n%s\nwant:\n%s\n\nwhole report:\n%s", strings.Join(r.lines[:min(len(want), len(r.lines))], "\n"), strings.Join(want, "\n"), r.out)
	}
}

func assertContains(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q in:\n%s", want, text)
		}
	}
}

// TestRealisticEnumValueAddedToAResponsePasses: List Deployment Shape
// Versions with two new enum values (an accelerator, a precision), which
// oasdiff rates ERR in every response that has them, passes the gate
// without ALLOW_BREAKING: no Go identifier breaks, and each value is one
// note however many operations it reaches.
func TestRealisticEnumValueAddedToAResponsePasses(t *testing.T) {
	repo := sdkCopy(t)
	r := bumpCopy(t, repo, false, false, "list-deployment-shape-versions.md")
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.out)
	}
	assertFirstLines(t, r,
		"PASS: no Go API break.",
		"Gateway spec: 4.259.0 -> 4.260.0, from 1 docs page: `list-deployment-shape-versions.md`.",
		"Go API: 0 breaks, 2 additions. Wire: 0 behind the Go breaks, 0 wire breaks, 2 notes, 2 additions, 0 other changes. Operations: 0 added, 0 removed.",
		"A mixed spec: its operations come from 2 versions (1 from 4.260.0, 197 from 4.259.0); make spec-status lists them.",
	)
	if got := r.goBreaks(); len(got) != 0 {
		t.Errorf("Go breaks %q, want none", got)
	}
	assertContains(t, r.out,
		"- gen.AcceleratorTypeNvidiaGB300288GB: added\n",
		"- gen.DeploymentPrecisionFP4Mx: added\n",
		"- note: `response-property-enum-value-added` (oasdiff ERR) `NVIDIA_GB300_288GB`",
	)
	if n := strings.Count(r.out, "- note: `response-property-enum-value-added` (oasdiff ERR) `NVIDIA_GB300_288GB`"); n != 1 {
		t.Errorf("the accelerator's note appears %d times, want once", n)
	}
	if !regexp.MustCompile(`\bAcceleratorTypeNvidiaGB300288GB\s+AcceleratorType = "NVIDIA_GB300_288GB"`).MatchString(readFile(t, filepath.Join(repo, "gen", "gateway.gen.go"))) {
		t.Error("gen/gateway.gen.go lacks the new accelerator's constant")
	}
}

// TestRealisticPageWithCRLFLineEnds: the same page saved with CRLF line
// ends gives the same spec, with LF line ends.
func TestRealisticPageWithCRLFLineEnds(t *testing.T) {
	lf := readFile(t, filepath.Join(realisticDir, "list-deployment-shape-versions.md"))
	crlf := writeTemp(t, "list-deployment-shape-versions.md", strings.ReplaceAll(lf, "\n", "\r\n"))
	repo := sdkCopy(t)
	r := bumpCopy(t, repo, false, false, crlf)
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.out)
	}
	assertFirstLines(t, r,
		"PASS: no Go API break.",
		"Gateway spec: 4.259.0 -> 4.260.0, from 1 docs page: `list-deployment-shape-versions.md`.",
		"Go API: 0 breaks, 2 additions. Wire: 0 behind the Go breaks, 0 wire breaks, 2 notes, 2 additions, 0 other changes. Operations: 0 added, 0 removed.",
	)
	spec := readFile(t, filepath.Join(repo, "openapi.yaml"))
	if strings.Contains(spec, "\r") {
		t.Error("openapi.yaml has CR characters from the page")
	}
	assertContains(t, spec, "        - NVIDIA_B300_288GB\n        - NVIDIA_GB300_288GB\n")
	if got := r.goBreaks(); len(got) != 0 {
		t.Errorf("Go breaks %q, want none", got)
	}
}

// TestRealisticGoBreaksAreRefusedAndAttributed: a response property
// removed (Create Deployment) and an enum constant removed (Get Model) are
// refused, each Go break on its own line with the spec change that caused
// it, and nothing is written.
func TestRealisticGoBreaksAreRefusedAndAttributed(t *testing.T) {
	tests := []struct {
		page      string
		wantFirst []string
		wantBreak string
		wantCause string
	}{
		{
			page: "create-deployment.md",
			wantFirst: []string{
				"REFUSED: 1 Go API break needs ALLOW_BREAKING=1. Nothing was written.",
				"Gateway spec: 4.259.0 -> 4.260.0, from 1 docs page: `create-deployment.md`.",
			},
			wantBreak: "gen.ReplicaStats.PartialReplicaCount: removed",
			wantCause: "from: `response-optional-property-removed` `partialReplicaCount`, in ",
		},
		{
			page: "get-model.md",
			wantFirst: []string{
				"REFUSED: 1 Go API break needs ALLOW_BREAKING=1. Nothing was written.",
				"Gateway spec: 4.259.0 -> 4.260.0, from 1 docs page: `get-model.md`.",
			},
			wantBreak: "gen.ModelKindFireAgent: removed",
			wantCause: "`response-property-enum-value-removed` `FIRE_AGENT`",
		},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			repo := sdkCopy(t)
			before := snapshot(t, repo)
			r := bumpCopy(t, repo, false, false, tt.page)
			if !errors.Is(r.err, errRefused) {
				t.Fatalf("error %v, want the gate's refusal\n%s", r.err, r.out)
			}
			assertFirstLines(t, r, tt.wantFirst...)
			if got := r.goBreaks(); !slices.Equal(got, []string{tt.wantBreak}) {
				t.Errorf("Go breaks %q, want %q", got, tt.wantBreak)
			}
			assertContains(t, r.out, "- `"+tt.wantBreak+"`\n  from: ", tt.wantCause)
			assertUnchanged(t, before, repo)
		})
	}
}

// TestRealisticMajorVersionAndMixedSpec: Get Model of 5.10.0 is a major
// bump, refused without ALLOW_MAJOR=1; with it, the spec becomes a mix
// that records each operation's version (x-spec-version, gen.Operations,
// spec-status), and a second 5.10.0 page needs no ALLOW_MAJOR.
func TestRealisticMajorVersionAndMixedSpec(t *testing.T) {
	repo := sdkCopy(t)
	before := snapshot(t, repo)
	r := bumpCopy(t, repo, false, false, "get-model-5.10.0.md")
	if !errors.Is(r.err, errRefused) || !strings.Contains(r.err.Error(), "ALLOW_MAJOR=1") {
		t.Fatalf("error %v, want the refusal of a major version\n%s", r.err, r.out)
	}
	assertFirstLines(t, r,
		"REFUSED: docs pages of a new major version (4.259.0 -> 5.10.0) need ALLOW_MAJOR=1. Nothing was written.",
		"Gateway spec: 4.259.0 -> 5.10.0, a MAJOR version (4 -> 5), from 1 docs page: `get-model-5.10.0.md`.",
		"Go API: 0 breaks, 1 addition. Wire: 0 behind the Go breaks, 0 wire breaks, 0 notes, 1 addition, 0 other changes. Operations: 0 added, 0 removed.",
		"A mixed spec: its operations come from 2 versions (1 from 5.10.0, 197 from 4.259.0); make spec-status lists them.",
	)
	assertContains(t, r.out, "- gen.Model.SupportsVideoInput: added\n")
	assertUnchanged(t, before, repo)

	r = bumpCopy(t, repo, false, true, "get-model-5.10.0.md")
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.out)
	}
	assertFirstLines(t, r,
		"PASS: no Go API break.",
		"Gateway spec: 4.259.0 -> 5.10.0, a MAJOR version (4 -> 5) accepted with ALLOW_MAJOR=1, from 1 docs page: `get-model-5.10.0.md`.",
		"Go API: 0 breaks, 1 addition. Wire: 0 behind the Go breaks, 0 wire breaks, 0 notes, 1 addition, 0 other changes. Operations: 0 added, 0 removed.",
	)
	spec := readFile(t, filepath.Join(repo, "openapi.yaml"))
	if n := strings.Count(spec, "\n      x-spec-version: 4.259.0\n"); n != 197 {
		t.Errorf("%d operations marked 4.259.0, want the 197 that the page did not give", n)
	}
	if n := strings.Count(spec, "\n      x-spec-version: 5.10.0\n"); n != 1 {
		t.Errorf("%d operations marked 5.10.0, want Get Model's", n)
	}
	operations := readFile(t, filepath.Join(repo, "gen", "operations.gen.go"))
	assertContains(t, operations,
		`const SpecVersion = "5.10.0"`,
		`UpstreamID: "Gateway_GetModel", Method: "GET"`,
	)
	if n := strings.Count(operations, `SpecVersion: "5.10.0"}`); n != 1 {
		t.Errorf("%d operations of gen.Operations say 5.10.0, want Get Model's", n)
	}
	readme := readFile(t, filepath.Join(repo, "README.md"))
	for _, m := range readmeVersionMentions([]byte(readme)) {
		if got := readme[m[0]:m[1]]; got != "5.10.0" {
			t.Errorf("README.md still mentions %s", got)
		}
	}

	// More pages of 5.10.0: no new major version, a bigger share of it.
	r = bumpCopy(t, repo, false, false, "list-deployment-shape-versions-5.10.0.md")
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.out)
	}
	assertFirstLines(t, r,
		"PASS: no Go API break.",
		"Gateway spec: 5.10.0 -> 5.10.0, from 1 docs page: `list-deployment-shape-versions-5.10.0.md`.",
		"Go API: 0 breaks, 2 additions. Wire: 0 behind the Go breaks, 0 wire breaks, 2 notes, 2 additions, 0 other changes. Operations: 0 added, 0 removed.",
		"A mixed spec: its operations come from 2 versions (2 from 5.10.0, 196 from 4.259.0); make spec-status lists them.",
	)
	if strings.Contains(r.out, "info.version is still") {
		t.Errorf("a false note on a page-by-page bump:\n%s", r.out)
	}
	var status bytes.Buffer
	if err := specStatus(repo, &status, false); err != nil {
		t.Fatal(err)
	}
	want := "openapi.yaml: Gateway REST API 5.10.0 (info.version: gen.SpecVersion and the User-Agent say it), 198 operations.\n" +
		"  5.10.0     2 operations\n" +
		"  4.259.0    196 operations\n"
	if !strings.HasPrefix(status.String(), want) {
		t.Errorf("spec-status:\n%s\nwant it to start:\n%s", status.String(), want)
	}
}

// TestRealisticTopLevelTagsAndServers: a page with five tags and a second
// server (as 5.10.0 pages have) merges them and says so; a re-run says
// what it compared.
func TestRealisticTopLevelTagsAndServers(t *testing.T) {
	repo := sdkCopy(t)
	r := bumpCopy(t, repo, false, false, "get-model-tags-servers.md")
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.out)
	}
	assertFirstLines(t, r,
		"PASS: no Go API break.",
		"Gateway spec: 4.259.0 -> 4.259.0, from 1 docs page: `get-model-tags-servers.md`.",
		"Go API: 0 breaks, 0 additions. Wire: 0 behind the Go breaks, 0 wire breaks, 0 notes, 0 additions, 0 other changes. Operations: 0 added, 0 removed.",
		"",
	)
	if got := r.goBreaks(); len(got) != 0 {
		t.Errorf("Go breaks %q, want none", got)
	}
	assertContains(t, r.out,
		"- tags: added `Deployments`, `Models`, `Fine-tuning`, `Datasets`\n",
		"- servers: added `https://api.eu.fireworks.ai` after openapi.yaml's, whose first stays the default\n",
	)
	spec := readFile(t, filepath.Join(repo, "openapi.yaml"))
	assertContains(t, spec,
		"tags:\n  - name: Gateway\n  - name: Deployments\n    description: Dedicated deployments of models.\n",
		"servers:\n  - url: https://api.fireworks.ai\n  - url: https://api.eu.fireworks.ai\n    description: European Union data residency.\n",
	)
	if strings.Contains(spec, "x-spec-version") {
		t.Error("a page of the spec's own version marked operations")
	}

	r = bumpCopy(t, repo, false, false, "get-model-tags-servers.md")
	if r.err != nil {
		t.Fatal(r.err)
	}
	assertFirstLines(t, r,
		"openapi.yaml already holds everything in `get-model-tags-servers.md`: nothing to do. Compared:",
	)
	assertContains(t, r.out,
		"- get-model-tags-servers.md (4.259.0): 1 operation (GET /v1/accounts/{account_id}/models/{model_id} Gateway_GetModel); components.schemas ",
		"; tags `Gateway`, `Deployments`, `Models`, `Fine-tuning`, `Datasets`; servers `https://api.fireworks.ai`, `https://api.eu.fireworks.ai`; security\n",
	)
}

// TestRealisticFixturesAreUpstreamShaped keeps the fixture pages honest:
// each has the docs page's preamble, title and fence, and each operation
// and schema it does not change is upstream's, as in openapi.yaml.
func TestRealisticFixturesAreUpstreamShaped(t *testing.T) {
	spec := readFile(t, filepath.Join(sdkRoot, "openapi.yaml"))
	entries, err := os.ReadDir(realisticDir)
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".md") || e.Name() == "README.md" {
			continue
		}
		pages++
		text := readFile(t, filepath.Join(realisticDir, e.Name()))
		assertContains(t, text, "> ## Documentation Index\n", "\n## OpenAPI\n\n````yaml ", "\ncomponents:\n  schemas:\n", "  securitySchemes:\n    BearerAuth:\n")
		in, err := readSpecInput(filepath.Join(realisticDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		// The operation's own text is upstream's, line for line.
		err = forEachOperation(in.doc.root, func(method, path string, op *yaml.Node) error {
			start, end := in.doc.entryRange(mappingKey(mappingValue(mappingValue(in.doc.root, "paths"), path), method))
			if !strings.Contains(spec, "\n    "+string(in.doc.text[start:end])) {
				t.Errorf("%s: %s is not openapi.yaml's text", e.Name(), operationAt(method, path))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if pages < 6 {
		t.Errorf("%d fixture pages, want the 6 cases", pages)
	}
}
