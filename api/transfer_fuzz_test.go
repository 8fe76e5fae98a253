package api

import (
	"path/filepath"
	"strings"
	"testing"
)

// FuzzDownloadName: a file name the download check lets through, joined to
// any directory, lands inside it: never above it, never elsewhere.
func FuzzDownloadName(f *testing.F) {
	for _, seed := range []string{"train.jsonl", "a/b.jsonl", "../x", "a/../../x", "/etc/passwd", "", ".", "..", "a/./b", `a\..\b`, "C:x", "a//b", "NUL", "a/..", "x\x00y"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if checkDownloadName(name) != nil {
			return
		}
		dir := filepath.FromSlash("/tmp/downloads")
		target := filepath.Join(dir, filepath.FromSlash(name))
		rel, err := filepath.Rel(dir, target)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
			t.Fatalf("the accepted name %q lands at %q, outside %q", name, target, dir)
		}
	})
}
