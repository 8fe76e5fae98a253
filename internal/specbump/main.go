// Command specbump updates the vendored Gateway spec: `make update-spec
// SPEC=...` runs it. It is one command for the whole bump:
//
//  1. It builds the new openapi.yaml from SPEC: a whole OpenAPI document
//     replaces it byte for byte; upstream docs pages (markdown with the
//     operation's OpenAPI document in a ````yaml block) are merged into it,
//     each operation added or replacing the one at its path and method,
//     each schema added or replaced, and info.version taken from them. The
//     merge works on YAML nodes and is written back by splicing only what
//     changed into the old text, so key order, quoting and folding stay
//     upstream's and the diff is the API's change alone.
//  2. It compares the old and the new spec with oasdiff (its diff and all
//     its backward-compatibility checks, run as a library) and prints the
//     changelog entry: operations added and removed, breaking changes with
//     their level (ERR, WARN), other changes.
//  3. It refuses, writing nothing, when there are breaking changes and
//     ALLOW_BREAKING=1 is not given, and when an action of gen/overlay.yaml
//     matches nothing in the new spec (upstream fixed the defect: the
//     action must go).
//  4. Only then it writes openapi.yaml, runs go generate ./gen (restoring
//     both if generation fails), puts the entry at the top of
//     CHANGELOG-spec.md, and checks that the SDK still builds.
//
// It is a module of its own so that oasdiff and its dependencies never
// reach the SDK's users; it imports nothing of the SDK, whose files it
// edits and whose generator it runs through the go command.
//
// Usage, from the SDK's root:
//
//	go -C internal/specbump run . -repo "$PWD" [-allow-breaking] FILE...
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

func main() {
	allowDefault, err := envBool("ALLOW_BREAKING")
	if err != nil {
		fail(err)
	}
	repo := flag.String("repo", ".", "the SDK's root directory (openapi.yaml, gen/)")
	allow := flag.Bool("allow-breaking", allowDefault, "accept breaking changes (default from ALLOW_BREAKING)")
	date := flag.String("date", time.Now().Format(time.DateOnly), "the changelog entry's date")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: specbump [-repo DIR] [-allow-breaking] FILE...\n\nFILE is a whole OpenAPI document or one or more upstream docs pages (markdown with a ````yaml block).")
		flag.PrintDefaults()
	}
	flag.Parse()

	err = updateSpec(options{
		repo:          *repo,
		specs:         flag.Args(),
		allowBreaking: *allow,
		date:          *date,
		stdout:        os.Stdout,
		goCommand:     runGo,
	})
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "update-spec:", err)
	os.Exit(1)
}

// envBool reads a boolean environment variable; unset or empty is false.
func envBool(name string) (bool, error) {
	v := os.Getenv(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: want 1 or 0", name, v)
	}
	return b, nil
}

// runGo runs the go command in dir, its output going to stderr.
func runGo(dir string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}
