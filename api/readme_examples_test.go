package api_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/internal/compilecheck"
)

// readmeBlock is a ```go block of README.md and the line it starts at.
type readmeBlock struct {
	line int
	code string
}

// readmeGoBlocks returns README.md's ```go blocks.
func readmeGoBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []readmeBlock
	var cur *readmeBlock
	for i, line := range strings.Split(string(raw), "\n") {
		switch {
		case cur == nil && strings.TrimSpace(line) == "```go":
			cur = &readmeBlock{line: i + 2}
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.code += line + "\n"
		}
	}
	return blocks
}

// readmePrelude declares, for the README's fragments, the names they use
// without declaring: a context, a Client, a value, a page size, the code
// under test of the testing example.
const readmePrelude = readmeImports + `
var (
	ctx    context.Context
	client *api.Client
	v      string
	size   int32
	err    error
)

func rotate(*api.Client) {}

func main() {}

var _ = []any{errors.New, fmt.Sprint, log.Print, testing.Short, time.Now, gatewaytest.Start, gen.OpUpdateSecret}
`

// readmeImports starts every file of the fragments' program: the packages
// the README's fragments use (those a fragment leaves unused are
// forgiven).
const readmeImports = `package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)
`

// unusedName matches the compiler's complaints that a fragment cannot
// avoid: a name it declares to show a result, and nothing else.
var unusedName = regexp.MustCompile(`declared and not used|imported and not used`)

// TestREADMEGoExamplesCompile: every ```go block of README.md compiles
// against the SDK as a user's module would build it. A whole program
// (package main) is built as it is; a fragment is built as the body of a
// function (or, a func, as it is) beside a prelude that declares ctx,
// client, v and size, with its "{ ... }" placeholders made comments. Only
// "declared and not used" is forgiven a fragment.
func TestREADMEGoExamplesCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs with the go command")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeGoBlocks(t)
	if len(blocks) == 0 {
		t.Fatal("README.md has no go block")
	}
	fragments := map[string]string{"prelude.go": readmePrelude}
	lineOf := map[string]int{}
	for i, b := range blocks {
		if strings.HasPrefix(strings.TrimSpace(b.code), "package ") {
			out, err := compilecheck.Build(t.TempDir(), root, map[string]string{"main.go": b.code})
			if err != nil {
				t.Errorf("README.md:%d: the program does not compile:\n%s", b.line, out)
			}
			continue
		}
		code := strings.ReplaceAll(b.code, "{ ... }", "{ /* ... */ }")
		name := "fragment" + strconv.Itoa(i) + ".go"
		lineOf[name] = b.line
		header := readmeImports + "\n"
		if !strings.HasPrefix(strings.TrimSpace(code), "func ") {
			header += "func fragment" + strconv.Itoa(i) + "() error {\n"
			code += "return nil\n}\n"
		}
		fragments[name] = header + code
		lineOf[name] -= strings.Count(header, "\n")
	}
	out, err := compilecheck.Build(t.TempDir(), root, fragments)
	if err == nil {
		return
	}
	for _, line := range strings.Split(out, "\n") {
		file, rest, ok := strings.Cut(strings.TrimPrefix(line, "./"), ":")
		if !ok || unusedName.MatchString(line) || strings.HasPrefix(line, "#") {
			continue
		}
		n, _, _ := strings.Cut(rest, ":")
		at, convErr := strconv.Atoi(n)
		if base, known := lineOf[file]; known && convErr == nil {
			t.Errorf("README.md:%d: %s", base+at-1, line)
		} else {
			t.Errorf("%s", line)
		}
	}
}
