// Command specbump updates the vendored Gateway spec: `make update-spec
// SPEC=...` runs it, and `make spec-status` runs it with -status. A bump
// is one command:
//
//  1. It builds the new openapi.yaml from SPEC: a whole OpenAPI document
//     replaces it byte for byte; upstream docs pages (markdown with the
//     operation's OpenAPI document in a ````yaml block) are merged into it,
//     each operation added or replacing the one at its path and method,
//     each component added or replaced, the top-level tags and servers
//     merged, and info.version taken from them. The merge works on YAML
//     nodes and is written back by splicing only what changed into the old
//     text, so key order, quoting and folding stay upstream's and the diff
//     is the API's change alone. Pages of a version other than the spec's
//     make it a mixed spec: every operation is then marked x-spec-version
//     with the version it comes from (versions.go).
//  2. It runs the SDK's generator on the new spec into a temporary
//     directory and compares the exported Go API of gen and api before and
//     after with apidiff (goapi.go): what breaks users' code.
//  3. It compares the old and the new spec with oasdiff (the wire), groups
//     its findings by kind and maps its levels to what they mean for a
//     generated Go client, and links each Go API break to the spec change
//     that caused it.
//  4. It prints the report, summary first: the verdict, the version change
//     and the counts. It refuses, writing nothing, on Go API breaks without
//     ALLOW_BREAKING=1, on docs pages of a new major version without
//     ALLOW_MAJOR=1, and on an action of gen/overlay.yaml that matches
//     nothing in the new spec (upstream fixed the defect: the action must
//     go).
//  5. Only then it writes openapi.yaml and gen/ (the files it compared),
//     puts the full report at the top of CHANGELOG-spec.md, rewrites the
//     README's mentions of the spec version, and checks that the SDK still
//     builds.
//
// It is a module of its own so that oasdiff, apidiff and their
// dependencies never reach the SDK's users; it imports nothing of the SDK,
// whose files it edits, whose generator it runs through the go command and
// whose packages it type-checks from source.
//
// Usage, from the SDK's root:
//
//	go -C internal/specbump run . -repo "$PWD" [-allow-breaking] [-allow-major] [-v] FILE...
//	go -C internal/specbump run . -repo "$PWD" -status [-v]
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
	allowBreakingDefault, err := envBool("ALLOW_BREAKING")
	if err != nil {
		fail(err)
	}
	allowMajorDefault, err := envBool("ALLOW_MAJOR")
	if err != nil {
		fail(err)
	}
	repo := flag.String("repo", ".", "the SDK's root directory (openapi.yaml, gen/)")
	allowBreaking := flag.Bool("allow-breaking", allowBreakingDefault, "accept Go API breaks (default from ALLOW_BREAKING)")
	allowMajor := flag.Bool("allow-major", allowMajorDefault, "accept docs pages of a new major version (default from ALLOW_MAJOR)")
	verbose := flag.Bool("v", false, "list every finding and every Go API addition, not only the summary and the breaks")
	status := flag.Bool("status", false, "print the spec's version, its operations by version and the README's mentions, and change nothing")
	date := flag.String("date", time.Now().Format(time.DateOnly), "the changelog entry's date")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: specbump [-repo DIR] [-allow-breaking] [-allow-major] [-v] FILE...\n       specbump [-repo DIR] -status [-v]\n\nFILE is a whole OpenAPI document or one or more upstream docs pages (markdown with a ````yaml block).")
		flag.PrintDefaults()
	}
	flag.Parse()

	if *status {
		err = specStatus(*repo, os.Stdout, *verbose)
	} else {
		err = updateSpec(options{
			repo:          *repo,
			specs:         flag.Args(),
			allowBreaking: *allowBreaking,
			allowMajor:    *allowMajor,
			verbose:       *verbose,
			date:          *date,
			stdout:        os.Stdout,
			goCommand:     runGo,
			compareGoAPI:  compareGoAPI,
		})
	}
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
