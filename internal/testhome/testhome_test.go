package testhome

import (
	"os"
	"path/filepath"
	"testing"
)

// TestIsolateHidesTheUsersCredentials: after Isolate, HOME is an empty
// directory (no ~/.fireworks of the developer's) and no variable of the
// credential chain is set, while the go command's caches still point
// where they were.
func TestIsolateHidesTheUsersCredentials(t *testing.T) {
	real := t.TempDir()
	if err := os.MkdirAll(filepath.Join(real, ".fireworks"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", real)
	t.Setenv("GOMODCACHE", "")
	for _, v := range Variables {
		t.Setenv(v, "set-by-the-developer")
	}
	home, err := Isolate()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(home) }()
	if got := os.Getenv("HOME"); got != home || got == real {
		t.Errorf("HOME = %q, want the new directory %q", got, home)
	}
	if entries, err := os.ReadDir(home); err != nil || len(entries) != 0 {
		t.Errorf("the new HOME holds %v (%v)", entries, err)
	}
	for _, v := range Variables {
		if _, set := os.LookupEnv(v); set {
			t.Errorf("%s is still set", v)
		}
	}
	if got := os.Getenv("GOMODCACHE"); got == "" || filepath.Dir(filepath.Dir(got)) == filepath.Join(home, "go") {
		t.Errorf("GOMODCACHE = %q, want it kept outside the new HOME", got)
	}
}
