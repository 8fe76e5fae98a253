package main

import (
	"bytes"
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"
)

// patchText writes the merged document as the base's text with only what
// changed spliced in, so that openapi.yaml keeps its key order, its
// quoting and its line folding everywhere else, and a spec bump's diff
// shows the API's change and nothing more. (Re-serializing the parse would
// refold every long description of the 550 KB file.) New text is copied
// from the page, re-indented: upstream's pages come from the same
// serializer as its whole document.
//
// The result is parsed again and compared with the merged nodes; a
// mismatch is reported as an error rather than written.
func patchText(base *source, m *merged) ([]byte, error) {
	p := &patcher{base: base, merged: m}
	if !p.mapping(base.root, m.root) {
		return nil, fmt.Errorf("cannot splice %s into openapi.yaml: %w", m.page.name, p.failure())
	}
	out := p.apply()
	check, err := parseSource("openapi.yaml as updated", 1, out)
	if err != nil {
		return nil, fmt.Errorf("splicing %s into openapi.yaml made invalid YAML (a bug of specbump): %w", m.page.name, err)
	}
	if !sameYAML(check.root, m.root) {
		return nil, fmt.Errorf("splicing %s into openapi.yaml did not give the merged document (a bug of specbump)", m.page.name)
	}
	return out, nil
}

// edit replaces text[start:end] of the base with text.
type edit struct {
	start, end int
	text       []byte
}

type patcher struct {
	base   *source
	merged *merged
	edits  []edit
	err    error
	// pageNodes holds every node of the page, to tell its text from the
	// base's (nodes carry no owner).
	pageNodes map[*yaml.Node]bool
}

func (p *patcher) failure() error {
	if p.err != nil {
		return p.err
	}
	return fmt.Errorf("the top level of openapi.yaml is not in block style")
}

// apply returns the base text with the edits made. Edits never overlap;
// an insertion and a replacement may start at the same offset, and
// insertions at one offset keep the order they were made in.
func (p *patcher) apply() []byte {
	order := make([]int, len(p.edits))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ea, eb := p.edits[order[a]], p.edits[order[b]]
		if ea.start != eb.start {
			return ea.start > eb.start
		}
		if ea.end != eb.end {
			return ea.end > eb.end
		}
		return order[a] > order[b]
	})
	out := bytes.Clone(p.base.text)
	for _, i := range order {
		e := p.edits[i]
		out = append(out[:e.start], append(bytes.Clone(e.text), out[e.end:]...)...)
	}
	return out
}

// sourceOf returns the text a node of the merged document was parsed
// from: the page's, or the base's.
func (p *patcher) sourceOf(n *yaml.Node) *source {
	if p.pageNodes == nil {
		p.pageNodes = map[*yaml.Node]bool{}
		var walk func(*yaml.Node)
		walk = func(x *yaml.Node) {
			p.pageNodes[x] = true
			for _, c := range x.Content {
				walk(c)
			}
		}
		walk(p.merged.page.root)
	}
	if p.pageNodes[n] {
		return p.merged.page
	}
	return p.base
}

// value makes the edits that turn old (a base node) into new. It returns
// false, having made no edit, when it cannot, and the caller then replaces
// the whole entry or item.
func (p *patcher) value(old, new *yaml.Node) bool {
	if p.merged.spine[new] {
		if new.Kind == yaml.SequenceNode {
			return p.sequence(old, new)
		}
		return p.mapping(old, new)
	}
	if sameYAML(old, new) {
		return true
	}
	if old.Kind != new.Kind || !isBlock(old) || !isBlock(new) {
		return false
	}
	switch old.Kind {
	case yaml.MappingNode:
		return p.mapping(old, new)
	case yaml.SequenceNode:
		if len(old.Content) != len(new.Content) || len(old.Content) == 0 {
			return false
		}
		mark := len(p.edits)
		for i := range old.Content {
			if !p.value(old.Content[i], new.Content[i]) && !p.replaceItem(old.Content[i], new.Content[i]) {
				p.edits = p.edits[:mark]
				return false
			}
		}
		return true
	}
	return false
}

