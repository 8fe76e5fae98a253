// Package compilecheck builds Go programs that import the SDK the way a
// user's module does (a module of their own, with a replace directive to
// this checkout), for the tests that keep the README's programs compiling
// and show that misplaced options do not compile. It is for tests only.
package compilecheck

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Module is the SDK's module path.
const Module = "github.com/fireworks-gateway/go-sdk"

// Build writes files (name -> source, in one package main) into a new
// module under dir that requires the SDK at root through a replace
// directive, and builds it with every type error reported (-gcflags=-e).
// It returns the compiler's output and go build's error: nil when the
// program compiles.
func Build(dir, root string, files map[string]string) (string, error) {
	goMod := fmt.Sprintf("module user\n\ngo 1.26\n\nrequire %s v0.0.0\n\nreplace %s => %s\n", Module, Module, root)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644); err != nil {
		return "", err
	}
	// The SDK's own go.sum holds every module its packages need.
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		return "", err
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			return "", err
		}
	}
	cmd := exec.Command("go", "build", "-gcflags=-e", "-o", os.DevNull, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}
