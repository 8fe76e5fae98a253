package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
)

func loadSpec(t *testing.T, yaml string) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

const miniSpec = `
openapi: 3.1.0
info: {title: t, version: 1.2.3}
paths:
  /v1/things:
    get:
      operationId: Gateway_ListThings
      tags: [Gateway]
      parameters:
        - {name: pageToken, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/gatewayListThingsResponse'}
    post:
      operationId: Gateway_CreateThing
      tags: [Gateway]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                token: {type: string, description: "INPUT_ONLY: never returned"}
                password: {type: string, format: password}
                hidden: {type: string, writeOnly: true}
                marked: {type: string, x-sensitive: true}
                plain: {type: string}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/gatewayThing'}}}}
  /v1/untagged:
    get:
      operationId: Untagged_Op
      responses:
        '200': {description: ok}
components:
  schemas:
    gatewayThing:
      type: object
      properties:
        name: {type: string}
    gatewayListThingsResponse:
      type: object
      properties:
        things: {type: array, items: {$ref: '#/components/schemas/gatewayThing'}}
        nextPageToken: {type: string}
`

// TestStripTagPrefixes: an id loses the prefix of its own first tag only,
// and two operations that would share a name are an error.
func TestStripTagPrefixes(t *testing.T) {
	doc := loadSpec(t, miniSpec)
	upstream, err := stripTagPrefixes(doc)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, op := range operations(doc) {
		got[op.Operation.OperationID] = upstream[op.Operation.OperationID]
	}
	want := map[string]string{"ListThings": "Gateway_ListThings", "CreateThing": "Gateway_CreateThing", "Untagged_Op": "Untagged_Op"}
	for id, up := range want {
		if got[id] != up {
			t.Errorf("%s: upstream id %q, want %q (all: %v)", id, got[id], up, got)
		}
	}

	clash := loadSpec(t, strings.Replace(miniSpec, "operationId: Untagged_Op", "operationId: ListThings\n      tags: [Gateway]", 1))
	if _, err := stripTagPrefixes(clash); err == nil || !strings.Contains(err.Error(), "both become") {
		t.Errorf("err = %v, want a clash reported", err)
	}
}

