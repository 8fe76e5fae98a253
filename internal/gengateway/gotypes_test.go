package main

import (
	"reflect"
	"strings"
	"testing"
)

// TestSchemaGoTypes: a schema's Go type is its name without the
// upstream's "gateway" prefix, named as oapi-codegen names types; a schema
// the generated code declares no type for (pruned) is left out, so every
// entry names a type that exists.
func TestSchemaGoTypes(t *testing.T) {
	typeName := func(s string) string { return strings.ReplaceAll(s, "Api", "API") } // stands in for oapi-codegen's initialisms
	generated := []byte("package gen\n\ntype APIKey struct{}\n\ntype Deployment struct{}\n\ntype DatasetFormat string\n")
	got, err := schemaGoTypes([]string{"gatewayApiKey", "gatewayDeployment", "DatasetFormat", "gatewayPruned", "gatewaystatus"}, typeName, generated)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"gatewayApiKey": "APIKey", "gatewayDeployment": "Deployment", "DatasetFormat": "DatasetFormat"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("schemaGoTypes = %v, want %v", got, want)
	}
	if _, err := schemaGoTypes([]string{"gatewayPruned"}, typeName, generated); err == nil {
		t.Error("no schema with a Go type: no error")
	}
}
