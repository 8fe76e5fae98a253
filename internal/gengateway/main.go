// Command gengateway generates package gen from the vendored Gateway spec.
//
// It is oapi-codegen (run as a library, at the version go.mod pins) plus the
// three steps that its configuration file cannot express:
//
//  1. Operation ids lose their tag prefix ("Gateway_UpdateSecret" becomes
//     "UpdateSecret"), so that users type c.UpdateSecret, not
//     c.GatewayUpdateSecret. The rule is derived from each operation's own
//     tag; there is no per-operation list.
//  2. The request builders of oapi-codegen's client template call
//     pathparam.Check on every path parameter before a request is built.
//  3. A second file, operations.gen.go, records the spec version and a table
//     of every operation (method, path, parameters), which the wrapper, the
//     contract-test kit and the pagination iterators are driven from.
//
// Usage (from gen/generate.go):
//
//	go run ../internal/gengateway -config oapi-codegen.yaml -spec ../openapi.yaml [-out DIR]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	configPath := flag.String("config", "oapi-codegen.yaml", "oapi-codegen configuration file")
	specPath := flag.String("spec", "../openapi.yaml", "OpenAPI document to generate from")
	outDir := flag.String("out", ".", "directory to write the generated files to")
	flag.Parse()

	files, err := generate(*configPath, *specPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gengateway:", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gengateway:", err)
		os.Exit(1)
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(*outDir, name), src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gengateway:", err)
			os.Exit(1)
		}
	}
}