// TestListOperationsAreFoundByShape: pageToken in, nextPageToken and one
// array of named items out; nothing else is a List operation.
func TestListOperationsAreFoundByShape(t *testing.T) {
	doc := loadSpec(t, miniSpec)
	lists, err := listOperations(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(lists) != 1 || lists[0].ID != "Gateway_ListThings" || lists[0].ItemsField != "things" ||
		lists[0].ItemSchema != "gatewayThing" || lists[0].PageSchema != "gatewayListThingsResponse" || !lists[0].ItemsPointer {
		t.Errorf("lists = %+v", lists)
	}
}

// TestSensitiveFields: INPUT_ONLY, writeOnly, format password and the
// overlay's x-sensitive mark a field; nothing else does.
func TestSensitiveFields(t *testing.T) {
	got := strings.Join(sensitiveFields(loadSpec(t, miniSpec)), ",")
	if got != "hidden,marked,password,token" {
		t.Errorf("sensitive fields %s", got)
	}
}

// templateEdit is one change of a vendored oapi-codegen template: Old,
// found exactly once in the pinned upstream template, becomes New.
type templateEdit struct{ Why, Old, New string }

// templateEdits are the changes that gen/templates makes to oapi-codegen's
// own templates, by template file name; nothing else differs.
var templateEdits = map[string][]templateEdit{
	"client.tmpl": {
		{
			Why: "every request builder checks its path parameters (pathparam.Check) before building the path",
			Old: "{{range $paramIdx, $param := .PathParams}}\n    var pathParam{{$paramIdx}} string\n",
			New: "{{range $paramIdx, $param := .PathParams}}\n    var pathParam{{$paramIdx}} string\n" +
				"    if err := pathparam.Check(\"{{.ParamName}}\", {{.GoVariableName}}); err != nil {\n        return nil, err\n    }\n",
		},
		{
			Why: "a doc comment starts with the name it documents",
			Old: "// Doer performs HTTP requests.",
			New: "// HttpRequestDoer performs HTTP requests.",
		},
		{
			Why: "every exported method has a doc comment",
			Old: "\tDo(req *http.Request) (*http.Response, error)\n",
			New: "\t// Do sends req and returns its response, as http.Client.Do does.\n\tDo(req *http.Request) (*http.Response, error)\n",
		},
		{
			Why: "Deprecated: is a paragraph of its own, or tools do not see it",
			Old: "{{with .DeprecationComment}}{{.}}\n{{end -}}func (c *{{ $clientTypeName }}) {{$opid}}{{if .HasBody}}",
			New: "{{with .DeprecationComment}}//\n{{.}}\n{{end -}}func (c *{{ $clientTypeName }}) {{$opid}}{{if .HasBody}}",
		},
		{
			Why: "Deprecated: is a paragraph of its own, or tools do not see it",
			Old: "{{with $deprecationComment}}{{.}}\n{{end -}}func (c *{{ $clientTypeName }}) {{$opid}}{{.Suffix}}",
			New: "{{with $deprecationComment}}//\n{{.}}\n{{end -}}func (c *{{ $clientTypeName }}) {{$opid}}{{.Suffix}}",
		},
	},
	"client-with-responses.tmpl": {
		{
			Why: "Deprecated: is a paragraph of its own, or tools do not see it",
			Old: "{{with $deprecationComment}}{{.}}\n{{end -}}func (c *ClientWithResponses)",
			New: "{{with $deprecationComment}}//\n{{.}}\n{{end -}}func (c *ClientWithResponses)",
		},
		{
			Why: "every exported type has a doc comment",
			Old: "{{end}}\ntype {{genResponseTypeName $opid | ucFirst}} struct {\n",
			New: "{{end}}\n// {{genResponseTypeName $opid | ucFirst}} is the answer to {{$opid}}: its body, its HTTP response, and the body decoded by status.\n" +
				"type {{genResponseTypeName $opid | ucFirst}} struct {\n",
		},
		{
			Why: "the article follows the next word's sound (a UpdateUser...): no article",
			Old: "parses an HTTP response from a {{$opid}}WithResponse call",
			New: "parses an HTTP response to {{$opid}}WithResponse",
		},
	},
}

// TestVendoredTemplatesAreUpstreamPlusEdits: every template of
// gen/templates is the pinned oapi-codegen's own with exactly the edits of
// templateEdits, and the configuration uses each. An upgrade of
// oapi-codegen that changes a template fails here: copy the new upstream
// template and apply the edits again.
func TestVendoredTemplatesAreUpstreamPlusEdits(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/oapi-codegen/oapi-codegen/v2").Output()
	if err != nil {
		t.Fatal(err)
	}
	vendoredFiles, err := filepath.Glob("../../gen/templates/*.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	if len(vendoredFiles) != len(templateEdits) {
		t.Errorf("gen/templates has %d templates, templateEdits describes %d", len(vendoredFiles), len(templateEdits))
	}
	config, err := os.ReadFile("../../gen/oapi-codegen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, edits := range templateEdits {
		if !strings.Contains(string(config), name+": templates/"+name) {
			t.Errorf("gen/oapi-codegen.yaml does not use templates/%s", name)
		}
		upstream, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "pkg", "codegen", "templates", name))
		if err != nil {
			t.Fatal(err)
		}
		vendored, err := os.ReadFile(filepath.Join("../../gen/templates", name))
		if err != nil {
			t.Fatal(err)
		}
		want := string(upstream)
		for _, e := range edits {
			if n := strings.Count(want, e.Old); n != 1 {
				t.Fatalf("%s: the pinned upstream template has %q %d times, want 1 (%s): re-vendor gen/templates/%s", name, e.Old, n, e.Why, name)
			}
			want = strings.Replace(want, e.Old, e.New, 1)
		}
		if string(vendored) != want {
			t.Errorf("gen/templates/%s is not the pinned upstream template plus templateEdits: re-vendor it from oapi-codegen's pkg/codegen/templates/%s", name, name)
		}
	}
}

