package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// source is one YAML text and its parse: openapi.yaml, a whole OpenAPI
// document, or the yaml block of a docs page. The text is kept because
// openapi.yaml is updated by splicing text, not by re-serializing the parse
// (see patch.go).
type source struct {
	// name is what messages call it: a file name, with the line the
	// text starts on for a docs page ("update-secret.md:9").
	name string
	// firstLine is the line of the file that text starts on.
	firstLine int
	text      []byte
	// root is the document's top-level mapping.
	root *yaml.Node
	// lineStarts holds the byte offset of the start of every line.
	lineStarts []int
}

var yamlErrorLine = regexp.MustCompile(`line (\d+):`)

// parseSource parses text as one YAML document whose top level is a
// mapping. firstLine is the line of the file that text starts on.
func parseSource(name string, firstLine int, text []byte) (*source, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		// yaml.v3 counts lines from the start of text; name the file's.
		msg := yamlErrorLine.ReplaceAllStringFunc(err.Error(), func(m string) string {
			n, _ := strconv.Atoi(yamlErrorLine.FindStringSubmatch(m)[1])
			return fmt.Sprintf("line %d:", n+firstLine-1)
		})
		return nil, fmt.Errorf("%s: not valid YAML: %s", name, msg)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: not an OpenAPI document: its top level is not a mapping of fields", name)
	}
	if err := checkUniqueKeys(doc.Content[0], firstLine); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s := &source{name: name, firstLine: firstLine, text: text, root: doc.Content[0], lineStarts: []int{0}}
	for i, c := range text {
		if c == '\n' && i+1 < len(text) {
			s.lineStarts = append(s.lineStarts, i+1)
		}
	}
	return s, nil
}

// checkUniqueKeys refuses a mapping that has a key twice. YAML forbids
// it, but yaml.v3 keeps both when it decodes into nodes, and which one
// counts would then be a guess.
func checkUniqueKeys(n *yaml.Node, firstLine int) error {
	if n.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i]
			if seen[key.Value] {
				return fmt.Errorf("line %d: the key %q appears twice in one mapping", key.Line+firstLine-1, key.Value)
			}
			seen[key.Value] = true
		}
	}
	for _, c := range n.Content {
		if err := checkUniqueKeys(c, firstLine); err != nil {
			return err
		}
	}
	return nil
}

// line returns line n (1-based) without its newline.
func (s *source) line(n int) []byte {
	start := s.lineStarts[n-1]
	end := len(s.text)
	if n < len(s.lineStarts) {
		end = s.lineStarts[n]
	}
	return bytes.TrimRight(s.text[start:end], "\r\n")
}

// offset converts a node's line and column (1-based; yaml.v3 counts the
// column in characters) to a byte offset in the text.
func (s *source) offset(line, column int) int {
	off := s.lineStarts[line-1]
	for c := 1; c < column; c++ {
		_, size := utf8.DecodeRune(s.text[off:])
		off += size
	}
	return off
}

// indentation counts the spaces a line starts with.
func indentation(line []byte) int {
	return len(line) - len(bytes.TrimLeft(line, " "))
}

func isBlank(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

// blockEnd returns the byte offset just past the last line of the block
// that starts on line start and belongs to something indented by
// ownerIndent: the following lines belong to it while they are blank or
// indented deeper, or, for a mapping entry (sequenceAtIndent), are items
// of a block sequence written at the key's own indentation, which YAML
// allows ("required:\n- name"). Trailing blank lines are left out.
func (s *source) blockEnd(start, ownerIndent int, sequenceAtIndent bool) int {
	last := start
	for n := start + 1; n <= len(s.lineStarts); n++ {
		l := s.line(n)
		if isBlank(l) {
			continue
		}
		indent := indentation(l)
		if indent < ownerIndent || indent == ownerIndent && !(sequenceAtIndent && isSequenceItem(l[indent:])) {
			break
		}
		last = n
	}
	if last < len(s.lineStarts) {
		return s.lineStarts[last]
	}
	return len(s.text)
}

// isSequenceItem reports whether a line, from its first non-space
// character, is a block sequence item: "- x", or "-" alone.
func isSequenceItem(l []byte) bool {
	return len(l) > 0 && l[0] == '-' && (len(l) == 1 || l[1] == ' ' || l[1] == '\t')
}

// entryRange returns the text of a block mapping's entry (key and value),
// from its key to the end of its last line.
func (s *source) entryRange(key *yaml.Node) (start, end int) {
	return s.offset(key.Line, key.Column), s.blockEnd(key.Line, key.Column-1, true)
}

// itemRange returns the text of a block sequence's item, from just after
// its "- " to the end of its last line. ok is false when the item does not
// start on its dash's line.
func (s *source) itemRange(item *yaml.Node) (start, end int, ok bool) {
	l := s.line(item.Line)
	dash := indentation(l)
	if dash >= len(l) || l[dash] != '-' || s.offset(item.Line, item.Column)-s.lineStarts[item.Line-1] <= dash {
		return 0, 0, false
	}
	return s.offset(item.Line, item.Column), s.blockEnd(item.Line, dash, false), true
}

// startsLine reports whether a node is the first thing on its line, as a
// mapping key is unless it is the first key of a sequence item ("- name:").
func (s *source) startsLine(n *yaml.Node) bool {
	return indentation(s.line(n.Line)) == n.Column-1
}
