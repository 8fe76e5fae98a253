package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// run is updateSpec on a repository with the go command faked.
func run(t *testing.T, repo string, allowBreaking bool, goCmd *fakeGo, specs ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := updateSpec(options{
		repo:          repo,
		specs:         specs,
		allowBreaking: allowBreaking,
		date:          "2025-01-02",
		stdout:        &out,
		goCommand:     goCmd.run,
	})
	return out.String(), err
}

var regenerated = []string{"generate ./gen", "build ./..."}

func TestUpdateSpecAddsAnOperation(t *testing.T) {
	repo := fixtureRepo(t)
	goCmd := &fakeGo{}
	out, err := run(t, repo, false, goCmd, filepath.Join(pagesDir, "add-operation.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(goCmd.calls, regenerated) {
		t.Errorf("go was run as %q, want %q", goCmd.calls, regenerated)
	}
	spec := readFile(t, filepath.Join(repo, "openapi.yaml"))
	if !strings.Contains(spec, "operationId: Gateway_RotateSecret") || !strings.Contains(spec, "  version: 4.260.0\n") {
		t.Error("openapi.yaml does not have the page's operation and version")
	}
	changelog := readFile(t, filepath.Join(repo, "CHANGELOG-spec.md"))
	for _, want := range []string{
		"## 4.259.0 -> 4.260.0 (2025-01-02)",
		"### Operations added\n\n- `POST /v1/accounts/{account_id}/secrets/{secret_id}:rotate` Gateway_RotateSecret\n",
		"### Breaking changes\n\nNone.\n",
	} {
		if !strings.Contains(changelog, want) {
			t.Errorf("CHANGELOG-spec.md lacks %q:\n%s", want, changelog)
		}
	}
	if !strings.Contains(out, "openapi.yaml is now 4.260.0") {
		t.Errorf("output:\n%s", out)
	}
}

func TestUpdateSpecGatesBreakingChanges(t *testing.T) {
	tests := []struct {
		page          string
		allowBreaking bool
		wantFinding   string
		wantRefused   bool
	}{
		{page: "require-field.md", wantFinding: "ERR `request-property-became-required`", wantRefused: true},
		{page: "require-field.md", allowBreaking: true, wantFinding: "ERR `request-property-became-required`"},
		{page: "remove-response-field.md", wantFinding: "WARN `response-optional-property-removed`", wantRefused: true},
		{page: "remove-response-field.md", allowBreaking: true, wantFinding: "WARN `response-optional-property-removed`"},
	}
	for _, tt := range tests {
		name := tt.page
		if tt.allowBreaking {
			name += " with ALLOW_BREAKING=1"
		}
		t.Run(name, func(t *testing.T) {
			repo := fixtureRepo(t)
			before := snapshot(t, repo)
			goCmd := &fakeGo{}
			out, err := run(t, repo, tt.allowBreaking, goCmd, filepath.Join(pagesDir, tt.page))
			if !strings.Contains(out, tt.wantFinding) {
				t.Errorf("the report lacks %q:\n%s", tt.wantFinding, out)
			}
			if !tt.wantRefused {
				if err != nil {
					t.Fatal(err)
				}
				changelog := readFile(t, filepath.Join(repo, "CHANGELOG-spec.md"))
				if !strings.Contains(changelog, "### Breaking changes (accepted with ALLOW_BREAKING=1)\n\n- "+tt.wantFinding) {
					t.Errorf("the changelog does not record the accepted change:\n%s", changelog)
				}
				return
			}
			if !errors.Is(err, errBreaking) || !strings.Contains(err.Error(), "ALLOW_BREAKING=1") {
				t.Fatalf("error %v, want the gate's refusal naming ALLOW_BREAKING=1", err)
			}
			if len(goCmd.calls) > 0 {
				t.Errorf("go was run: %q", goCmd.calls)
			}
			assertUnchanged(t, before, repo)
		})
	}
}

func TestUpdateSpecRefusesBadInputTouchingNothing(t *testing.T) {
	bad := filepath.Join("testdata", "bad")
	tests := []struct {
		file    string
		wantErr string
	}{
		{"no-yaml-block.md", "no-yaml-block.md: no ````yaml block with an OpenAPI document"},
		{"invalid-yaml.md", "invalid-yaml.md:6: not valid YAML"},
		{"not-openapi.yaml", "not-openapi.yaml: not an OpenAPI document: no openapi field"},
		{"renamed-operation.md", "is Gateway_UpdateSecret in openapi.yaml but Gateway_EditSecret in the page"},
		{"moved-operation.md", "operationId Gateway_GetSecret is GET /v2/accounts/{account_id}/secrets/{secret_id} in the page but GET /v1/accounts/{account_id}/secrets/{secret_id} in openapi.yaml"},
		{"dangling-ref.md", "the new spec does not load"},
		{"missing.md", "missing.md: no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			repo := fixtureRepo(t)
			before := snapshot(t, repo)
			goCmd := &fakeGo{}
			_, err := run(t, repo, true, goCmd, filepath.Join(bad, tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
			if len(goCmd.calls) > 0 {
				t.Errorf("go was run: %q", goCmd.calls)
			}
			assertUnchanged(t, before, repo)
		})
	}
}

func TestUpdateSpecRefusesAStaleOverlayAction(t *testing.T) {
	repo := fixtureRepo(t)
	before := snapshot(t, repo)
	// Upstream fixed the GetApiKey path: the overlay's removal of the
	// mangled path matches nothing.
	fixed := strings.Replace(readFile(t, fixtureSpec),
		"/apiKeys/accounts/{account_id}/users/{user_id}:", "/apiKeys/{keyId}:", 1)
	fixed = strings.Replace(fixed, "version: 4.259.0", "version: 4.260.0", 1)
	goCmd := &fakeGo{}
	_, err := run(t, repo, true, goCmd, writeTemp(t, "gateway-4.260.0.yaml", fixed))
	if !errors.Is(err, errStaleOverlay) {
		t.Fatalf("error %v, want the stale overlay refusal", err)
	}
	for _, want := range []string{
		"gen/overlay.yaml match nothing in the new spec",
		"remove them from the overlay",
		"action 2, target $.paths['/v1/accounts/{account_id}/users/{user_id}/apiKeys/accounts/{account_id}/users/{user_id}']",
		`"Remove the mangled Gateway_GetApiKey path."`,
		"openapi.yaml and gen/ are unchanged",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error lacks %q:\n%v", want, err)
		}
	}
	if len(goCmd.calls) > 0 {
		t.Errorf("go was run: %q", goCmd.calls)
	}
	assertUnchanged(t, before, repo)
}

func TestUpdateSpecStoresAWholeDocumentByteForByte(t *testing.T) {
	repo := fixtureRepo(t)
	doc := "# as served\n" + strings.Replace(readFile(t, fixtureSpec), "version: 4.259.0", "version: '4.260.0'", 1)
	if _, err := run(t, repo, false, &fakeGo{}, writeTemp(t, "gateway.yaml", doc)); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(repo, "openapi.yaml")); got != doc {
		t.Error("openapi.yaml is not the document byte for byte")
	}
}

