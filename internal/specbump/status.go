package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// specStatus prints what openapi.yaml holds (make spec-status): its
// info.version, which gen.SpecVersion and the User-Agent report, how many
// operations come from each version, and whether the README's mentions of
// the version agree. verbose lists the operations of each version.
func specStatus(repo string, w io.Writer, verbose bool) error {
	text, err := os.ReadFile(filepath.Join(repo, "openapi.yaml"))
	if err != nil {
		return err
	}
	doc, err := parseSource("openapi.yaml", 1, text)
	if err != nil {
		return err
	}
	version, err := checkOpenAPIDocument(doc, false)
	if err != nil {
		return err
	}
	counts, err := countVersions(doc.root)
	if err != nil {
		return err
	}
	total := 0
	for _, c := range counts {
		total += c.operations
	}
	fmt.Fprintf(w, "openapi.yaml: %s %s (info.version: gen.SpecVersion and the User-Agent say it), %s.\n",
		scalarValue(mappingValue(doc.root, "info"), "title"), version, plural(total, "operation"))
	byVersion := map[string][]string{}
	_ = forEachOperation(doc.root, func(method, path string, op *yaml.Node) error {
		v := operationVersion(op, version)
		byVersion[v] = append(byVersion[v], operationAt(method, path)+" "+scalarValue(op, "operationId"))
		return nil
	})
	for _, c := range counts {
		fmt.Fprintf(w, "  %-10s %s\n", c.version, plural(c.operations, "operation"))
		if verbose {
			for _, op := range byVersion[c.version] {
				fmt.Fprintf(w, "      %s\n", op)
			}
		}
	}
	if len(counts) > 1 {
		fmt.Fprintf(w, "A mixed spec, merged from docs pages of %d versions: each operation is as its version published it (gen.Operations[i].SpecVersion). -v lists them.\n", len(counts))
	} else {
		fmt.Fprintln(w, "Every operation comes from one version.")
	}

	readme, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var stale []string
	mentions := readmeVersionMentions(readme)
	for _, m := range mentions {
		if got := string(readme[m[0]:m[1]]); got != version {
			stale = append(stale, fmt.Sprintf("line %d says %s", bytes.Count(readme[:m[0]], []byte("\n"))+1, got))
		}
	}
	if len(stale) > 0 {
		fmt.Fprintf(w, "README.md: %s of the spec version, stale: %s (make update-spec rewrites them).\n", plural(len(mentions), "mention"), strings.Join(stale, "; "))
	} else {
		fmt.Fprintf(w, "README.md: %s of the spec version, all %s.\n", plural(len(mentions), "mention"), version)
	}
	return nil
}
