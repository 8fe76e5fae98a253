package main

import (
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
			text, _, err := buildSpec([]byte(base), []string{filepath.Join(pagesDir, name)})
			if err != nil {
				t.Fatal(err)
			}
			return string(text)
		}
	}
	getSecret := between(t, base, "  /v1/accounts/{account_id}/secrets/{secret_id}:", "  /v1/accounts/{account_id}/users/")
	tests := []struct {
		name         string
		newSpec      func(t *testing.T) string
		wantAdded    []string
		wantRemoved  []string
		wantBreaking []string // level and check id
	}{
		{
			name:      "one operation added",
			newSpec:   fromPage("add-operation.md"),
			wantAdded: []string{"`POST /v1/accounts/{account_id}/secrets/{secret_id}:rotate` Gateway_RotateSecret"},
		},
		{
			name:         "one required request field added",
			newSpec:      fromPage("require-field.md"),
			wantBreaking: []string{"ERR request-property-became-required"},
		},
		{
			// oasdiff rates it INFO (the wire stays compatible); for the SDK
			// it removes a struct field, so sdkSeverity makes it WARN.
			name:         "one response field removed",
			newSpec:      fromPage("remove-response-field.md"),
			wantBreaking: []string{"WARN response-optional-property-removed"},
		},
		{
			name:         "operations removed",
			newSpec:      func(t *testing.T) string { return replaceOnce(t, base, getSecret, "") },
			wantRemoved:  []string{"`DELETE /v1/accounts/{account_id}/secrets/{secret_id}` Gateway_DeleteSecret", "`GET /v1/accounts/{account_id}/secrets/{secret_id}` Gateway_GetSecret", "`PATCH /v1/accounts/{account_id}/secrets/{secret_id}` Gateway_UpdateSecret"},
			wantBreaking: []string{"ERR api-path-removed-without-deprecation", "ERR api-path-removed-without-deprecation", "ERR api-path-removed-without-deprecation"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := compareSpecs([]byte(base), []byte(tt.newSpec(t)))
			if err != nil {
				t.Fatal(err)
			}
			var breaking []string
			for _, f := range r.breaking {
				breaking = append(breaking, f.level+" "+f.check)
			}
			if !slices.Equal(stringsOf(r.added), tt.wantAdded) || !slices.Equal(stringsOf(r.removed), tt.wantRemoved) || !slices.Equal(breaking, tt.wantBreaking) {
				t.Errorf("added %q removed %q breaking %q\nwant added %q removed %q breaking %q", stringsOf(r.added), stringsOf(r.removed), breaking, tt.wantAdded, tt.wantRemoved, tt.wantBreaking)
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

func TestSDKSeverityNamesChecksOasdiffHas(t *testing.T) {
	known := checker.GetCheckLevels()
	for id := range sdkSeverity {
		if _, ok := known[id]; !ok {
			t.Errorf("oasdiff has no check %q any more: update sdkSeverity", id)
		}
	}
}

func TestChangelogEntry(t *testing.T) {
	r := &specReport{
		oldVersion: "4.259.0", newVersion: "4.260.0",
		added:    []operationRef{{method: "POST", path: "/v1/a:rotate", id: "Gateway_Rotate"}},
		breaking: []finding{{level: "ERR", check: "request-property-became-required", operation: "PATCH /v1/a", id: "Gateway_UpdateA", text: "the request property `value` became required"}},
		other:    []finding{{level: "INFO", check: "api-major-version-not-bumped", text: "a breaking change was detected"}},
	}
	want := "## 4.259.0 -> 4.260.0 (2025-01-02)\n\n" +
		"From `a.md` (docs page).\n\n" +
		"### Operations added\n\n- `POST /v1/a:rotate` Gateway_Rotate\n\n" +
		"### Operations removed\n\nNone.\n\n" +
		"### Breaking changes (accepted with ALLOW_BREAKING=1)\n\n- ERR `request-property-became-required` `PATCH /v1/a` Gateway_UpdateA: the request property `value` became required\n\n" +
		"### Other changes\n\n- INFO `api-major-version-not-bumped`: a breaking change was detected\n"
	if got := r.changelogEntry("2025-01-02", []string{"`a.md` (docs page)"}, true); got != want {
		t.Errorf("entry:\n%s\nwant:\n%s", got, want)
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
