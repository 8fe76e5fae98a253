package main

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// specVersionExtension marks an operation with the version of the spec it
// was taken from. An operation without it comes from info.version's. The
// merge writes it as soon as openapi.yaml holds operations of two
// versions, on every operation, so that a later bump of info.version
// mis-attributes none; internal/gengateway reads it into
// gen.OperationInfo.SpecVersion.
const specVersionExtension = "x-spec-version"

// versionCount is how many operations of a spec come from one version.
type versionCount struct {
	version    string
	operations int
}

// operationVersion is the version an operation comes from.
func operationVersion(op *yaml.Node, documentVersion string) string {
	if v := scalarValue(op, specVersionExtension); v != "" {
		return v
	}
	return documentVersion
}

// countVersions counts a document's operations by the version they come
// from, newest version first.
func countVersions(root *yaml.Node) ([]versionCount, error) {
	documentVersion := scalarValue(mappingValue(root, "info"), "version")
	counts := map[string]int{}
	err := forEachOperation(root, func(method, path string, op *yaml.Node) error {
		counts[operationVersion(op, documentVersion)]++
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []versionCount
	for v, n := range counts {
		out = append(out, versionCount{version: v, operations: n})
	}
	sort.Slice(out, func(i, j int) bool { return compareVersions(out[i].version, out[j].version) > 0 })
	return out, nil
}

// hasVersionMarks reports whether any operation of a document is marked.
func hasVersionMarks(root *yaml.Node) bool {
	marked := false
	_ = forEachOperation(root, func(method, path string, op *yaml.Node) error {
		marked = marked || mappingValue(op, specVersionExtension) != nil
		return nil
	})
	return marked
}

// markUnmarked returns the text of a document with every operation that
// has no mark marked with version.
func markUnmarked(s *source, version string) ([]byte, error) {
	return addToOperations(s, func(op *yaml.Node) (string, *yaml.Node) {
		if mappingValue(op, specVersionExtension) != nil {
			return "", nil
		}
		return specVersionExtension, scalarString(version)
	})
}

// scalarString is a YAML string node.
func scalarString(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// addToOperations returns the text of a document with an entry added at
// the end of each operation for which entry returns one (a key and its
// value). The rest of the text is kept byte for byte.
func addToOperations(s *source, entry func(op *yaml.Node) (string, *yaml.Node)) ([]byte, error) {
	type insertion struct {
		at   int
		text []byte
	}
	var inserts []insertion
	paths := mappingValue(s.root, "paths")
	if paths == nil {
		return s.text, nil
	}
	for i := 0; i+1 < len(paths.Content); i += 2 {
		item := paths.Content[i+1]
		for j := 0; j+1 < len(item.Content); j += 2 {
			methodKey, op := item.Content[j], item.Content[j+1]
			if !httpMethods[methodKey.Value] {
				continue
			}
			key, value := entry(op)
			if value == nil {
				continue
			}
			if op.Kind != yaml.MappingNode || len(op.Content) == 0 || !isBlock(op) || !isBlock(item) {
				return nil, fmt.Errorf("%s: cannot add %s to %s, not written as a block mapping", s.name, key, operationAt(methodKey.Value, paths.Content[i].Value))
			}
			text, err := entryYAML(key, value, op.Content[0].Column-1)
			if err != nil {
				return nil, err
			}
			_, end := s.entryRange(methodKey)
			if end == len(s.text) && end > 0 && s.text[end-1] != '\n' {
				text = append([]byte("\n"), text...)
			}
			inserts = append(inserts, insertion{at: end, text: text})
		}
	}
	out := bytes.Clone(s.text)
	for i := len(inserts) - 1; i >= 0; i-- {
		in := inserts[i]
		out = append(out[:in.at], append(in.text, out[in.at:]...)...)
	}
	return out, nil
}

// entryYAML writes "key: value" as a block mapping entry indented by
// indent spaces, quoting the value where YAML would read it otherwise (a
// version "5.10" would be a number).
func entryYAML(key string, value *yaml.Node, indent int) ([]byte, error) {
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: key}, value}}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	pad := strings.Repeat(" ", indent)
	var out []byte
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line != "" {
			out = append(out, pad+line...)
		}
	}
	return out, nil
}

// majorOf returns the major version: "5" of "5.10.0".
func majorOf(version string) string {
	major, _, _ := strings.Cut(version, ".")
	return major
}

// compareVersions compares dotted versions number by number (4.259.0 is
// older than 5.10.0, 4.21.6 than 4.259.0); a part that is not a number
// compares as text.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y string
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		nx, errX := strconv.Atoi(x)
		ny, errY := strconv.Atoi(y)
		switch {
		case errX == nil && errY == nil && nx != ny:
			if nx < ny {
				return -1
			}
			return 1
		case (errX != nil || errY != nil) && x != y:
			return strings.Compare(x, y)
		}
	}
	return 0
}
