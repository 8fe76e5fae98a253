package main

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tarOf makes a tar stream of the given entries (a name ending in "/" is a
// directory).
func tarOf(t *testing.T, entries map[string]string) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, body := range entries {
		h := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(name, "/") {
			h = &tar.Header{Name: name, Mode: 0o755, Typeflag: tar.TypeDir}
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf
}

// TestExtractTarWritesTheTree: files and directories land under the
// directory, nested ones too.
func TestExtractTarWritesTheTree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "old")
	if err := extractTar(tarOf(t, map[string]string{"go.mod": "module x\n", "api/": "", "api/a.go": "package api\n"}), dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"go.mod": "module x\n", "api/a.go": "package api\n"} {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
}

// TestExtractTarRefusesAnEntryOutsideItsDirectory: a name that climbs out
// (../x) or is absolute is an error, and nothing is written outside.
func TestExtractTarRefusesAnEntryOutsideItsDirectory(t *testing.T) {
	for _, name := range []string{"../escaped.go", "/tmp/escaped.go", "api/../../escaped.go"} {
		parent := t.TempDir()
		err := extractTar(tarOf(t, map[string]string{name: "package x\n"}), filepath.Join(parent, "old"))
		if err == nil || !strings.Contains(err.Error(), "outside the tree") {
			t.Errorf("%s: err = %v, want it refused", name, err)
		}
		if _, err := os.Stat(filepath.Join(parent, "escaped.go")); err == nil {
			t.Errorf("%s: written outside the directory", name)
		}
	}
}

// TestRewriteModulePathRenamesTheModuleEverywhere: go.mod and every import
// of the module's packages take the new path; other files are left alone.
func TestRewriteModulePathRenamesTheModuleEverywhere(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":        "module " + modulePath + "\n\ngo 1.26.0\n",
		"api/a.go":      "package api\n\nimport \"" + modulePath + "/gen\"\n",
		"gen/g.go":      "package gen\n",
		"README.md":     "go get " + modulePath + "\n",
		"api/b_test.go": "package api_test\n\nimport \"" + modulePath + "/api\"\n",
	}
	for name, body := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := rewriteModulePath(dir, modulePath, oldPath); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"go.mod":        "module oldsdk\n\ngo 1.26.0\n",
		"api/a.go":      "package api\n\nimport \"oldsdk/gen\"\n",
		"api/b_test.go": "package api_test\n\nimport \"oldsdk/api\"\n",
		"README.md":     "go get " + modulePath + "\n",
	} {
		if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// TestTheHarnessModuleRequiresBothTrees: the harness's go.mod replaces the
// module by this checkout and oldsdk by the old tree, with the checkout's
// go version, and the harness's benchmark files are copied beside it.
func TestTheHarnessModuleRequiresBothTrees(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir, old := t.TempDir(), "/tmp/old-tree"
	if err := writeHarness(dir, repo, old, "testdata/harness"); err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"module " + harnessPath + "\n", "\ngo 1.", "replace " + modulePath + " => " + repo + "\n", "replace oldsdk => " + old + "\n"} {
		if !strings.Contains(string(mod), want) {
			t.Errorf("go.mod lacks %q:\n%s", want, mod)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "against_test.go")); err != nil {
		t.Errorf("the harness was not copied: %v", err)
	}
	if err := writeHarness(t.TempDir(), repo, old, t.TempDir()); err == nil {
		t.Error("a harness directory without Go files was taken")
	}
}
