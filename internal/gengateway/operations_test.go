package main

import "testing"

// TestOperationsRecordTheirSpecVersion protects gen.OperationInfo's
// SpecVersion: an operation marked x-spec-version by a docs-page merge
// keeps the version it was published in, an unmarked one has info.version.
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
components: {schemas: {}}
`)
	table, err := readOperations(spec, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, row := range table.Rows {
		got[row.ID] = row.SpecVersion
	}
	if got["Gateway_GetOld"] != "4.259.0" || got["Gateway_GetNew"] != "5.10.0" {
		t.Errorf("spec versions %v, want Gateway_GetOld 4.259.0 (its mark) and Gateway_GetNew 5.10.0 (info.version)", got)
	}
}
