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
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	err = cmd.Run()
	return strings.TrimSpace(stderr.String()), err
}

// KeepGoCaches pins GOPATH, GOMODCACHE and GOCACHE to where the go command
// finds them now, so that a test that then points HOME at an empty
// directory (to keep the user's credential files out) still builds from
// the module and build caches, without a download. It follows the go
// command's documented defaults and leaves a variable already set alone.
func KeepGoCaches() error {
	home, err := os.UserHomeDir()
	if err != nil {
		return err
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		gopath = filepath.Join(home, "go")
		if err := os.Setenv("GOPATH", gopath); err != nil {
			return err
		}
	}
	if os.Getenv("GOMODCACHE") == "" {
		first, _, _ := strings.Cut(gopath, string(os.PathListSeparator))
		if err := os.Setenv("GOMODCACHE", filepath.Join(first, "pkg", "mod")); err != nil {
			return err
		}
	}
	if os.Getenv("GOCACHE") == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return err
		}
		if err := os.Setenv("GOCACHE", filepath.Join(cache, "go-build")); err != nil {
			return err
		}
	}
	return nil
}
