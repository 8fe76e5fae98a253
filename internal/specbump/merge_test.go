package main

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var (
	fixtureSpec = filepath.Join("testdata", "repo", "openapi.yaml")
	pagesDir    = filepath.Join("testdata", "pages")
)

// pageBlock returns the yaml block of a fixture page.
func pageBlock(t *testing.T, name string) string {
	t.Helper()
	in, err := readSpecInput(filepath.Join(pagesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(in.doc.text)
}

// between returns the text of s from the line that starts with from up to
// the line that starts with to.
func between(t *testing.T, s, from, to string) string {
	t.Helper()
	i := strings.Index(s, "\n"+from)
	j := strings.Index(s[i+1:], "\n"+to)
	if i < 0 || j < 0 {
		t.Fatalf("no %q ... %q in the text", from, to)
	}
	return s[i+1 : i+1+j+1]
}

// asPage wraps a YAML document in a docs page.
func asPage(t *testing.T, name, doc string) string {
	return writeTemp(t, name, "# A page\n\n## OpenAPI\n\n````yaml\n"+doc+"````\n")
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("no %q in the text", old)
	}
	return strings.Replace(s, old, new, 1)
}

// atBaseVersion writes a copy of a fixture page at the fixture spec's
// version, 4.259.0: a page of the spec's own version adds no
// x-spec-version marks (versions_test.go tests them), so the tests of the
// splicing can say exactly which lines change.
func atBaseVersion(t *testing.T, name string) string {
	t.Helper()
	return writeTemp(t, name, replaceOnce(t, readFile(t, filepath.Join(pagesDir, name)), "  version: 4.260.0\n", "  version: 4.259.0\n"))
}

func TestBuildSpecAddsAnOperationWhereAReaderLooksForIt(t *testing.T) {
	base := readFile(t, fixtureSpec)
	built, err := buildSpec([]byte(base), []string{atBaseVersion(t, "add-operation.md")})
	if err != nil {
		t.Fatal(err)
	}
	got := built.text
	page := pageBlock(t, "add-operation.md")
	// Copied from the page as upstream wrote it: beside the path it
	// extends, and among the schemas in their sorted order (last here).
	pathEntry := between(t, page, "  /v1/accounts/{account_id}/secrets/{secret_id}:rotate:", "components:")
	schemaEntry := between(t, page, "    gatewaySecretRotation:", "  securitySchemes:")
	want := replaceOnce(t, base, "  /v1/accounts/{account_id}/users/", pathEntry+"  /v1/accounts/{account_id}/users/")
	want += schemaEntry
	if string(got) != want {
		t.Errorf("openapi.yaml is not the old one with the page's entries inserted:\n%s", lineDiff(want, string(got)))
	}
}

func TestBuildSpecChangesOnlyWhatThePageChanges(t *testing.T) {
	base := readFile(t, fixtureSpec)
	bumped := base // the pages are at the spec's version: see atBaseVersion
	totalSize := "        totalSize:\n          type: integer\n          format: int32\n          description: The total number of secrets.\n"
	listDescription := "      description: >-\n        Lists all secrets for an account. Note that the `value` field is not\n        returned in the response for security reasons. Only the `name` and\n        `key_name` fields are included for each secret.\n"
	requireField := strings.Replace(pageBlock(t, "require-field.md"), "4.260.0", "4.259.0", 1)
	removeResponseField := strings.Replace(pageBlock(t, "remove-response-field.md"), "4.260.0", "4.259.0", 1)

	tests := []struct {
		name string
		page func(t *testing.T) string
		want func(t *testing.T) string
	}{
		{
			name: "required request field added",
			page: func(t *testing.T) string { return atBaseVersion(t, "require-field.md") },
			want: func(t *testing.T) string {
				return replaceOnce(t, bumped, "                - keyName\n        required: true", "                - keyName\n                - value\n        required: true")
			},
		},
		{
			name: "response field removed, operation written in another key order",
			page: func(t *testing.T) string { return atBaseVersion(t, "remove-response-field.md") },
			want: func(t *testing.T) string { return replaceOnce(t, bumped, totalSize, "") },
		},
		{
			name: "one parameter's description changed",
			page: func(t *testing.T) string {
				doc := replaceOnce(t, requireField, "                - value\n", "")
				return asPage(t, "update-secret.md", replaceOnce(t, doc, "description: The Secret Id", "description: The id of the secret"))
			},
			want: func(t *testing.T) string {
				return replaceOnce(t, bumped, "description: The Secret Id\n          schema:\n            type: string\n      requestBody:", "description: The id of the secret\n          schema:\n            type: string\n      requestBody:")
			},
		},
		{
			name: "a field of the operation removed",
			page: func(t *testing.T) string {
				return asPage(t, "list-secrets.md", replaceOnce(t, removeResponseField, listDescription, ""))
			},
			want: func(t *testing.T) string {
				return replaceOnce(t, replaceOnce(t, bumped, totalSize, ""), listDescription, "")
			},
		},
		{
			name: "operation added to a known path",
			page: func(t *testing.T) string {
				doc := replaceOnce(t, replaceOnce(t, requireField, "    patch:\n", "    put:\n"), "Gateway_UpdateSecret", "Gateway_ReplaceSecret")
				return asPage(t, "replace-secret.md", doc)
			},
			want: func(t *testing.T) string {
				doc := replaceOnce(t, replaceOnce(t, requireField, "    patch:\n", "    put:\n"), "Gateway_UpdateSecret", "Gateway_ReplaceSecret")
				// After patch, the method it shares most of its name with.
				return replaceOnce(t, bumped, "    delete:\n      operationId: Gateway_DeleteSecret", between(t, doc, "    put:", "components:")+"    delete:\n      operationId: Gateway_DeleteSecret")
			},
		},
		{
			name: "page saved with CRLF line ends",
			page: func(t *testing.T) string {
				return asPage(t, "update-secret.md", strings.ReplaceAll(requireField, "\n", "\r\n"))
			},
			want: func(t *testing.T) string {
				return replaceOnce(t, bumped, "                - keyName\n        required: true", "                - keyName\n                - value\n        required: true")
			},
		},
		{
			name: "same content written by another serializer",
			page: func(t *testing.T) string {
				// The update secret page re-encoded by yaml.v3: other key order
				// for the document, other indentation, other line folding.
				var doc yaml.Node
				if err := yaml.Unmarshal([]byte(replaceOnce(t, requireField, "                - value\n", "")), &doc); err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				enc := yaml.NewEncoder(&buf)
				enc.SetIndent(4)
				if err := enc.Encode(&doc); err != nil {
					t.Fatal(err)
				}
				return asPage(t, "update-secret.md", buf.String())
			},
			want: func(t *testing.T) string { return base },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			built, err := buildSpec([]byte(base), []string{tt.page(t)})
			if err != nil {
				t.Fatal(err)
			}
			if want := tt.want(t); string(built.text) != want {
				t.Errorf("diff (- want, + got):\n%s", lineDiff(want, string(built.text)))
			}
		})
	}
}

