package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtureRepo copies testdata/repo (a small spec, the generator's
// configuration and an overlay) into a temporary directory.
func fixtureRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "repo"), dir)
	return dir
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot reads every file under dir, by path.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// assertUnchanged fails when a file under dir differs from before, or
// appeared or went away.
func assertUnchanged(t *testing.T, before map[string][]byte, dir string) {
	t.Helper()
	after := snapshot(t, dir)
	for path, data := range before {
		if got, ok := after[path]; !ok {
			t.Errorf("%s was removed", path)
		} else if !bytes.Equal(got, data) {
			t.Errorf("%s was changed", path)
		}
	}
	for path := range after {
		if _, ok := before[path]; !ok {
			t.Errorf("%s was created", path)
		}
	}
}

// fakeGo stands in for the go command: it records the calls, and fails
// those whose arguments start as in failOn.
type fakeGo struct {
	calls  []string
	failOn string
	// during runs on each call, before it returns (to change gen/ like a
	// failing generator would).
	during func(dir string)
}

func (f *fakeGo) run(dir string, args ...string) error {
	call := strings.Join(args, " ")
	f.calls = append(f.calls, call)
	if f.during != nil {
		f.during(dir)
	}
	if f.failOn != "" && strings.HasPrefix(call, f.failOn) {
		return &os.PathError{Op: "go", Path: call, Err: os.ErrInvalid}
	}
	return nil
}

// writeTemp writes a file into a temporary directory and returns its path.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
