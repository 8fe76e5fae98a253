package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOperationsRecordTheirSpecVersion protects gen.OperationInfo's
// SpecVersion: an operation marked x-spec-version by a docs-page merge
// keeps the version it was published in, one that an overlay replaced
// keeps the vendored spec's mark, an unmarked one has info.version.
func TestOperationsRecordTheirSpecVersion(t *testing.T) {
	spec := loadSpec(t, `
openapi: 3.1.0
info: {title: t, version: 5.10.0}
paths:
  /v1/old:
    get:
      operationId: Gateway_GetOld
      x-spec-version: 4.259.0
      responses: {'200': {description: ok}}
  /v1/new:
    get:
      operationId: Gateway_GetNew
      responses: {'200': {description: ok}}
  /v1/fixed:
    get:
      operationId: Gateway_GetFixed
      responses: {'200': {description: ok}}
components: {schemas: {}}
`)
	upstream := map[string]string{"Gateway_GetOld": "Gateway_GetOld", "Gateway_GetNew": "Gateway_GetNew", "Gateway_GetFixed": "Gateway_GetFixed"}
	table, err := readOperations(spec, upstream, map[string]string{"Gateway_GetFixed": "4.259.0"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, row := range table.Rows {
		got[row.ID] = row.SpecVersion
	}
	if got["Gateway_GetOld"] != "4.259.0" || got["Gateway_GetNew"] != "5.10.0" || got["Gateway_GetFixed"] != "4.259.0" {
		t.Errorf("spec versions %v, want Gateway_GetOld 4.259.0 (its mark), Gateway_GetNew 5.10.0 (info.version) and Gateway_GetFixed 4.259.0 (the vendored spec's mark)", got)
	}
}

func TestMarkedSpecVersionsReadsTheVendoredSpec(t *testing.T) {
	path := filepath.Join(t.TempDir(), "openapi.yaml")
	spec := "openapi: 3.1.0\npaths:\n  /v1/a:\n    parameters:\n      - {name: a, in: path}\n    get:\n      operationId: Gateway_GetA\n      x-spec-version: 4.259.0\n    post:\n      operationId: Gateway_CreateA\n"
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := markedSpecVersions(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["Gateway_GetA"] != "4.259.0" {
		t.Errorf("marks %v, want Gateway_GetA's alone", got)
	}
}