func TestBuildSpecMergesSeveralPages(t *testing.T) {
	base := readFile(t, fixtureSpec)
	pages := []string{filepath.Join(pagesDir, "add-operation.md"), filepath.Join(pagesDir, "require-field.md")}
	built, err := buildSpec([]byte(base), pages)
	if err != nil {
		t.Fatal(err)
	}
	got, sources := built.text, built.sources
	for _, want := range []string{"operationId: Gateway_RotateSecret", "    gatewaySecretRotation:", "                - value\n", "  version: 4.260.0\n"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("the merged spec lacks %q", want)
		}
	}
	if want := "`add-operation.md`, `require-field.md`"; strings.Join(sources, ", ") != want {
		t.Errorf("sources %q, want %q", sources, want)
	}
}

func TestBuildSpecTakesAWholeDocumentByteForByte(t *testing.T) {
	base := readFile(t, fixtureSpec)
	// Upstream's bytes, whatever their style: a comment, other quoting.
	doc := "# served by upstream\n" + strings.Replace(strings.Replace(base, "4.259.0", "4.260.0", 1), "'200'", "\"200\"", -1)
	built, err := buildSpec([]byte(base), []string{writeTemp(t, "gateway-openapi.yaml", doc)})
	if err != nil {
		t.Fatal(err)
	}
	got, sources := built.text, built.sources
	if string(got) != doc {
		t.Error("the whole document was not taken byte for byte")
	}
	if want := "`gateway-openapi.yaml` (whole document)"; sources[0] != want {
		t.Errorf("source %q, want %q", sources[0], want)
	}
}

