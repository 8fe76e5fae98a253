// Command gengateway generates the SDK's code from the vendored Gateway
// spec: package gen, its embedded spec (gen/spec), and the resource
// services of package api.
//
// It is oapi-codegen (run as a library, at the version go.mod pins, with the
// client template vendored in gen/templates as oapi-codegen's user-templates
// allow) plus the steps that its configuration file cannot express, each a
// rule with no per-operation list:
//
//  1. Operation ids lose their tag prefix ("Gateway_UpdateSecret" becomes
//     "UpdateSecret"), and schema names their "gateway" prefix
//     ("gatewaySecret" becomes "Secret"); inline request bodies are named
//     after their operation ("UpdateSecretBody"). A clash fails generation.
//  2. gen/operations.gen.go records the spec version, a table of every
//     operation (method, path, parameters) and the sensitive fields, which
//     the client, the fake and the validator are driven from.
//  3. gen/spec embeds the spec as the server speaks it, for contract
//     validation, the fake and the tools only.
//  4. api/services.gen.go gives every operation a method on its resource's
//     service (client.Secrets.Update), with iterators for List operations;
//     api/services.gen_test.go lists them for README.md's table.
//  5. Enum constants are the type's name and the value in CamelCase, less
//     the value's repetition of the type's name (gen.JobStateCompleted);
//     a clash fails generation (enumnames.go).
//  6. An operation the spec deprecates (its flag, its summary or its
//     description) gets an attached "Deprecated:" paragraph naming the
//     method to use instead, in gen and in api (deprecation.go); the
//     generated English follows prose.go's rules (articles by sound,
//     services named in words).
//
// Usage (from gen/generate.go):
//
//	go run ../internal/gengateway -config oapi-codegen.yaml -spec ../openapi.yaml -root ..
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	configPath := flag.String("config", "oapi-codegen.yaml", "oapi-codegen configuration file, in the gen directory")
	specPath := flag.String("spec", "../openapi.yaml", "OpenAPI document to generate from")
	root := flag.String("root", "..", "the repository's root: files are written at their paths below it")
	flag.Parse()

	files, err := generate(*configPath, *specPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gengateway:", err)
		os.Exit(1)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(*root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "gengateway:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gengateway:", err)
			os.Exit(1)
		}
	}
}
