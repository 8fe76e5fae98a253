package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/oasdiff/oasdiff/checker"
)

func TestCompareSpecs(t *testing.T) {
	base := readFile(t, fixtureSpec)
	fromPage := func(name string) func(t *testing.T) string {
		return func(t *testing.T) string {
			built, err := buildSpec([]byte(base), []string{filepath.Join(pagesDir, name)})
			if err != nil {
				t.Fatal(err)
			}
			return string(built.text)
		}
	}
	getSecret := between(t, base, "  /v1/accounts/{account_id}/secrets/{secret_id}:", "  /v1/accounts/{account_id}/users/")
	tests := []struct {
		name        string
		newSpec     func(t *testing.T) string
		wantAdded   []string
		wantRemoved []string
		// wantGroups: oasdiff's level, the check, how many operations.
		wantGroups []string
	}{
		{
			name:      "one operation added",
			newSpec:   fromPage("add-operation.md"),
			wantAdded: []string{"`POST /v1/accounts/{account_id}/secrets/{secret_id}:rotate` Gateway_RotateSecret"},
		},
		{
			name:       "one required request field added",
			newSpec:    fromPage("require-field.md"),
			wantGroups: []string{"ERR request-property-became-required in 1"},
		},
		{
			// oasdiff rates it INFO: the wire stays compatible. For the Go
			// client it removes a field, which apidiff finds (goapi.go).
			name:       "one response field removed",
			newSpec:    fromPage("remove-response-field.md"),
			wantGroups: []string{"INFO response-optional-property-removed in 1"},
		},
		{
			// One change, found in three operations: one group.
			name:        "operations removed",
			newSpec:     func(t *testing.T) string { return replaceOnce(t, base, getSecret, "") },
			wantRemoved: []string{"`DELETE /v1/accounts/{account_id}/secrets/{secret_id}` Gateway_DeleteSecret", "`GET /v1/accounts/{account_id}/secrets/{secret_id}` Gateway_GetSecret", "`PATCH /v1/accounts/{account_id}/secrets/{secret_id}` Gateway_UpdateSecret"},
			wantGroups:  []string{"ERR api-path-removed-without-deprecation in 3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := compareSpecs([]byte(base), []byte(tt.newSpec(t)))
			if err != nil {
				t.Fatal(err)
			}
			var groups []string
			for _, g := range r.groups {
				groups = append(groups, fmt.Sprintf("%s %s in %d", g.level, g.check, len(g.operations())))
			}
			if !slices.Equal(stringsOf(r.added), tt.wantAdded) || !slices.Equal(stringsOf(r.removed), tt.wantRemoved) || !slices.Equal(groups, tt.wantGroups) {
				t.Errorf("added %q removed %q groups %q\nwant added %q removed %q groups %q", stringsOf(r.added), stringsOf(r.removed), groups, tt.wantAdded, tt.wantRemoved, tt.wantGroups)
			}
		})
	}
}

func TestCompareSpecsNamesTheSpecThatDoesNotLoad(t *testing.T) {
	base := readFile(t, fixtureSpec)
	broken := replaceOnce(t, base, "$ref: '#/components/schemas/gatewaySecret'", "$ref: '#/components/schemas/gatewayMissing'")
	_, err := compareSpecs([]byte(base), []byte(broken))
	if err == nil || !strings.Contains(err.Error(), "the new spec does not load") || !strings.Contains(err.Error(), "gatewayMissing") {
		t.Fatalf("error %v", err)
	}
}

// TestGoClientNotesNameChecksOasdiffHas: an oasdiff upgrade that renames a
// check would silently turn a note back into a wire break.
func TestGoClientNotesNameChecksOasdiffHas(t *testing.T) {
	known := checker.GetCheckLevels()
	for id := range goClientNotes {
		if _, ok := known[id]; !ok {
			t.Errorf("oasdiff has no check %q any more: update goClientNotes", id)
		}
	}
}

// sampleReport is a bump with one Go break attributed to a removed
// property, a response enum value added in three operations, a request
// property that became required, and one operation added.
func sampleReport() *bumpReport {
	enumAdded := &wireGroup{check: "response-property-enum-value-added", level: "ERR", value: "NVIDIA_GB300_288GB"}
	for _, op := range []string{"GET /v1/a", "GET /v1/b", "POST /v1/c"} {
		enumAdded.findings = append(enumAdded.findings, finding{level: "ERR", check: enumAdded.check, operation: op, id: "Gateway_X", text: "added the new `NVIDIA_GB300_288GB` enum value", args: []any{"NVIDIA_GB300_288GB", "acceleratorType", "200"}})
	}
	removed := &wireGroup{check: "response-optional-property-removed", level: "INFO", property: "partialReplicaCount",
		findings: []finding{{level: "INFO", check: "response-optional-property-removed", operation: "POST /v1/d", id: "Gateway_CreateDeployment", text: "removed the optional property `replicaStats/partialReplicaCount` from the response", args: []any{"replicaStats/partialReplicaCount", "200"}}}}
	required := &wireGroup{check: "request-property-became-required", level: "ERR", property: "value",
		findings: []finding{{level: "ERR", check: "request-property-became-required", operation: "PATCH /v1/e", id: "Gateway_UpdateSecret", text: "the request property `value` became required", args: []any{"value"}}}}
	br := &goChange{pkg: "gen", ident: "GatewayReplicaStats.PartialReplicaCount", message: "GatewayReplicaStats.PartialReplicaCount: removed"}
	add := &goChange{pkg: "gen", ident: "AcceleratorTypeNvidiaGB300288GB", message: "AcceleratorTypeNvidiaGB300288GB: added", compatible: true}
	groups := []*wireGroup{enumAdded, removed, required}
	attribute([]*goChange{br}, groups)
	return &bumpReport{
		wire: &wireReport{oldVersion: "4.259.0", newVersion: "4.260.0", groups: groups,
			added: []operationRef{{method: "POST", path: "/v1/a:rotate", id: "Gateway_Rotate"}}},
		goAPI:        &goAPIDiff{changes: []*goChange{br, add}},
		sources:      []string{"`create-deployment.md`"},
		specVersions: []versionCount{{"4.260.0", 1}, {"4.259.0", 197}},
	}
}

