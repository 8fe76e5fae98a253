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

// FuzzChecksumHeader: whatever storage sends in x-goog-hash, the parser
// never panics; it checks crc32c whenever one is announced (with a value),
// md5 only when no crc32c is, and nothing when neither is.
func FuzzChecksumHeader(f *testing.F) {
	for _, seed := range []string{"crc32c=AAAAAA==,md5=AAAAAAAAAAAAAAAAAAAAAA==", "md5=x", "crc32c=", "md5", "", ",,=", "sha256=abc, crc32c=x", " md5 = y "} {
		f.Add(seed, "md5=z")
	}
	f.Fuzz(func(t *testing.T, first, second string) {
		c := newChecksum([]string{first, second})
		announced := func(algo string) bool {
			for _, h := range []string{first, second} {
				for part := range strings.SplitSeq(h, ",") {
					if a, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok && a == algo && v != "" {
						return true
					}
				}
			}
			return false
		}
		want := ""
		switch {
		case announced("crc32c"):
			want = "crc32c"
		case announced("md5"):
			want = "md5"
		}
		got := ""
		if c != nil {
			got = c.algo
			c.write([]byte("data"))
			_ = c.verify()
		}
		if got != want {
			t.Errorf("x-goog-hash %q, %q: checks %q, want %q", first, second, got, want)
		}
	})
}