func TestUpdateSpecWithNothingNewWritesNothing(t *testing.T) {
	repo := fixtureRepo(t)
	before := snapshot(t, repo)
	goCmd := &fakeGo{}
	same := asPage(t, "update-secret.md", strings.Replace(strings.Replace(pageBlock(t, "require-field.md"), "                - value\n", "", 1), "4.260.0", "4.259.0", 1))
	out, err := run(t, repo, false, goCmd, same)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "nothing to do") {
		t.Errorf("output:\n%s", out)
	}
	if len(goCmd.calls) > 0 {
		t.Errorf("go was run: %q", goCmd.calls)
	}
	assertUnchanged(t, before, repo)
}

func TestUpdateSpecRestoresWhenGenerationFails(t *testing.T) {
	repo := fixtureRepo(t)
	genFile := filepath.Join(repo, "gen", "gateway.gen.go")
	if err := os.WriteFile(genFile, []byte("package gen\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, repo)
	goCmd := &fakeGo{failOn: "generate", during: func(dir string) {
		// A generator that fails half way: one file rewritten, one added.
		os.WriteFile(filepath.Join(dir, "gen", "gateway.gen.go"), []byte("package gen // half\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "gen", "operations.gen.go"), []byte("package gen\n"), 0o644)
	}}
	_, err := run(t, repo, false, goCmd, filepath.Join(pagesDir, "add-operation.md"))
	if err == nil || !strings.Contains(err.Error(), "go generate ./gen failed on the new spec") || !strings.Contains(err.Error(), "openapi.yaml and gen/ are restored") {
		t.Fatalf("error %v", err)
	}
	assertUnchanged(t, before, repo)
}

func TestUpdateSpecReportsABuildFailureAndKeepsTheUpdate(t *testing.T) {
	repo := fixtureRepo(t)
	goCmd := &fakeGo{failOn: "build"}
	_, err := run(t, repo, true, goCmd, filepath.Join(pagesDir, "require-field.md"))
	if err == nil || !strings.Contains(err.Error(), "the SDK does not build against the new gen/") || !strings.Contains(err.Error(), "git checkout openapi.yaml gen CHANGELOG-spec.md") {
		t.Fatalf("error %v", err)
	}
	if !strings.Contains(readFile(t, filepath.Join(repo, "openapi.yaml")), "version: 4.260.0") {
		t.Error("openapi.yaml was not kept")
	}
	if _, err := os.Stat(filepath.Join(repo, "CHANGELOG-spec.md")); err != nil {
		t.Error("no changelog entry")
	}
}

func TestUpdateSpecKeepsTheSpecsPermissions(t *testing.T) {
	repo := fixtureRepo(t)
	spec := filepath.Join(repo, "openapi.yaml")
	if err := os.Chmod(spec, 0o444); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, repo, false, &fakeGo{}, filepath.Join(pagesDir, "add-operation.md")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(spec)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o444 {
		t.Errorf("mode %v, want -r--r--r--", fi.Mode().Perm())
	}
}

func TestEnvBool(t *testing.T) {
	for _, tt := range []struct {
		value   string
		want    bool
		wantErr bool
	}{{"", false, false}, {"1", true, false}, {"0", false, false}, {"true", true, false}, {"yes", false, true}} {
		t.Setenv("SPECBUMP_TEST_BOOL", tt.value)
		got, err := envBool("SPECBUMP_TEST_BOOL")
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("envBool(%q) = %v, %v", tt.value, got, err)
		}
	}
}
