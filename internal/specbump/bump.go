package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// options are one run of update-spec.
type options struct {
	// repo is the SDK's root: openapi.yaml, gen/, CHANGELOG-spec.md.
	repo string
	// specs are the files given in SPEC.
	specs []string
	// allowBreaking accepts Go API breaks (ALLOW_BREAKING=1).
	allowBreaking bool
	// allowMajor accepts docs pages of a new major version (ALLOW_MAJOR=1).
	allowMajor bool
	// verbose lists every finding and every Go API addition (-v).
	verbose bool
	// date is the changelog entry's date (YYYY-MM-DD).
	date   string
	stdout io.Writer
	// goCommand runs the go command in dir; tests replace it.
	goCommand func(dir string, args ...string) error
	// compareGoAPI compares the SDK's Go API with the generator's new files
	// in place of gen/'s (compareGoAPI in goapi.go); the tests of the
	// fixture repository, which holds no Go code, replace it.
	compareGoAPI func(repo string, generated map[string][]byte) (*goAPIDiff, error)
}

// errRefused is the gate's refusal: Go API breaks without ALLOW_BREAKING,
// pages of a new major version without ALLOW_MAJOR.
var errRefused = errors.New("refused")

// errStaleOverlay is the refusal of an overlay action that matches
// nothing any more.
var errStaleOverlay = errors.New("stale overlay action")

// updateSpec is the whole command: it builds the new spec from the SPEC
// files, generates the new gen/ into a temporary directory, compares the
// Go API and the wire, prints the report, checks the gate, and only then
// writes openapi.yaml, gen/, the changelog entry and the README's version
// mentions. Every refusal leaves the repository as it was.
func updateSpec(o options) error {
	specFile := filepath.Join(o.repo, "openapi.yaml")
	oldText, err := os.ReadFile(specFile)
	if err != nil {
		return err
	}
	built, err := buildSpec(oldText, o.specs)
	if err != nil {
		return err
	}
	if bytes.Equal(built.text, oldText) {
		fmt.Fprintf(o.stdout, "openapi.yaml already holds everything in %s: nothing to do. Compared:\n", strings.Join(built.sources, ", "))
		for _, c := range built.compared {
			fmt.Fprintf(o.stdout, "- %s\n", c)
		}
		return nil
	}

	wire, err := compareSpecs(oldText, built.text)
	if err != nil {
		return err
	}
	// A stale action fails the generator (the overlay is strict), so it is
	// refused before the Go API can be compared.
	if err := refuseStaleOverlay(o.repo, built.text); err != nil {
		return err
	}
	generated, err := generateFrom(o, built.text)
	if err != nil {
		return err
	}
	goAPI, err := o.compareGoAPI(o.repo, generated)
	if err != nil {
		return fmt.Errorf("%w; openapi.yaml and gen/ are unchanged", err)
	}
	attribute(goAPI.breaks(), wire.groups)
	newDoc, err := parseSource("the new openapi.yaml", 1, built.text)
	if err != nil {
		return err
	}
	versions, err := countVersions(newDoc.root)
	if err != nil {
		return err
	}
	report := &bumpReport{
		wire: wire, goAPI: goAPI,
		sources: built.sources, whole: built.whole,
		specVersions:  versions,
		documentNotes: built.documentNotes,
		allowBreaking: o.allowBreaking, allowMajor: o.allowMajor,
	}
	fmt.Fprint(o.stdout, report.text(o.verbose))

	if refusals := report.refusals(); len(refusals) > 0 {
		return fmt.Errorf("%w: %s; openapi.yaml and gen/ are unchanged", errRefused, strings.Join(refusals, "; "))
	}
	if built.whole && wire.oldVersion == wire.newVersion {
		fmt.Fprintf(o.stdout, "note: the document's info.version is still %s although the spec changed.\n", wire.newVersion)
	}

	if err := writeSpecAndGenerated(o.repo, specFile, oldText, built.text, generated); err != nil {
		return err
	}
	// The entry records the hash of what it vendors, so that a test can
	// tell openapi.yaml from a hand-edited copy.
	if err := prependChangelog(filepath.Join(o.repo, "CHANGELOG-spec.md"), report.changelogEntry(o.date)+specHashLine(built.text)); err != nil {
		return err
	}
	rewritten, err := rewriteREADMEVersions(filepath.Join(o.repo, "README.md"), wire.newVersion)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "\nopenapi.yaml is now %s, gen/ is regenerated and CHANGELOG-spec.md has the entry (with every finding).\n", wire.newVersion)
	if rewritten > 0 {
		fmt.Fprintf(o.stdout, "README.md: %s of the spec version now say %s.\n", plural(rewritten, "mention"), wire.newVersion)
	}
	if err := o.goCommand(o.repo, "build", "./..."); err != nil {
		return fmt.Errorf("the SDK does not build against the new gen/ (%w): fix the code that uses what changed, or undo with git checkout openapi.yaml gen CHANGELOG-spec.md README.md", err)
	}
	return nil
}

