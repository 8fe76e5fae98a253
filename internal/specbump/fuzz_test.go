package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addFixtureSeeds adds every fixture page and bad input as a seed.
func addFixtureSeeds(f *testing.F) {
	for _, dir := range []string{pagesDir, filepath.Join("testdata", "bad")} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(data))
		}
	}
}

// FuzzReadSpecInput: any file gives a document or an error, never a panic.
func FuzzReadSpecInput(f *testing.F) {
	addFixtureSeeds(f)
	f.Fuzz(func(t *testing.T, content string) {
		path := filepath.Join(t.TempDir(), "page.md")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		in, err := readSpecInput(path)
		if err == nil && (in.doc == nil || in.version == "") {
			t.Fatal("no error, but no document or version")
		}
	})
}

// FuzzBuildSpec: merging any page into the fixture spec gives an error or
// a text that parses back to the merged document (patchText checks that
// itself and says so in its error), never a panic.
func FuzzBuildSpec(f *testing.F) {
	addFixtureSeeds(f)
	base, err := os.ReadFile(fixtureSpec)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, content string) {
		path := filepath.Join(t.TempDir(), "page.md")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		built, err := buildSpec(base, []string{path})
		if err != nil {
			if strings.Contains(err.Error(), "a bug of specbump") {
				t.Fatal(err)
			}
			return
		}
		if _, err := parseSource("openapi.yaml", 1, built.text); err != nil {
			t.Fatal(err)
		}
	})
}

// TestBuildSpecSurvivesRandomEdits is a deterministic complement to the
// fuzz targets (go test -fuzz is slow in a binary as large as this one):
// it edits the fixture pages, or the fixture spec, line by line at random
// (lines dropped, repeated, re-indented, values changed) and merges. Every
// merge must succeed or fail with an error about the input; a splice that
// does not reproduce the merged document, or a panic, is a bug.
func TestBuildSpecSurvivesRandomEdits(t *testing.T) {
	base, err := os.ReadFile(fixtureSpec)
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, name := range []string{"add-operation.md", "require-field.md", "remove-response-field.md"} {
		pages = append(pages, filepath.Join(pagesDir, name))
	}
	r := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	merged := 0
	const runs = 200
	for n := 0; n < runs; n++ {
		page := pages[r.IntN(len(pages))]
		spec := base
		pageText, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		if n%2 == 0 {
			pageText = editLines(r, pageText)
		} else {
			spec = editLines(r, spec)
		}
		path := filepath.Join(dir, "page.md")
		if err := os.WriteFile(path, pageText, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err = buildSpec(spec, []string{path})
		if err == nil {
			merged++
		} else if strings.Contains(err.Error(), "a bug of specbump") || strings.Contains(err.Error(), "cannot splice") {
			t.Fatalf("run %d: %v\npage:\n%s", n, err, pageText)
		}
	}
	if merged < runs/10 {
		t.Errorf("only %d of %d edited inputs merged: the edits test little", merged, runs)
	}
}

// editLines makes one to three random line edits.
func editLines(r *rand.Rand, text []byte) []byte {
	lines := strings.SplitAfter(string(text), "\n")
	for k := 0; k <= r.IntN(3); k++ {
		i := r.IntN(len(lines))
		switch r.IntN(4) {
		case 0:
			lines = append(lines[:i:i], lines[i+1:]...)
		case 1:
			lines = append(lines[:i+1:i+1], lines[i:]...)
		case 2:
			if r.IntN(2) == 0 {
				lines[i] = "  " + lines[i]
			} else {
				lines[i] = strings.TrimPrefix(lines[i], "  ")
			}
		case 3:
			if c := strings.Index(lines[i], ": "); c > 0 {
				lines[i] = lines[i][:c+2] + "changed\n"
			}
		}
	}
	return []byte(strings.Join(lines, ""))
}
