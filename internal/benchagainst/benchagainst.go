// Command benchagainst measures the SDK of this checkout against the SDK
// of an earlier revision, in one benchmark binary. The revision's tree is
// extracted beside this one with its module path rewritten to "oldsdk",
// and the harness (testdata/harness) runs the same workflow through both
// in paired runs: the old one and the new one in turn, in the same loop,
// with an A/A run of the old one against itself. It answers "did this
// change make X slower" to within the pairing's noise, which two runs of
// `make bench`, minutes apart on a shared machine, cannot.
//
//	go run ./internal/benchagainst -rev 8d96c11 [-bench .] [-benchtime 10s] [-count 3]
//
// The harness uses only the surface both revisions have (api.New and its
// options, api.FileFromReader, Datasets.Upload and Datasets.Download); to
// compare with a revision that lacks it, edit the harness. It needs git,
// and the modules of both revisions in the module cache or the proxy.
package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// modulePath is this repository's module path; the old tree gets oldPath.
// The harness's module path is under modulePath, so that it may import
// the SDK's internal packages (internal/transferbench).
const (
	modulePath  = "github.com/fireworks-gateway/go-sdk"
	oldPath     = "oldsdk"
	harnessPath = modulePath + "/internal/benchagainst/harness"
)

func main() {
	rev := flag.String("rev", "", "the `revision` to measure against (a commit, a tag, a branch)")
	bench := flag.String("bench", ".", "the harness's benchmarks to run (a go test -bench `regexp`)")
	benchtime := flag.String("benchtime", "10s", "go test's -benchtime for each paired run")
	count := flag.Int("count", 3, "go test's -count")
	keep := flag.Bool("keep", false, "keep the temporary directory (its path is printed)")
	flag.Parse()
	if err := run(*rev, *bench, *benchtime, *count, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "benchagainst:", err)
		os.Exit(1)
	}
}

func run(rev, bench, benchtime string, count int, keep bool) error {
	if rev == "" {
		return errors.New("-rev is required: the revision to measure against")
	}
	repo, err := repoRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "benchagainst-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Fprintln(os.Stderr, "benchagainst: working in", tmp)
	} else {
		defer func() { _ = os.RemoveAll(tmp) }()
	}
	old, harness := filepath.Join(tmp, "old"), filepath.Join(tmp, "harness")
	archive := exec.Command("git", "-C", repo, "archive", "--format=tar", rev)
	archive.Stderr = os.Stderr
	out, err := archive.Output()
	if err != nil {
		return fmt.Errorf("git archive %s: %w", rev, err)
	}
	if err := extractTar(bytes.NewReader(out), old); err != nil {
		return fmt.Errorf("extracting %s: %w", rev, err)
	}
	if err := rewriteModulePath(old, modulePath, oldPath); err != nil {
		return err
	}
	if err := writeHarness(harness, repo, old, filepath.Join(repo, "internal", "benchagainst", "testdata", "harness")); err != nil {
		return err
	}
	test := exec.Command("go", "test", "-run", "^$", "-bench", bench, "-benchtime", benchtime, "-count", fmt.Sprint(count), ".")
	test.Dir = harness
	test.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	test.Stdout, test.Stderr = os.Stdout, os.Stderr
	fmt.Printf("benchagainst: this checkout against %s (%s)\n", rev, oldPath)
	return test.Run()
}

// repoRoot is the root of the git checkout the command runs in.
func repoRoot() (string, error) {
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "", fmt.Errorf("not in a git checkout: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// extractTar writes the regular files and directories of a tar stream
// under dir, through an os.Root: an entry that would land outside dir is
// refused. Other entries (symbolic links) are skipped: the SDK's tree has
// none that a build needs.
func extractTar(r io.Reader, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer func() { _ = root.Close() }()
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.FromSlash(strings.TrimSuffix(h.Name, "/"))
		if !filepath.IsLocal(name) {
			return fmt.Errorf("%q is outside the tree", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := root.MkdirAll(name, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := root.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
			if err := writeFrom(root, name, tr, fs.FileMode(h.Mode).Perm()); err != nil {
				return err
			}
		}
	}
}

// writeFrom writes r to name under root.
func writeFrom(root *os.Root, name string, r io.Reader, perm fs.FileMode) error {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// rewriteModulePath replaces the module path from by to in every go.mod
// and .go file under dir: the tree becomes a module of its own, which one
// binary can import beside the original.
func rewriteModulePath(dir, from, to string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (d.Name() != "go.mod" && !strings.HasSuffix(d.Name(), ".go")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !bytes.Contains(data, []byte(from)) {
			return nil
		}
		return os.WriteFile(path, bytes.ReplaceAll(data, []byte(from), []byte(to)), 0o644)
	})
}

// writeHarness makes the harness module in dir: the benchmark files of
// source, and a go.mod that requires this checkout (repo) and the old tree
// (old) through replace directives, with repo's go version.
func writeHarness(dir, repo, old, source string) error {
	goMod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		return err
	}
	goLine := "go 1.26.0"
	for _, line := range strings.Split(string(goMod), "\n") {
		if strings.HasPrefix(line, "go ") {
			goLine = strings.TrimSpace(line)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	mod := fmt.Sprintf("module %s\n\n%s\n\nrequire (\n\t%s v0.0.0\n\t%s v0.0.0\n)\n\nreplace %s => %s\n\nreplace %s => %s\n",
		harnessPath, goLine, modulePath, oldPath, modulePath, repo, oldPath, old)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(source, "*.go"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no harness in %s", source)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
