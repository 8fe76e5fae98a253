package main

import (
	"path/filepath"
	"testing"
)

// maxInitBytes is what a program that imports package api may allocate in
// package initialization, all packages included (net/http's own too).
const maxInitBytes = 100 << 10

// TestImportingAPICostsNothing: a program that imports package api (and not
// contract mode) allocates under 100 KB before main and links neither
// kin-openapi, a JSON Schema validator nor a YAML library; the same
// program with contract mode does link them, so the check can fail.
func TestImportingAPICostsNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs programs")
	}
	c, err := measure(filepath.Join("hello", "api"), 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("api: binary %d bytes, init %.2f ms, %d bytes, %d allocs, %d packages", c.binary, c.initMs, c.initBytes, c.initAllocs, c.packageCount)
	if c.initBytes >= maxInitBytes {
		t.Errorf("importing api allocates %d bytes in package init, want under %d", c.initBytes, maxInitBytes)
	}
	if len(c.heavyLinked) > 0 {
		t.Errorf("importing api links %v", c.heavyLinked)
	}
	with, err := measure(filepath.Join("hello", "contract"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(with.heavyLinked) == 0 {
		t.Error("contract mode links none of the heavy packages: the check above cannot fail")
	}
}

// TestParseInitTrace reads the runtime's init lines and nothing else.
func TestParseInitTrace(t *testing.T) {
	trace := "init internal/bytealg @0.005 ms, 0.002 ms clock, 0 bytes, 0 allocs\n" +
		"init net/http @2.9 ms, 0.009 ms clock, 2224 bytes, 29 allocs\n" +
		"hello\n" +
		"init github.com/x/y @3.0 ms, 1.5 ms clock, 100 bytes, 1 allocs\n"
	ms, b, a := parseInitTrace(trace)
	if b != 2324 || a != 30 || ms < 1.510 || ms > 1.512 {
		t.Errorf("got %.3f ms, %d bytes, %d allocs", ms, b, a)
	}
}