// TestOverlayActionMatchingNothingFails: strict overlays fail generation
// when an action's target is gone (upstream fixed the defect).
func TestOverlayActionMatchingNothingFails(t *testing.T) {
	dir := t.TempDir()
	overlay := `overlay: 1.0.0
info: {title: t, version: 1.0.0}
actions:
  - target: $.paths['/v1/no/such/path']
    remove: true
`
	config := "package: gen\noutput: out.gen.go\ngenerate: {models: true}\noutput-options:\n  overlay:\n    path: overlay.yaml\n"
	if err := os.WriteFile(filepath.Join(dir, "overlay.yaml"), []byte(overlay), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := generate(filepath.Join(dir, "config.yaml"), "../../openapi.yaml")
	if err == nil || !strings.Contains(err.Error(), "no/such/path") {
		t.Errorf("err = %v, want the unmatched target named", err)
	}
}

// notSecrets are properties whose names look like credentials but hold
// none, each with the reason. A new credential-looking property of a spec
// bump fails TestEveryCredentialLookingFieldIsClassified until it is marked
// x-sensitive in gen/overlay.yaml or added here.
var notSecrets = map[string]string{
	"nextPageToken":       "a pagination cursor",
	"pageToken":           "a pagination cursor",
	"credentialsSecret":   "the resource name of a Secret, not its value",
	"sasTokenSecret":      "the resource name of a Secret, not its value",
	"apiKeyId":            "an identifier",
	"keyId":               "an identifier",
	"keyName":             "the name under which a secret is exposed",
	"tokenizerConfigJson": "a tokenizer's configuration",
}

// TestEveryCredentialLookingFieldIsClassified: every string (or list of
// strings) property of the spec, after the overlay, whose name says
// secret, token, password, key or credential is either sensitive (and so
// redacted everywhere) or explained in notSecrets.
func TestEveryCredentialLookingFieldIsClassified(t *testing.T) {
	spec, err := util.LoadSwaggerWithOverlay("../../openapi.yaml", util.LoadSwaggerWithOverlayOpts{Path: "../../gen/overlay.yaml", Strict: true, AllowRemoteRefsFrom: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	sensitive := map[string]bool{}
	for _, f := range sensitiveFields(spec) {
		sensitive[f] = true
	}
	looksSecret := regexp.MustCompile(`(?i)(secret|token|passw|apikey|api_key|credential|private|^key$)`)
	// Text that can hold a credential: a string that is not a number
	// written as a string (int64 counts of tokens), or a list of them.
	isText := func(s *openapi3.Schema) bool {
		text := func(s *openapi3.Schema) bool {
			return s.Type.Is("string") && !strings.HasPrefix(strings.TrimPrefix(s.Format, "u"), "int")
		}
		return text(s) || (s.Type.Is("array") && s.Items != nil && s.Items.Value != nil && text(s.Items.Value))
	}
	unclassified := map[string]bool{}
	for _, ref := range spec.Components.Schemas {
		for name, prop := range ref.Value.Properties {
			if prop.Value != nil && isText(prop.Value) && looksSecret.MatchString(name) && !sensitive[name] && notSecrets[name] == "" {
				unclassified[name] = true
			}
		}
	}
	for name := range unclassified {
		t.Errorf("property %q looks like a credential: mark it x-sensitive in gen/overlay.yaml, or explain it in notSecrets", name)
	}
	for _, want := range []string{"value", "key", "clientSecret", "refreshToken", "token", "directRouteApiKeys", "accessSecret", "apiKey"} {
		if !sensitive[want] {
			t.Errorf("%q is not sensitive", want)
		}
	}
}

// TestOperationConstants: one constant per operation, named from its Go
// name (initialisms) and valued with its spec id; two operations that
// would share a constant stop generation.
func TestOperationConstants(t *testing.T) {
	table := &operationTable{Rows: []operationRow{
		{ID: "CreateApiKey", Method: "POST", Path: "/v1/keys"},
		{ID: "ListThings", Method: "GET", Path: "/v1/things"},
	}}
	goName := func(id string) string { return strings.ReplaceAll(id, "Api", "API") }
	src := string(opConstsFile("gen", table, goName))
	for _, want := range []string{
		"type OperationID string",
		`OpCreateAPIKey OperationID = "CreateApiKey"`,
		`OpListThings OperationID = "ListThings"`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("opconsts.gen.go lacks %q:\n%s", want, src)
		}
	}

	defer func() {
		if recover() == nil {
			t.Error("two operations named OpCreateAPIKey did not stop generation")
		}
	}()
	table.Rows = append(table.Rows, operationRow{ID: "CreateAPIKey", Method: "PUT", Path: "/v1/keys"})
	opConstsFile("gen", table, goName)
}
