package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// specInput is one file given to update-spec: a whole OpenAPI document,
// or an upstream docs page that embeds a one-operation document.
type specInput struct {
	path string
	// raw is the file as read; a whole document is stored byte for byte.
	raw []byte
	// page is true for a docs page; doc is then its yaml block.
	page bool
	doc  *source
	// version is the document's info.version.
	version string
}

// httpMethods are the operation keys of an OpenAPI path item.
var httpMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true,
	"options": true, "head": true, "patch": true, "trace": true,
}

// readSpecInput reads and checks one SPEC file. A file is a docs page when
// it is markdown (.md, .markdown) or holds a fenced code block; anything
// else must be a whole OpenAPI document.
func readSpecInput(path string) (*specInput, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(path)
	in := &specInput{path: path, raw: raw}
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".md" || ext == ".markdown" || openingFence.Match(raw) {
		in.page = true
		// Text is copied from the page into openapi.yaml, whose lines end
		// in LF; a page saved on Windows must not bring its CRs along.
		in.doc, err = docsPageDocument(name, bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")))
	} else {
		in.doc, err = parseSource(name, 1, raw)
	}
	if err != nil {
		return nil, err
	}
	if in.version, err = checkOpenAPIDocument(in.doc, in.page); err != nil {
		return nil, err
	}
	return in, nil
}

// openingFence matches a markdown code fence that opens a yaml block, as
// upstream docs pages have it: "````yaml patch /v1/accounts/...". Group 1
// is the fence, group 2 what follows the language (method and path).
var openingFence = regexp.MustCompile("(?m)^ {0,3}(`{3,}|~{3,})[ \t]*ya?ml\\b[ \t]*(.*)$")

// docsPageDocument returns the OpenAPI document embedded in a docs page:
// the one fenced yaml block that holds a mapping with an "openapi" field.
func docsPageDocument(name string, raw []byte) (*source, error) {
	lines := strings.SplitAfter(string(raw), "\n")
	var found []*source
	var infos []string
	for i := 0; i < len(lines); i++ {
		m := openingFence.FindStringSubmatch(strings.TrimRight(lines[i], "\r\n"))
		if m == nil {
			continue
		}
		fence, start := m[1], i+1
		end := -1
		for j := start; j < len(lines); j++ {
			if isClosingFence(lines[j], fence) {
				end = j
				break
			}
		}
		if end < 0 {
			return nil, fmt.Errorf("%s:%d: the %syaml block opened here is never closed", name, i+1, fence)
		}
		text := strings.Join(lines[start:end], "")
		i = end
		// Other yaml blocks (examples) may stand beside the spec; only a
		// mapping with an openapi field is the page's document.
		var probe struct {
			OpenAPI any `yaml:"openapi"`
		}
		if yaml.Unmarshal([]byte(text), &probe) == nil && probe.OpenAPI == nil {
			continue
		}
		doc, err := parseSource(fmt.Sprintf("%s:%d", name, start+1), start+1, []byte(text))
		if err != nil {
			return nil, err
		}
		found = append(found, doc)
		infos = append(infos, m[2])
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%s: no ````yaml block with an OpenAPI document: a docs page embeds its operation's OpenAPI document in a fenced yaml block", name)
	case 1:
	default:
		return nil, fmt.Errorf("%s: %d yaml blocks hold an OpenAPI document; a docs page has one", name, len(found))
	}
	if err := checkFenceInfo(found[0], infos[0]); err != nil {
		return nil, err
	}
	return found[0], nil
}

// isClosingFence reports whether line closes a code block opened by fence:
// the same character, at least as many, nothing else but white space.
func isClosingFence(line, fence string) bool {
	t := strings.TrimSpace(line)
	if len(t) < len(fence) || len(line)-len(strings.TrimLeft(line, " ")) > 3 {
		return false
	}
	return strings.Trim(t, fence[:1]) == ""
}

// checkFenceInfo checks the operation named after the fence's language
// ("patch /v1/accounts/{account_id}/secrets/{secret_id}"), when there is
// one, against the document: a page whose text and document disagree has
// been cut or pasted wrongly.
func checkFenceInfo(doc *source, info string) error {
	fields := strings.Fields(info)
	if len(fields) != 2 || !httpMethods[strings.ToLower(fields[0])] {
		return nil
	}
	method, path := strings.ToLower(fields[0]), fields[1]
	if mappingValue(mappingValue(mappingValue(doc.root, "paths"), path), method) == nil {
		return fmt.Errorf("%s: the page is about %s %s, but its yaml block has no such operation", doc.name, strings.ToUpper(method), path)
	}
	return nil
}

// forEachOperation calls f with every operation of a document, in order.
// It fails on a path whose item is not a mapping.
func forEachOperation(root *yaml.Node, f func(method, path string, op *yaml.Node) error) error {
	paths := mappingValue(root, "paths")
	if paths == nil {
		return nil
	}
	for i := 0; i+1 < len(paths.Content); i += 2 {
		path, item := paths.Content[i].Value, paths.Content[i+1]
		if item.Kind != yaml.MappingNode {
			return fmt.Errorf("path %s is not a mapping of operations", path)
		}
		for j := 0; j+1 < len(item.Content); j += 2 {
			if httpMethods[item.Content[j].Value] {
				if err := f(item.Content[j].Value, path, item.Content[j+1]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// checkOpenAPIDocument checks that doc is an OpenAPI 3 document with a
// version and paths, and that a docs page holds at least one operation
// with an operationId. It returns info.version.
func checkOpenAPIDocument(doc *source, page bool) (string, error) {
	if v := scalarValue(doc.root, "swagger"); v != "" {
		return "", fmt.Errorf("%s: a Swagger %s document, not OpenAPI 3", doc.name, v)
	}
	openapi := scalarValue(doc.root, "openapi")
	if !strings.HasPrefix(openapi, "3.") {
		if openapi == "" {
			return "", fmt.Errorf("%s: not an OpenAPI document: no openapi field (such as openapi: 3.1.0)", doc.name)
		}
		return "", fmt.Errorf("%s: OpenAPI %s is not supported: the vendored spec is OpenAPI 3", doc.name, openapi)
	}
	version := scalarValue(mappingValue(doc.root, "info"), "version")
	if version == "" {
		return "", fmt.Errorf("%s: no info.version: the spec's version is what the SDK reports and the changelog records", doc.name)
	}
	paths := mappingValue(doc.root, "paths")
	if paths == nil || paths.Kind != yaml.MappingNode {
		return "", fmt.Errorf("%s: no paths", doc.name)
	}
	if !page {
		return version, nil
	}
	operations := 0
	err := forEachOperation(doc.root, func(method, path string, op *yaml.Node) error {
		operations++
		if scalarValue(op, "operationId") == "" {
			return fmt.Errorf("%s has no operationId; the SDK names its method after it", operationAt(method, path))
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("%s: %w", doc.name, err)
	}
	if operations == 0 {
		return "", fmt.Errorf("%s: the page's document has no operation", doc.name)
	}
	return version, nil
}
