package api_test

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/internal/readmesection"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite README.md's generated tables (retry policy, fault matrix, operations) from the tests' tables")

// replaceREADMESection checks (or, with update, rewrites) the part of
// ../README.md between <!-- name:start --> and <!-- name:end -->.
func replaceREADMESection(t *testing.T, name, content string, update bool) {
	t.Helper()
	const path = "../README.md"
	got, err := readmesection.Read(path, name)
	if err != nil {
		t.Fatal(err)
	}
	if got == content {
		return
	}
	if !update {
		t.Fatalf("README.md's %s table is stale; run: go test ./api -run TestREADME -update-readme\nwant:\n%s", name, content)
	}
	if err := readmesection.Write(path, name, content); err != nil {
		t.Fatal(err)
	}
}

// TestREADMEOperationsTable keeps README.md's table of every operation and
// its Go call equal to the generated table of service calls.
func TestREADMEOperationsTable(t *testing.T) {
	var b strings.Builder
	b.WriteString("| operation | method and path | Go call |\n|---|---|---|\n")
	for _, sc := range serviceCalls {
		fmt.Fprintf(&b, "| %s | `%s %s` | `%s` |\n", sc.ID, sc.Method, sc.Path, sc.Call)
	}
	replaceREADMESection(t, "operations", b.String(), *updateREADME)
}