func TestBuildSpecRefusesContradictions(t *testing.T) {
	base := readFile(t, fixtureSpec)
	requireField := pageBlock(t, "require-field.md")
	tests := []struct {
		name    string
		pages   func(t *testing.T) []string
		wantErr string
	}{
		{
			name:    "same path and method, another operationId",
			pages:   func(t *testing.T) []string { return []string{filepath.Join("testdata", "bad", "renamed-operation.md")} },
			wantErr: "renamed-operation.md:6: PATCH /v1/accounts/{account_id}/secrets/{secret_id} is Gateway_UpdateSecret in openapi.yaml but Gateway_EditSecret in the page",
		},
		{
			name:    "same operationId at another path",
			pages:   func(t *testing.T) []string { return []string{filepath.Join("testdata", "bad", "moved-operation.md")} },
			wantErr: "moved-operation.md:6: operationId Gateway_GetSecret is GET /v2/accounts/{account_id}/secrets/{secret_id} in the page but GET /v1/accounts/{account_id}/secrets/{secret_id} in openapi.yaml",
		},
		{
			name: "path-level parameters that other operations share",
			pages: func(t *testing.T) []string {
				doc := replaceOnce(t, requireField, "    patch:\n", "    parameters:\n      - name: account_id\n        in: path\n        required: true\n        schema:\n          type: string\n    patch:\n")
				return []string{asPage(t, "update-secret.md", doc)}
			},
			wantErr: "update-secret.md:6: changes the path-level parameters of /v1/accounts/{account_id}/secrets/{secret_id}, which GET /v1/accounts/{account_id}/secrets/{secret_id} shares",
		},
		{
			name: "another OpenAPI version",
			pages: func(t *testing.T) []string {
				return []string{asPage(t, "update-secret.md", replaceOnce(t, requireField, "openapi: 3.1.0", "openapi: 3.0.3"))}
			},
			wantErr: "update-secret.md:6: OpenAPI 3.0, but the vendored spec is OpenAPI 3.1",
		},
		{
			name: "two pages disagree about a schema",
			pages: func(t *testing.T) []string {
				other := replaceOnce(t, requireField, "        - keyName\n  securitySchemes:", "        - keyName\n        - value\n  securitySchemes:")
				return []string{filepath.Join(pagesDir, "require-field.md"), asPage(t, "other.md", other)}
			},
			wantErr: "require-field.md:14 and other.md:6 disagree about components.schemas.gatewaySecret",
		},
		{
			name: "pages of two versions",
			pages: func(t *testing.T) []string {
				other := replaceOnce(t, requireField, "version: 4.260.0", "version: 4.261.0")
				return []string{filepath.Join(pagesDir, "require-field.md"), asPage(t, "other.md", other)}
			},
			wantErr: "the files disagree on info.version (4.260.0 in require-field.md; 4.261.0 in other.md)",
		},
		{
			name: "two whole documents",
			pages: func(t *testing.T) []string {
				return []string{writeTemp(t, "a.yaml", base), writeTemp(t, "b.yaml", base)}
			},
			wantErr: "are both whole documents: give one",
		},
		{
			name:    "no file",
			pages:   func(t *testing.T) []string { return nil },
			wantErr: "no spec given",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := buildSpec([]byte(base), tt.pages(t))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestInsertAt(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		key  string
		want int
	}{
		{"sorted keys stay sorted", []string{"gatewayApiKey", "gatewaySecret", "gatewayUser"}, "gatewayRole", 1},
		{"sorted keys, new last", []string{"a", "b"}, "c", 2},
		{"beside the longest shared prefix", []string{"/v1/a", "/v1/secrets", "/v1/b", "/v1/secrets/{id}", "/v1/c"}, "/v1/secrets/{id}:rotate", 4},
		{"nothing shared goes last", []string{"get", "post", "delete"}, "x-extension", 3},
		{"empty", nil, "a", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := insertAt(tt.keys, tt.key); got != tt.want {
				t.Errorf("insertAt(%q, %q) = %d, want %d", tt.keys, tt.key, got, tt.want)
			}
		})
	}
}

// lineDiff shows the lines of want and got from the first that differs.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	var b strings.Builder
	for n := i; n < len(w) && n < i+8; n++ {
		b.WriteString("- " + w[n] + "\n")
	}
	for n := i; n < len(g) && n < i+8; n++ {
		b.WriteString("+ " + g[n] + "\n")
	}
	return "from line " + strconv.Itoa(i+1) + ":\n" + b.String()
}