// mapping edits a block mapping entry by entry: entries that the new
// mapping lacks are deleted, changed ones are edited or replaced, new
// ones are inserted after the entry they follow in the new mapping. The
// base's order of the entries it keeps is kept.
func (p *patcher) mapping(old, new *yaml.Node) bool {
	if old.Kind != yaml.MappingNode || new.Kind != yaml.MappingNode || !isBlock(old) || len(old.Content) == 0 {
		return false
	}
	mark := len(p.edits)
	fail := func() bool {
		p.edits = p.edits[:mark]
		return false
	}
	first := old.Content[0]
	// The first key of a sequence item shares its line with the dash;
	// deleting it or inserting before it would need the dash moved.
	firstStartsLine := p.base.startsLine(first)
	for i := 0; i+1 < len(old.Content); i += 2 {
		key := old.Content[i]
		if mappingEntry(new, key.Value) >= 0 {
			continue
		}
		if !p.base.startsLine(key) {
			return fail()
		}
		_, end := p.base.entryRange(key)
		p.edits = append(p.edits, edit{start: p.base.lineStarts[key.Line-1], end: end})
	}
	var after *yaml.Node // the last base key passed, in the new order
	for i := 0; i+1 < len(new.Content); i += 2 {
		key, value := new.Content[i], new.Content[i+1]
		if j := mappingEntry(old, key.Value); j >= 0 {
			after = old.Content[j]
			if !p.value(old.Content[j+1], value) && !p.replaceEntry(old.Content[j], key, value) {
				return fail()
			}
			continue
		}
		text := p.entryText(key, first.Column)
		var at int
		if after == nil {
			if !firstStartsLine {
				return fail()
			}
			at = p.base.lineStarts[first.Line-1]
		} else {
			_, at = p.base.entryRange(after)
		}
		prefix := bytes.Repeat([]byte(" "), first.Column-1)
		if at == len(p.base.text) && at > 0 && p.base.text[at-1] != '\n' {
			prefix = append([]byte("\n"), prefix...)
		}
		p.edits = append(p.edits, edit{start: at, end: at, text: append(prefix, text...)})
	}
	return true
}

// sequence edits a block sequence that the merge extended (the top-level
// tags or servers): the base's items it keeps stay, changed ones are
// replaced, and new ones are appended after the last.
func (p *patcher) sequence(old, new *yaml.Node) bool {
	if old.Kind != yaml.SequenceNode || !isBlock(old) || len(old.Content) == 0 || len(new.Content) < len(old.Content) {
		return false
	}
	mark := len(p.edits)
	for i := range old.Content {
		if !p.value(old.Content[i], new.Content[i]) && !p.replaceItem(old.Content[i], new.Content[i]) {
			p.edits = p.edits[:mark]
			return false
		}
	}
	last := old.Content[len(old.Content)-1]
	_, at, ok := p.base.itemRange(last)
	if !ok {
		p.edits = p.edits[:mark]
		return false
	}
	dash := bytes.Repeat([]byte(" "), indentation(p.base.line(last.Line)))
	for _, item := range new.Content[len(old.Content):] {
		src := p.sourceOf(item)
		from, to, ok := src.itemRange(item)
		if !ok || p.merged.spine[item] {
			p.edits = p.edits[:mark]
			return false
		}
		text := append(append(bytes.Clone(dash), "- "...), reindent(src.text[from:to], old.Content[0].Column-item.Column)...)
		if len(text) > 0 && text[len(text)-1] != '\n' {
			text = append(text, '\n')
		}
		p.edits = append(p.edits, edit{start: at, end: at, text: text})
	}
	return true
}

// replaceEntry replaces the base entry of oldKey with the merged
// document's entry of newKey.
func (p *patcher) replaceEntry(oldKey, newKey, newValue *yaml.Node) bool {
	if p.merged.spine[newValue] {
		// A copied base mapping has new content at the base's positions:
		// it has no text to copy, and mapping() could not edit it.
		p.err = fmt.Errorf("cannot edit the entry %q in place", oldKey.Value)
		return false
	}
	text := p.entryText(newKey, oldKey.Column)
	start, end := p.base.entryRange(oldKey)
	p.edits = append(p.edits, edit{start: start, end: end, text: text})
	return true
}

// replaceItem replaces a base sequence item with the merged document's.
func (p *patcher) replaceItem(old, new *yaml.Node) bool {
	start, end, ok := p.base.itemRange(old)
	if !ok || p.merged.spine[new] {
		return false
	}
	src := p.sourceOf(new)
	from, to, ok := src.itemRange(new)
	if !ok {
		return false
	}
	p.edits = append(p.edits, edit{start: start, end: end, text: reindent(src.text[from:to], old.Column-new.Column)})
	return true
}

// entryText returns the text of the merged document's entry of key, from
// the text it was parsed from, re-indented for a key at column.
func (p *patcher) entryText(key *yaml.Node, column int) []byte {
	src := p.sourceOf(key)
	start, end := src.entryRange(key)
	text := reindent(src.text[start:end], column-key.Column)
	if len(text) > 0 && text[len(text)-1] != '\n' {
		text = append(text, '\n')
	}
	return text
}

// reindent shifts every line of text but the first (which is placed by
// the caller) by delta columns.
func reindent(text []byte, delta int) []byte {
	if delta == 0 {
		return bytes.Clone(text)
	}
	lines := bytes.SplitAfter(text, []byte("\n"))
	var out []byte
	for i, l := range lines {
		if i > 0 && !isBlank(l) {
			if delta > 0 {
				l = append(bytes.Repeat([]byte(" "), delta), l...)
			} else {
				l = l[min(-delta, indentation(l)):]
			}
		}
		out = append(out, l...)
	}
	return out
}
