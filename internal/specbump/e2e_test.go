package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEndToEndAnAddedOperationIsCallable runs the whole bump on a copy of
// the SDK (its tracked files): update-spec with a docs page that adds one
// operation, the real go generate and build, and then a program that calls
// the new operation through api.Client against an httptest server. No
// file of the copy is edited by hand. It is the one slow test (30-60 s on
// two cores, most of it compiling the regenerated client); -short skips it.
func TestEndToEndAnAddedOperationIsCallable(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the regenerated SDK; run without -short")
	}
	copyDir := copyTrackedFiles(t, sdkRoot)
	oldSpec := readFile(t, filepath.Join(copyDir, "openapi.yaml"))
	page, err := filepath.Abs(filepath.Join(pagesDir, "add-operation.md"))
	if err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	start := time.Now()
	err = updateSpec(options{
		repo:         copyDir,
		specs:        []string{page},
		date:         "2025-01-02",
		stdout:       &out,
		goCommand:    runGo,
		compareGoAPI: compareGoAPI,
	})
	if err != nil {
		t.Fatalf("update-spec: %v\n%s", err, out.String())
	}
	t.Logf("update-spec with go generate and go build: %v", time.Since(start).Round(time.Second))
	if want := "- `POST /v1/accounts/{account_id}/secrets/{secret_id}:rotate` Gateway_RotateSecret"; !strings.Contains(out.String(), want) {
		t.Errorf("the report lacks %q:\n%s", want, out.String())
	}
	assertOnlyInsertions(t, oldSpec, readFile(t, filepath.Join(copyDir, "openapi.yaml")))
	if changelog := readFile(t, filepath.Join(copyDir, "CHANGELOG-spec.md")); !strings.Contains(changelog, "-> 4.260.0 (2025-01-02)") {
		t.Errorf("CHANGELOG-spec.md has no entry for the bump:\n%s", changelog)
	}

	program := readFile(t, filepath.Join("testdata", "e2e", "main.go"))
	dir := filepath.Join(copyDir, "internal", "specbumpe2e")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "run", "./internal/specbumpe2e")
	cmd.Dir = copyDir
	result, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(result)) != "ok" {
		t.Fatalf("calling the added operation through api.Client: %v\n%s", err, result)
	}
}

// copyTrackedFiles copies the files git tracks in repo (as the working
// tree has them) into a temporary directory.
func copyTrackedFiles(t *testing.T, repo string) string {
	t.Helper()
	list, err := exec.Command("git", "-C", repo, "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("the SDK is not a git checkout here (git ls-files: %v)", err)
	}
	dir := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(repo, name))
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		to := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// assertOnlyInsertions checks that the new text is the old one with lines
// inserted and the info.version line changed: the diff a reviewer sees is
// the new operation and nothing else.
func assertOnlyInsertions(t *testing.T, oldText, newText string) {
	t.Helper()
	oldLines, newLines := strings.Split(oldText, "\n"), strings.Split(newText, "\n")
	j := 0
	for i, line := range oldLines {
		for j < len(newLines) && newLines[j] != line && !(strings.HasPrefix(line, "  version: ") && strings.HasPrefix(newLines[j], "  version: ")) {
			j++
		}
		if j == len(newLines) {
			t.Fatalf("line %d of the old openapi.yaml (%q) is gone or moved", i+1, line)
		}
		j++
	}
	if added := len(newLines) - len(oldLines); added <= 0 {
		t.Errorf("%d lines added", added)
	}
}
