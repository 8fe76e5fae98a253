package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPagesOfANewVersionMarkEveryOperation protects the record of a mixed
// spec: when pages of 4.260.0 go into the 4.259.0 fixture spec, every
// operation the pages do not give is marked 4.259.0 and the pages' are
// marked 4.260.0, each mark a line inserted at the end of its operation,
// and nothing else of the text moves.
func TestPagesOfANewVersionMarkEveryOperation(t *testing.T) {
	base := readFile(t, fixtureSpec)
	built, err := buildSpec([]byte(base), []string{filepath.Join(pagesDir, "add-operation.md")})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parseSource("openapi.yaml", 1, built.text)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := countVersions(doc.root)
	if err != nil {
		t.Fatal(err)
	}
	baseDoc, err := parseSource("openapi.yaml", 1, []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	baseCounts, err := countVersions(baseDoc.root)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 2 || counts[0] != (versionCount{"4.260.0", 1}) || counts[1] != (versionCount{"4.259.0", baseCounts[0].operations}) {
		t.Errorf("operations by version %v, want the page's 1 at 4.260.0 and the fixture's %d at 4.259.0", counts, baseCounts[0].operations)
	}
	marks := strings.Count(string(built.text), "      x-spec-version: ")
	if want := baseCounts[0].operations + 1; marks != want {
		t.Errorf("%d mark lines, want one for each of the %d operations, under the operation's keys", marks, want)
	}
	// Only insertions and the version line: the old text is all there, in order.
	assertOnlyInsertions(t, base, string(built.text))
}

// TestPagesOfTheSpecsVersionMarkNothing: a spec of one version needs no
// marks, so a page of its own version adds none (and a re-run of an
// already merged page changes nothing).
func TestPagesOfTheSpecsVersionMarkNothing(t *testing.T) {
	base := readFile(t, fixtureSpec)
	built, err := buildSpec([]byte(base), []string{atBaseVersion(t, "add-operation.md")})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(built.text), specVersionExtension) {
		t.Error("a page of the spec's own version marked operations")
	}
}

// TestAMarkedSpecKeepsMarking: once a spec is mixed, pages of its current
// version are marked too, and operations already marked keep their marks.
func TestAMarkedSpecKeepsMarking(t *testing.T) {
	base := readFile(t, fixtureSpec)
	first, err := buildSpec([]byte(base), []string{filepath.Join(pagesDir, "add-operation.md")})
	if err != nil {
		t.Fatal(err)
	}
	second, err := buildSpec(first.text, []string{filepath.Join(pagesDir, "require-field.md")})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parseSource("openapi.yaml", 1, second.text)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := countVersions(doc.root)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 2 || counts[0].version != "4.260.0" || counts[0].operations != 2 {
		t.Errorf("operations by version %v, want 2 at 4.260.0 (the added one and Update secret)", counts)
	}
	if strings.Count(string(second.text), "x-spec-version:") != strings.Count(string(first.text), "x-spec-version:") {
		t.Error("the second page added or lost marks instead of replacing Update secret's")
	}
}

func TestPagesOfAnOlderVersionAreRefused(t *testing.T) {
	page := asPage(t, "update-secret.md", strings.Replace(pageBlock(t, "require-field.md"), "4.260.0", "4.21.6", 1))
	_, err := buildSpec([]byte(readFile(t, fixtureSpec)), []string{page})
	if err == nil || !strings.Contains(err.Error(), "the pages are of version 4.21.6, older than openapi.yaml's 4.259.0") {
		t.Fatalf("error %v", err)
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"4.259.0", "5.10.0", -1},
		{"4.21.6", "4.259.0", -1},
		{"5.10.0", "5.9.9", 1},
		{"4.259.0", "4.259.0", 0},
		{"4.259", "4.259.0", -1},
		{"5.0.0-beta", "5.0.0-alpha", 1},
	}
	for _, tt := range tests {
		if got := compareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestEntryYAMLQuotesVersionsThatReadAsNumbers: a mark "5.10" must stay a
// string, or the generator reads no version.
func TestEntryYAMLQuotesVersionsThatReadAsNumbers(t *testing.T) {
	for version, want := range map[string]string{
		"5.10.0": "    x-spec-version: 5.10.0\n",
		"5.10":   "    x-spec-version: \"5.10\"\n",
	} {
		got, err := entryYAML(specVersionExtension, scalarString(version), 4)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("entryYAML(%q) = %q, want %q", version, got, want)
		}
	}
}