// refuseStaleOverlay refuses a new spec in which an action of gen/'s
// overlay matches nothing: upstream has fixed the defect it works around.
func refuseStaleOverlay(repo string, newText []byte) error {
	overlayFile, err := overlayPath(repo)
	if err != nil || overlayFile == "" {
		return err
	}
	stale, err := checkOverlay(overlayFile, newText)
	if err != nil || len(stale) == 0 {
		return err
	}
	return fmt.Errorf("%w: %d action(s) of %s match nothing in the new spec; upstream has probably fixed the defect they work around, so remove them from the overlay (and check the generated code), then run again:\n  %s\nopenapi.yaml and gen/ are unchanged",
		errStaleOverlay, len(stale), relativeTo(repo, overlayFile), strings.Join(stringsOf(stale), "\n  "))
}

// generateFrom runs the generator on the new spec in a temporary
// directory and returns the files it wrote, by their path in the
// repository: what gen/, gen/spec/ and api/'s generated files would hold.
func generateFrom(o options, newText []byte) (map[string][]byte, error) {
	tmp, err := os.MkdirTemp("", "specbump-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	specFile, outDir := filepath.Join(tmp, "openapi.yaml"), filepath.Join(tmp, "out")
	if err := os.WriteFile(specFile, newText, 0o644); err != nil {
		return nil, err
	}
	if err := os.Mkdir(outDir, 0o755); err != nil {
		return nil, err
	}
	if err := runGenerator(o.goCommand, o.repo, specFile, outDir); err != nil {
		return nil, fmt.Errorf("the generator fails on the new spec (%w); openapi.yaml and gen/ are unchanged", err)
	}
	return readGenerated(outDir)
}

// writeSpecAndGenerated writes openapi.yaml and the generated files at
// their paths (removing generated files the generator no longer writes),
// and restores both if any write fails.
func writeSpecAndGenerated(repo, specFile string, oldText, newText []byte, generated map[string][]byte) error {
	saved, err := readGeneratedFiles(repo)
	if err != nil {
		return err
	}
	at := func(name string) string { return filepath.Join(repo, filepath.FromSlash(name)) }
	writeErr := writeFileKeepingMode(specFile, newText)
	for _, name := range sortedNames(generated) {
		if writeErr != nil {
			break
		}
		if writeErr = os.MkdirAll(filepath.Dir(at(name)), 0o755); writeErr == nil {
			writeErr = writeFileKeepingMode(at(name), generated[name])
		}
	}
	for name := range saved {
		if _, ok := generated[name]; writeErr == nil && !ok {
			writeErr = os.Remove(at(name))
		}
	}
	if writeErr == nil {
		return nil
	}
	restoreErr := errors.Join(writeFileKeepingMode(specFile, oldText), restoreGenerated(repo, saved, generated))
	if restoreErr != nil {
		return fmt.Errorf("writing openapi.yaml and gen/ failed (%w), and restoring them failed too: %v", writeErr, restoreErr)
	}
	return fmt.Errorf("writing openapi.yaml and gen/ failed (%w); both are restored", writeErr)
}

// writeFileKeepingMode replaces a file through a temporary file beside it,
// keeping its permissions (the vendored spec may be read-only).
func writeFileKeepingMode(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// restoreGenerated puts back the generated files that were saved, and
// removes those of the new output that were not there before.
func restoreGenerated(repo string, saved, written map[string][]byte) error {
	var errs []error
	for name := range written {
		if _, ok := saved[name]; !ok {
			if err := os.Remove(filepath.Join(repo, filepath.FromSlash(name))); err != nil && !os.IsNotExist(err) {
				errs = append(errs, err)
			}
		}
	}
	for name, data := range saved {
		path := filepath.Join(repo, filepath.FromSlash(name))
		if now, err := os.ReadFile(path); err != nil || !bytes.Equal(now, data) {
			errs = append(errs, writeFileKeepingMode(path, data))
		}
	}
	return errors.Join(errs...)
}

func relativeTo(base, path string) string {
	if rel, err := filepath.Rel(base, path); err == nil {
		return rel
	}
	return path
}

// specHashLine is the changelog line that records the vendored spec's
// sha256; the SDK's tests check openapi.yaml against the newest one.
func specHashLine(text []byte) string {
	return fmt.Sprintf("\nopenapi.yaml sha256: `%x`\n", sha256.Sum256(text))
}
