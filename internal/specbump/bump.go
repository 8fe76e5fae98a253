package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// options are one run of update-spec.
type options struct {
	// repo is the SDK's root: openapi.yaml, gen/, CHANGELOG-spec.md.
	repo string
	// specs are the files given in SPEC.
	specs []string
	// allowBreaking accepts breaking changes (ALLOW_BREAKING=1).
	allowBreaking bool
	// date is the changelog entry's date (YYYY-MM-DD).
	date   string
	stdout io.Writer
	// goCommand runs the go command in dir; tests replace it.
	goCommand func(dir string, args ...string) error
}

// errBreaking is the gate's refusal of breaking changes.
var errBreaking = errors.New("breaking changes")

// errStaleOverlay is the refusal of an overlay action that matches
// nothing any more.
var errStaleOverlay = errors.New("stale overlay action")

// updateSpec is the whole command: it builds the new spec from the SPEC
// files, reports what changed, checks the gate and the overlay, and only
// then writes openapi.yaml, regenerates gen/ and adds the changelog entry.
// Every refusal leaves openapi.yaml, gen/ and the changelog as they were.
func updateSpec(o options) error {
	specFile := filepath.Join(o.repo, "openapi.yaml")
	oldText, err := os.ReadFile(specFile)
	if err != nil {
		return err
	}
	newText, sources, err := buildSpec(oldText, o.specs)
	if err != nil {
		return err
	}
	if bytes.Equal(newText, oldText) {
		fmt.Fprintf(o.stdout, "openapi.yaml already holds everything in %s: nothing to do.\n", strings.Join(sources, ", "))
		return nil
	}

	report, err := compareSpecs(oldText, newText)
	if err != nil {
		return err
	}
	overlayFile, err := overlayPath(o.repo)
	if err != nil {
		return err
	}
	var stale []staleAction
	if overlayFile != "" {
		if stale, err = checkOverlay(overlayFile, newText); err != nil {
			return err
		}
	}
	// The entry records the hash of what it vendors, so that a test can
	// tell openapi.yaml from a hand-edited copy.
	entry := report.changelogEntry(o.date, sources, o.allowBreaking) + specHashLine(newText)
	fmt.Fprintln(o.stdout, entry)

	var refusals []error
	if len(report.breaking) > 0 && !o.allowBreaking {
		refusals = append(refusals, fmt.Errorf("%w: %d (listed above); read them, then run again with ALLOW_BREAKING=1 to accept them", errBreaking, len(report.breaking)))
	}
	if len(stale) > 0 {
		refusals = append(refusals, fmt.Errorf("%w: %d action(s) of %s match nothing in the new spec; upstream has probably fixed the defect they work around, so remove them from the overlay (and check the generated code), then run again:\n  %s",
			errStaleOverlay, len(stale), relativeTo(o.repo, overlayFile), strings.Join(stringsOf(stale), "\n  ")))
	}
	if len(refusals) > 0 {
		return fmt.Errorf("%w\nopenapi.yaml and gen/ are unchanged", errors.Join(refusals...))
	}
	if report.oldVersion == report.newVersion {
		fmt.Fprintf(o.stdout, "note: info.version is still %s although the spec changed.\n", report.newVersion)
	}

	if err := writeAndRegenerate(o, specFile, oldText, newText); err != nil {
		return err
	}
	if err := prependChangelog(filepath.Join(o.repo, "CHANGELOG-spec.md"), entry); err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "openapi.yaml is now %s, gen/ is regenerated and CHANGELOG-spec.md has the entry above.\n", report.newVersion)
	if err := o.goCommand(o.repo, "build", "./..."); err != nil {
		return fmt.Errorf("the SDK does not build against the new gen/ (%w): fix the code that uses what changed, or undo with git checkout openapi.yaml gen CHANGELOG-spec.md", err)
	}
	return nil
}

// buildSpec returns the new text of openapi.yaml and how the changelog
// names its sources. A whole document replaces the text as it is; docs
// pages are merged into it one after another.
func buildSpec(oldText []byte, paths []string) ([]byte, []string, error) {
	if len(paths) == 0 {
		return nil, nil, errors.New("no spec given: SPEC names docs pages (page.md ...) or one whole OpenAPI document")
	}
	current, err := parseSource("openapi.yaml", 1, oldText)
	if err != nil {
		return nil, nil, err
	}
	if _, err := checkOpenAPIDocument(current, false); err != nil {
		return nil, nil, err
	}
	var document *specInput
	var pages []*specInput
	var sources []string
	versions := map[string][]string{}
	for _, path := range paths {
		in, err := readSpecInput(path)
		if err != nil {
			return nil, nil, err
		}
		versions[in.version] = append(versions[in.version], filepath.Base(path))
		if !in.page {
			if document != nil {
				return nil, nil, fmt.Errorf("%s and %s are both whole documents: give one", document.path, path)
			}
			document = in
			sources = append(sources, "`"+filepath.Base(path)+"` (whole document)")
			continue
		}
		pages = append(pages, in)
		sources = append(sources, "`"+filepath.Base(path)+"` (docs page)")
	}
	if len(versions) > 1 {
		list := []string{}
		for v, files := range versions {
			list = append(list, fmt.Sprintf("%s in %s", v, strings.Join(files, ", ")))
		}
		slices.Sort(list)
		return nil, nil, fmt.Errorf("the files disagree on info.version (%s): give the pages of one spec version", strings.Join(list, "; "))
	}

	text := oldText
	if document != nil {
		text = document.raw
		current = document.doc
	}
	seen := claims{}
	for _, page := range pages {
		m, err := mergePage(current, page.doc, seen)
		if err != nil {
			return nil, nil, err
		}
		if text, err = patchText(current, m); err != nil {
			return nil, nil, err
		}
		if current, err = parseSource("openapi.yaml", 1, text); err != nil {
			return nil, nil, err
		}
	}
	return text, sources, nil
}

// writeAndRegenerate writes openapi.yaml and runs go generate, restoring
// openapi.yaml and gen/ if generation fails.
func writeAndRegenerate(o options, specFile string, oldText, newText []byte) error {
	genDir := filepath.Join(o.repo, "gen")
	saved, err := readDir(genDir)
	if err != nil {
		return err
	}
	if err := writeFileKeepingMode(specFile, newText); err != nil {
		return err
	}
	genErr := o.goCommand(o.repo, "generate", "./gen")
	if genErr == nil {
		return nil
	}
	restoreErr := errors.Join(writeFileKeepingMode(specFile, oldText), restoreDir(genDir, saved))
	if restoreErr != nil {
		return fmt.Errorf("go generate ./gen failed (%w), and restoring openapi.yaml and gen/ failed too: %v", genErr, restoreErr)
	}
	return fmt.Errorf("go generate ./gen failed on the new spec (%w); openapi.yaml and gen/ are restored", genErr)
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

// readDir reads the regular files of a directory, by name.
func readDir(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// restoreDir puts back the files readDir read and removes new ones.
func restoreDir(dir string, files map[string][]byte) error {
	now, err := readDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for name := range now {
		if _, ok := files[name]; !ok {
			errs = append(errs, os.Remove(filepath.Join(dir, name)))
		}
	}
	for name, data := range files {
		if !bytes.Equal(now[name], data) {
			errs = append(errs, writeFileKeepingMode(filepath.Join(dir, name), data))
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
