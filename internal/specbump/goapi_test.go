package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeModule writes files (by slash path) into a new temporary directory.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCompareGoAPI runs the comparison on a small module shaped like the
// SDK (a generated gen, an api that uses it): a removed field and a
// removed constant are breaks, a new constant and a new client method are
// not, the spec's version is no change at all, the code of api that used
// what went away is reported, and the module's files are left as they
// were.
func TestCompareGoAPI(t *testing.T) {
	repo := writeModule(t, map[string]string{
		"go.mod":     "module example.com/sdk\n\ngo 1.26\n",
		"gen/doc.go": "// Package gen is generated.\npackage gen\n",
		"gen/models.gen.go": `package gen

const SpecVersion = "4.259.0"

type Region string

const RegionUS Region = "US"

type Secret struct {
	Name  *string
	Value *string
}

type ClientInterface interface {
	GetSecret() (*Secret, error)
}
`,
		"gen/old.gen.go": "package gen\n\n// Gone is in a file the generator no longer writes.\nconst Gone = 1\n",
		"api/api.go": `package api

import "example.com/sdk/gen"

// Value reads a field that the new gen/ drops.
func Value(s gen.Secret) string { return *s.Value }
`,
	})
	before := snapshot(t, repo)
	generated := map[string][]byte{"gen/models.gen.go": []byte(`package gen

const SpecVersion = "5.10.0"

type Region string

const RegionEU Region = "EU"

type Secret struct {
	Name *string
}

type ClientInterface interface {
	GetSecret() (*Secret, error)
	RotateSecret() (*Secret, error)
}
`)}
	d, err := compareGoAPI(repo, generated)
	if err != nil {
		t.Fatal(err)
	}
	var breaks, additions []string
	for _, c := range d.breaks() {
		breaks = append(breaks, c.String())
	}
	for _, c := range d.additions() {
		additions = append(additions, c.String())
	}
	slices.Sort(breaks)
	slices.Sort(additions)
	wantBreaks := []string{"gen.Gone: removed", "gen.RegionUS: removed", "gen.Secret.Value: removed"}
	wantAdditions := []string{"gen.ClientInterface.RotateSecret: added", "gen.RegionEU: added"}
	if !slices.Equal(breaks, wantBreaks) || !slices.Equal(additions, wantAdditions) {
		t.Errorf("breaks %q additions %q\nwant breaks %q additions %q", breaks, additions, wantBreaks, wantAdditions)
	}
	if len(d.sdkFails) != 1 || !strings.HasPrefix(d.sdkFails[0], filepath.Join("api", "api.go")+":6:") || !strings.Contains(d.sdkFails[0], "Value") {
		t.Errorf("the SDK's own failures %q, want api/api.go's use of Secret.Value", d.sdkFails)
	}
	assertUnchanged(t, before, repo)
}

// TestCompareGoAPIRefusesOutputThatDoesNotTypeCheck: a generator whose
// output does not compile is an error, not a list of Go breaks.
func TestCompareGoAPIRefusesOutputThatDoesNotTypeCheck(t *testing.T) {
	repo := writeModule(t, map[string]string{
		"go.mod":            "module example.com/sdk\n\ngo 1.26\n",
		"gen/models.gen.go": "package gen\n\ntype Secret struct{}\n",
		"api/api.go":        "package api\n\nimport _ \"example.com/sdk/gen\"\n",
	})
	_, err := compareGoAPI(repo, map[string][]byte{"gen/models.gen.go": []byte("package gen\n\ntype Secret struct{ Name Missing }\n")})
	if err == nil || !strings.Contains(err.Error(), "the generator's output for the new spec does not type-check") || !strings.Contains(err.Error(), "Missing") {
		t.Fatalf("error %v", err)
	}
}

func TestAttributeNamesTheCause(t *testing.T) {
	enumRemoved := &wireGroup{check: "response-property-enum-value-removed", value: "US_IOWA_1",
		findings: []finding{{check: "response-property-enum-value-removed", operation: "GET /v1/d", id: "Gateway_GetDeployment", args: []any{"US_IOWA_1", "placement/region", "200"}}}}
	propertyRemoved := &wireGroup{check: "response-optional-property-removed", property: "partialReplicaCount",
		findings: []finding{{check: "response-optional-property-removed", operation: "GET /v1/d", id: "Gateway_GetDeployment", args: []any{"replicaStats/partialReplicaCount", "200"}}}}
	operationRemoved := &wireGroup{check: "api-path-removed-without-deprecation",
		findings: []finding{{check: "api-path-removed-without-deprecation", operation: "GET /v1/m", id: "Gateway_GetModel"}}}
	groups := []*wireGroup{enumRemoved, propertyRemoved, operationRemoved}
	tests := []struct {
		ident string
		want  *wireGroup
	}{
		{"GatewayRegionUSIOWA1", enumRemoved},
		{"GatewayReplicaStats.PartialReplicaCount", propertyRemoved},
		{"(*Client).GetModel", operationRemoved},
		{"GetModelParams", operationRemoved},
		{"GatewayModel.State", nil},
	}
	for _, tt := range tests {
		c := &goChange{pkg: "gen", ident: tt.ident, message: tt.ident + ": removed"}
		attribute([]*goChange{c}, groups)
		switch {
		case tt.want == nil && len(c.causes) != 0:
			t.Errorf("%s: attributed to %s, want nothing", tt.ident, c.causes[0].check)
		case tt.want != nil && (len(c.causes) != 1 || c.causes[0] != tt.want):
			t.Errorf("%s: causes %v, want %s", tt.ident, c.causes, tt.want.check)
		}
	}
}
