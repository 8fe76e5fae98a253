package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// builtSpec is the new text of openapi.yaml and what the report says of
// how it was made.
type builtSpec struct {
	text []byte
	// sources name the SPEC files; whole is true for a whole document.
	sources []string
	whole   bool
	// documentNotes say what the merge did with the pages' top-level
	// tags, servers and security, and what it left.
	documentNotes []string
	// compared lists what was compared with openapi.yaml, page by page,
	// for the message of a run that changes nothing.
	compared []string
}

// buildSpec builds the new text of openapi.yaml. A whole document
// replaces the text as it is; docs pages are merged into it one after
// another, their operations marked with their version when the spec mixes
// versions (see versions.go).
func buildSpec(oldText []byte, paths []string) (*builtSpec, error) {
	if len(paths) == 0 {
		return nil, errors.New("no spec given: SPEC names docs pages (page.md ...) or one whole OpenAPI document")
	}
	current, err := parseSource("openapi.yaml", 1, oldText)
	if err != nil {
		return nil, err
	}
	baseVersion, err := checkOpenAPIDocument(current, false)
	if err != nil {
		return nil, err
	}
	var document *specInput
	var pages []*specInput
	b := &builtSpec{}
	versions := map[string][]string{}
	for _, path := range paths {
		in, err := readSpecInput(path)
		if err != nil {
			return nil, err
		}
		versions[in.version] = append(versions[in.version], filepath.Base(path))
		if !in.page {
			if document != nil {
				return nil, fmt.Errorf("%s and %s are both whole documents: give one", document.path, path)
			}
			document = in
			b.sources = append(b.sources, "`"+filepath.Base(path)+"` (whole document)")
			continue
		}
		pages = append(pages, in)
		b.sources = append(b.sources, "`"+filepath.Base(path)+"`")
	}
	if len(versions) > 1 {
		list := []string{}
		for v, files := range versions {
			list = append(list, fmt.Sprintf("%s in %s", v, strings.Join(files, ", ")))
		}
		slices.Sort(list)
		return nil, fmt.Errorf("the files disagree on info.version (%s): give the pages of one spec version", strings.Join(list, "; "))
	}

	text := oldText
	if document != nil {
		b.whole = true
		text, current = document.raw, document.doc
		baseVersion = document.version
		b.compared = append(b.compared, fmt.Sprintf("%s (%s): byte for byte", filepath.Base(document.path), document.version))
	}
	if len(pages) == 0 {
		b.text = text
		return b, nil
	}
	pageVersion := pages[0].version
	if compareVersions(pageVersion, baseVersion) < 0 {
		return nil, fmt.Errorf("the pages are of version %s, older than openapi.yaml's %s: merging them would date their operations back; give pages of %s or newer", pageVersion, baseVersion, baseVersion)
	}
	// Once the spec holds operations of two versions, each carries its
	// own: those that lack the mark come from the old info.version, which
	// the pages are about to replace.
	mixed := pageVersion != baseVersion || hasVersionMarks(current.root)
	if mixed {
		if text, err = markUnmarked(current, baseVersion); err != nil {
			return nil, err
		}
		if current, err = parseSource("openapi.yaml", 1, text); err != nil {
			return nil, err
		}
	}
	seen := claims{}
	for _, in := range pages {
		page, notes, err := preparePage(current, in.doc, pageVersion, mixed)
		if err != nil {
			return nil, err
		}
		b.documentNotes = append(b.documentNotes, notes...)
		m, listNotes, err := mergePage(current, page, seen)
		if err != nil {
			return nil, err
		}
		b.documentNotes = append(b.documentNotes, listNotes...)
		b.compared = append(b.compared, fmt.Sprintf("%s (%s): %s", filepath.Base(in.path), in.version, pageContents(page)))
		if text, err = patchText(current, m); err != nil {
			return nil, err
		}
		if current, err = parseSource("openapi.yaml", 1, text); err != nil {
			return nil, err
		}
	}
	b.compared = append(b.compared, fmt.Sprintf("info.version: %s, as openapi.yaml has it", pageVersion))
	b.text = text
	return b, nil
}

// preparePage returns the page's document as it is merged: with its
// top-level security on its operations when it differs from the spec's,
// and its operations marked with its version when the spec mixes
// versions. It also says what of the page is not merged.
func preparePage(base, page *source, version string, mark bool) (*source, []string, error) {
	notes := unmergedFields(base, page)
	text, securityNotes, err := pageSecurityOnOperations(base, page)
	if err != nil {
		return nil, nil, err
	}
	notes = append(notes, securityNotes...)
	if len(securityNotes) > 0 {
		if page, err = reparsePage(page, text); err != nil {
			return nil, nil, err
		}
	}
	if mark {
		if text, err = markUnmarked(page, version); err != nil {
			return nil, nil, err
		}
		if page, err = reparsePage(page, text); err != nil {
			return nil, nil, err
		}
	}
	return page, notes, nil
}

// reparsePage parses a page's document again after text was added to it,
// under the same name.
func reparsePage(page *source, text []byte) (*source, error) {
	return parseSource(page.name, page.firstLine, text)
}

// pageContents lists what a page holds, as the merge compared it.
func pageContents(page *source) string {
	var ops []string
	_ = forEachOperation(page.root, func(method, path string, op *yaml.Node) error {
		ops = append(ops, operationAt(method, path)+" "+scalarValue(op, "operationId"))
		return nil
	})
	parts := []string{plural(len(ops), "operation") + " (" + strings.Join(ops, ", ") + ")"}
	components := mappingValue(page.root, "components")
	if components != nil && components.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(components.Content); i += 2 {
			names := mappingKeys(components.Content[i+1])
			parts = append(parts, fmt.Sprintf("components.%s %s", components.Content[i].Value, strings.Join(names, ", ")))
		}
	}
	for _, list := range []struct{ key, id string }{{"tags", "name"}, {"servers", "url"}} {
		if items := mappingValue(page.root, list.key); items != nil {
			parts = append(parts, list.key+" "+listIDs(items.Content, list.id))
		}
	}
	if mappingValue(page.root, "security") != nil {
		parts = append(parts, "security")
	}
	return strings.Join(parts, "; ")
}