// TestReportSummaryComesFirst protects the report's shape: the verdict,
// the versions and the counts are its first lines, whatever follows.
func TestReportSummaryComesFirst(t *testing.T) {
	r := sampleReport()
	want := []string{
		"REFUSED: 1 Go API break needs ALLOW_BREAKING=1. Nothing was written.",
		"Gateway spec: 4.259.0 -> 4.260.0, from 1 docs page: `create-deployment.md`.",
		"Go API: 1 break, 1 addition. Wire: 1 behind the Go breaks, 1 wire break, 1 note, 0 additions, 0 other changes. Operations: 1 added, 0 removed.",
		"A mixed spec: its operations come from 2 versions (1 from 4.260.0, 197 from 4.259.0); make spec-status lists them.",
	}
	lines := strings.Split(r.text(false), "\n")
	if !slices.Equal(lines[:len(want)], want) {
		t.Errorf("first lines:\n%s\nwant:\n%s", strings.Join(lines[:len(want)], "\n"), strings.Join(want, "\n"))
	}
	r.allowBreaking = true
	if got := r.summary()[0]; got != "PASS with ALLOW_BREAKING=1: 1 Go API break accepted." {
		t.Errorf("verdict with ALLOW_BREAKING=1: %q", got)
	}
}

// TestReportListsEachChangeOnce protects the grouping: an enum value added
// in three operations is one line with its count, not three; the Go break
// names the spec change that caused it.
func TestReportListsEachChangeOnce(t *testing.T) {
	text := sampleReport().text(false)
	for _, want := range []string{
		"- `gen.GatewayReplicaStats.PartialReplicaCount: removed`\n  from: `response-optional-property-removed` `partialReplicaCount`, in 1 operation\n",
		"- note: `response-property-enum-value-added` (oasdiff ERR) `NVIDIA_GB300_288GB` (at acceleratorType), in 3 operations; a Go enum is a string type",
		"- wire break: `request-property-became-required` (oasdiff ERR) `value`, in `PATCH /v1/e`\n",
		"1 addition (-v or CHANGELOG-spec.md lists them).",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "NVIDIA_GB300_288GB"); n != 1 {
		t.Errorf("the enum value appears %d times, want once:\n%s", n, text)
	}
	verbose := sampleReport().text(true)
	if n := strings.Count(verbose, "added the new `NVIDIA_GB300_288GB` enum value"); n != 3 {
		t.Errorf("-v shows the enum finding %d times, want each of the 3:\n%s", n, verbose)
	}
}

func TestChangelogEntry(t *testing.T) {
	entry := sampleReport().changelogEntry("2025-01-02")
	for _, want := range []string{
		"## 4.259.0 -> 4.260.0 (2025-01-02)\n\n- REFUSED: 1 Go API break needs ALLOW_BREAKING=1. Nothing was written.\n- Gateway spec: 4.259.0 -> 4.260.0",
		"### Go API additions\n\n- gen.AcceleratorTypeNvidiaGB300288GB: added\n",
		"  - ERR `response-property-enum-value-added` `POST /v1/c` Gateway_X: added the new `NVIDIA_GB300_288GB` enum value\n",
	} {
		if !strings.Contains(entry, want) {
			t.Errorf("the entry lacks %q:\n%s", want, entry)
		}
	}
}

func TestPrependChangelog(t *testing.T) {
	entry := "## 2 -> 3 (2025-01-02)\n\nFrom x.\n"
	tests := []struct {
		name     string
		existing *string
		want     string
	}{
		{name: "new file gets the header", existing: nil, want: changelogHeader + "\n" + entry},
		{name: "entry goes above the older ones", existing: ptr(changelogHeader + "\n## 1 -> 2 (2024-12-01)\n\nFrom y.\n"), want: changelogHeader + "\n" + entry + "\n## 1 -> 2 (2024-12-01)\n\nFrom y.\n"},
		{name: "file of entries only", existing: ptr("## 1 -> 2 (2024-12-01)\n"), want: entry + "\n## 1 -> 2 (2024-12-01)\n"},
		{name: "header only", existing: ptr("# Changes\n"), want: "# Changes\n\n" + entry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "CHANGELOG-spec.md")
			if tt.existing != nil {
				if err := os.WriteFile(path, []byte(*tt.existing), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := prependChangelog(path, entry); err != nil {
				t.Fatal(err)
			}
			if got := readFile(t, path); got != tt.want {
				t.Errorf("changelog:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestTheSDKsChangelogStartsWithTheCurrentHeader keeps the header of the
// repository's CHANGELOG-spec.md saying what the gate refuses today: the
// bump only prepends entries, so an old header would otherwise stay.
func TestTheSDKsChangelogStartsWithTheCurrentHeader(t *testing.T) {
	text := readFile(t, filepath.Join("..", "..", "CHANGELOG-spec.md"))
	if !strings.HasPrefix(text, changelogHeader) {
		t.Errorf("CHANGELOG-spec.md does not start with changelogHeader (report.go); its first lines:\n%s", firstLines(text, 7))
	}
}

func firstLines(text string, n int) string {
	lines := strings.SplitN(text, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
