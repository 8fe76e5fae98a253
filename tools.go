//go:build tools

// Package tools pins the code generator's version in go.mod, so that
// `make generate` always runs the same oapi-codegen release.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
