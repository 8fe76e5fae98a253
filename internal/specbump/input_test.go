package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// minimalSpec is a one-operation OpenAPI document.
func minimalSpec(version string) string {
	return `openapi: 3.1.0
info:
  title: Gateway REST API
  version: ` + version + `
paths:
  /v1/accounts/{account_id}/secrets/{secret_id}:
    get:
      operationId: Gateway_GetSecret
      responses:
        '200':
          description: A successful response.
`
}

func TestReadSpecInput(t *testing.T) {
	tests := []struct {
		name, file, content string
		wantPage            bool
		wantVersion         string
		wantErr             string
	}{
		{
			name: "docs page as upstream publishes it", file: "get-secret.md",
			content:  "# Get secret\n\n## OpenAPI\n\n````yaml get /v1/accounts/{account_id}/secrets/{secret_id}\n" + minimalSpec("4.260.0") + "````\n",
			wantPage: true, wantVersion: "4.260.0",
		},
		{
			name: "page fenced with tildes", file: "get-secret.md",
			content:  "~~~yml\n" + minimalSpec("4.260.0") + "~~~\n",
			wantPage: true, wantVersion: "4.260.0",
		},
		{
			name: "page with an example yaml block before the spec", file: "get-secret.md",
			content:  "```yaml\nname: example\n```\n\n````yaml\n" + minimalSpec("4.260.0") + "````\n",
			wantPage: true, wantVersion: "4.260.0",
		},
		{
			name: "markdown saved under another extension is still a page", file: "get-secret.txt",
			content:  "# Get secret\n\n````yaml\n" + minimalSpec("4.260.0") + "````\n",
			wantPage: true, wantVersion: "4.260.0",
		},
		{
			name: "whole document", file: "gateway.yaml",
			content:     minimalSpec("5.10.0"),
			wantVersion: "5.10.0",
		},
		{
			name: "page without a yaml block", file: "get-secret.md",
			content: "# Get secret\n\nNo spec here.\n",
			wantErr: "get-secret.md: no ````yaml block with an OpenAPI document",
		},
		{
			name: "block never closed", file: "get-secret.md",
			content: "# Get secret\n\n````yaml\n" + minimalSpec("4.260.0") + "```\n",
			wantErr: "get-secret.md:3: the ````yaml block opened here is never closed",
		},
		{
			name: "two spec blocks", file: "get-secret.md",
			content: "````yaml\n" + minimalSpec("4.260.0") + "````\n````yaml\n" + minimalSpec("4.260.0") + "````\n",
			wantErr: "get-secret.md: 2 yaml blocks hold an OpenAPI document",
		},
		{
			name: "invalid YAML in the block, line counted in the file", file: "get-secret.md",
			content: "# Get secret\n\n````yaml\nopenapi: 3.1.0\ninfo: [\n````\n",
			wantErr: "get-secret.md:4: not valid YAML: yaml: line 5:", // the "info: [" line
		},
		{
			name: "fence names an operation the block lacks", file: "get-secret.md",
			content: "````yaml delete /v1/accounts/{account_id}/secrets/{secret_id}\n" + minimalSpec("4.260.0") + "````\n",
			wantErr: "the page is about DELETE /v1/accounts/{account_id}/secrets/{secret_id}, but its yaml block has no such operation",
		},
		{
			name: "operation without operationId", file: "get-secret.md",
			content: "````yaml\n" + strings.Replace(minimalSpec("4.260.0"), "operationId: Gateway_GetSecret", "summary: Get secret", 1) + "````\n",
			wantErr: "GET /v1/accounts/{account_id}/secrets/{secret_id} has no operationId",
		},
		{
			name: "no info.version", file: "get-secret.md",
			content: "````yaml\n" + strings.Replace(minimalSpec("4.260.0"), "  version: 4.260.0\n", "", 1) + "````\n",
			wantErr: "no info.version",
		},
		{
			name: "key twice in a mapping", file: "get-secret.md",
			content: "# Get secret\n\n````yaml\n" + strings.Replace(minimalSpec("4.260.0"), "      operationId: Gateway_GetSecret\n", "      operationId: Gateway_GetSecret\n      operationId: Gateway_ReadSecret\n", 1) + "````\n",
			wantErr: `get-secret.md:4: line 12: the key "operationId" appears twice in one mapping`,
		},
		{
			name: "document that is not OpenAPI", file: "config.yaml",
			content: "apiVersion: v1\nkind: ConfigMap\n",
			wantErr: "config.yaml: not an OpenAPI document: no openapi field",
		},
		{
			name: "Swagger 2.0 document", file: "swagger.yaml",
			content: "swagger: '2.0'\ninfo:\n  version: 1.0.0\npaths: {}\n",
			wantErr: "swagger.yaml: a Swagger 2.0 document, not OpenAPI 3",
		},
		{
			name: "document that is a list", file: "list.yaml",
			content: "- openapi: 3.1.0\n",
			wantErr: "list.yaml: not an OpenAPI document: its top level is not a mapping",
		},
		{
			name: "invalid YAML document", file: "broken.yaml",
			content: "openapi: 3.1.0\ninfo: {version: [\n",
			wantErr: "broken.yaml: not valid YAML",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := readSpecInput(writeTemp(t, tt.file, tt.content))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if in.page != tt.wantPage || in.version != tt.wantVersion {
				t.Errorf("page %v version %q, want page %v version %q", in.page, in.version, tt.wantPage, tt.wantVersion)
			}
		})
	}
}

func TestReadSpecInputReadsTheUpstreamPageShape(t *testing.T) {
	in, err := readSpecInput(filepath.Join("testdata", "pages", "require-field.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !in.page || in.version != "4.260.0" {
		t.Fatalf("page %v version %q", in.page, in.version)
	}
	// The document starts on the line after the fence, and messages name
	// the file's lines.
	if want := "require-field.md:"; !strings.HasPrefix(in.doc.name, want) {
		t.Errorf("name %q, want it to start with %q", in.doc.name, want)
	}
	if got := string(in.doc.line(1)); got != "openapi: 3.1.0" {
		t.Errorf("first line of the block %q", got)
	}
}
