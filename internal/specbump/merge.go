package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// merged is the base document (openapi.yaml) with one docs page's
// operations, components and version put in, as YAML nodes. It shares
// every untouched node with the base and every new one with the page.
type merged struct {
	root *yaml.Node
	// spine holds the base's mappings that were copied to take the page's
	// entries: their positions are the base's, their content is new, so
	// the text patcher must descend into them, never copy their text.
	spine map[*yaml.Node]bool
	page  *source
}

// claims records what the pages of one update put in the spec, so that
// two pages that disagree about an operation or a schema are refused
// instead of the last one silently winning.
type claims map[string]claim

type claim struct {
	page string
	node *yaml.Node
}

func (c claims) add(what, page string, node *yaml.Node) error {
	if prev, ok := c[what]; ok && prev.page != page && !sameYAML(prev.node, node) {
		return fmt.Errorf("%s and %s disagree about %s: give pages of one spec version, or the whole document", prev.page, page, what)
	}
	c[what] = claim{page: page, node: node}
	return nil
}

// operationAt names an operation by method and path, as the changelog does.
func operationAt(method, path string) string { return strings.ToUpper(method) + " " + path }

// mergePage puts a docs page into the base document: each of its
// operations is added, or replaces the operation at the same path and
// method; each of its components (schemas and the rest) is added or
// replaces the one of the same name; its info.version becomes the spec's;
// its top-level tags and servers are merged into the spec's, by name and
// by url (see toplevel.go, which also puts a differing top-level security
// on the page's operations before the merge). It returns what it did with
// the tags and servers, for the report.
//
// A page that contradicts the base is refused: an operation whose id is
// another at its path and method, or whose id the base has elsewhere, or a
// path-level field (such as parameters) changed under an operation of the
// base that the page does not give. Such changes (an operation renamed or
// moved) can only come as a whole document, since a page cannot say what
// it removes, and speaks for its own operations only.
func mergePage(base, page *source, seen claims) (*merged, []string, error) {
	if major, pageMajor := majorMinor(scalarValue(base.root, "openapi")), majorMinor(scalarValue(page.root, "openapi")); major != pageMajor {
		return nil, nil, fmt.Errorf("%s: OpenAPI %s, but the vendored spec is OpenAPI %s", page.name, pageMajor, major)
	}
	m := &merged{page: page, spine: map[*yaml.Node]bool{}}
	m.root = m.copyOf(base.root)
	if err := m.putOperations(base, seen); err != nil {
		return nil, nil, err
	}
	if err := m.putComponents(seen); err != nil {
		return nil, nil, err
	}
	var notes []string
	for _, list := range []struct{ key, id string }{{"tags", "name"}, {"servers", "url"}} {
		n, err := m.putListByKey(list.key, list.id)
		if err != nil {
			return nil, nil, err
		}
		notes = append(notes, n...)
	}
	pageInfo := mappingValue(page.root, "info")
	info, err := m.into(m.root, mappingKey(page.root, "info"), pageInfo)
	if err != nil {
		return nil, nil, err
	}
	if info != nil {
		m.set(info, mappingKey(pageInfo, "version"), mappingValue(pageInfo, "version"))
	}
	return m, notes, nil
}

// putOperations puts the page's path items into the merged document: a
// new path whole, the operations of a known one each in place of the
// base's.
func (m *merged) putOperations(base *source, seen claims) error {
	page := m.page
	where := operationIDs(base.root)
	pagePaths := mappingValue(page.root, "paths")
	for i := 0; i+1 < len(pagePaths.Content); i += 2 {
		pathKey, item := pagePaths.Content[i], pagePaths.Content[i+1]
		path := pathKey.Value
		baseItem := mappingValue(mappingValue(base.root, "paths"), path)
		for j := 0; j+1 < len(item.Content); j += 2 {
			key, value := item.Content[j], item.Content[j+1]
			if !httpMethods[key.Value] {
				if other := operationNotIn(baseItem, item); other != "" && !sameYAML(mappingValue(baseItem, key.Value), value) {
					return fmt.Errorf("%s: changes the path-level %s of %s, which %s shares; update from the whole document instead", page.name, key.Value, path, operationAt(other, path))
				}
				if err := seen.add(fmt.Sprintf("the path-level %s of %s", key.Value, path), page.name, value); err != nil {
					return err
				}
				continue
			}
			op := operationAt(key.Value, path)
			id := scalarValue(value, "operationId")
			if baseID := scalarValue(mappingValue(baseItem, key.Value), "operationId"); baseID != "" && baseID != id {
				return fmt.Errorf("%s: %s is %s in openapi.yaml but %s in the page; a page may replace an operation, not rename it (update from the whole document instead)", page.name, op, baseID, id)
			}
			if other, ok := where[id]; ok && other != op {
				return fmt.Errorf("%s: operationId %s is %s in the page but %s in openapi.yaml; a page may replace an operation, not move it (update from the whole document instead)", page.name, id, op, other)
			}
			where[id] = op
			if err := seen.add(op, page.name, value); err != nil {
				return err
			}
		}
	}

	return m.putTwoLevels(mappingKey(page.root, "paths"), pagePaths)
}

// putComponents puts the page's components (schemas, security schemes and
// any other kind) into the merged document, each in place of the base's
// of the same kind and name, or added.
func (m *merged) putComponents(seen claims) error {
	page := m.page
	components := mappingValue(page.root, "components")
	if components == nil || components.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(components.Content); i += 2 {
		kindKey, byName := components.Content[i], components.Content[i+1]
		if byName.Kind != yaml.MappingNode {
			return fmt.Errorf("%s: components.%s is not a mapping", page.name, kindKey.Value)
		}
		for j := 0; j+1 < len(byName.Content); j += 2 {
			if err := seen.add("components."+kindKey.Value+"."+byName.Content[j].Value, page.name, byName.Content[j+1]); err != nil {
				return err
			}
		}
	}
	return m.putTwoLevels(mappingKey(page.root, "components"), components)
}

// putTwoLevels puts the page's mapping of mappings under key (paths by
// path, then by method; components by kind, then by name) into the merged
// document, each inner entry in place of the base's or added.
func (m *merged) putTwoLevels(key, outer *yaml.Node) error {
	target, err := m.into(m.root, key, outer)
	if err != nil || target == nil {
		return err
	}
	for i := 0; i+1 < len(outer.Content); i += 2 {
		inner, err := m.into(target, outer.Content[i], outer.Content[i+1])
		if err != nil {
			return err
		}
		if inner == nil {
			continue
		}
		entries := outer.Content[i+1]
		for j := 0; j+1 < len(entries.Content); j += 2 {
			m.set(inner, entries.Content[j], entries.Content[j+1])
		}
	}
	return nil
}

// into returns the base's mapping under key, in the spine, for the page's
// entries to go in. When the base has nothing there to keep (no such key,
// an empty mapping, a scalar such as null), it puts the page's whole
// entry instead and returns nil. A flow mapping ({a: 1, b: 2}) is refused:
// its entries share lines, which the text patcher cannot edit one by one.
func (m *merged) into(parent, key, value *yaml.Node) (*yaml.Node, error) {
	old := mappingValue(parent, key.Value)
	if old == nil || old.Kind != yaml.MappingNode || len(old.Content) == 0 {
		m.set(parent, key, value)
		return nil, nil
	}
	if !isBlock(old) {
		return nil, fmt.Errorf("%s: cannot merge into %s of openapi.yaml (line %d), a mapping in flow style; update from the whole document instead", m.page.name, key.Value, old.Line)
	}
	return m.editable(parent, key.Value), nil
}

// copyOf returns a copy of a base mapping that can take new entries.
func (m *merged) copyOf(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = slices.Clone(n.Content)
	m.spine[&c] = true
	return &c
}

// editable returns the value of key in parent (a spine mapping), copied
// into the spine if it is not there yet.
func (m *merged) editable(parent *yaml.Node, key string) *yaml.Node {
	i := mappingEntry(parent, key)
	v := parent.Content[i+1]
	if !m.spine[v] {
		v = m.copyOf(v)
		parent.Content[i+1] = v
	}
	return v
}

// set puts the page's entry (key and value) into a spine mapping: in place
// of the entry of the same key, or where insertAt says.
func (m *merged) set(parent, key, value *yaml.Node) {
	if i := mappingEntry(parent, key.Value); i >= 0 {
		parent.Content[i], parent.Content[i+1] = key, value
		return
	}
	i := 2 * insertAt(mappingKeys(parent), key.Value)
	parent.Content = slices.Insert(parent.Content, i, key, value)
}

// insertAt chooses where a new key goes among keys, so that the diff
// lands where a reader looks for it: in order when the keys are sorted
// (as upstream's schemas are), else after the last key that shares the
// longest prefix with it (a new path beside its siblings), else at the end.
func insertAt(keys []string, key string) int {
	if len(keys) > 0 && sort.StringsAreSorted(keys) {
		return sort.SearchStrings(keys, key)
	}
	best, bestLen := len(keys), 0
	for i, k := range keys {
		if n := commonPrefixLen(k, key); n > 0 && n >= bestLen {
			best, bestLen = i+1, n
		}
	}
	return best
}

func commonPrefixLen(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// operationNotIn returns the method of an operation of the base's path
// item that the page's lacks, or "".
func operationNotIn(baseItem, pageItem *yaml.Node) string {
	if baseItem == nil {
		return ""
	}
	for _, key := range mappingKeys(baseItem) {
		if httpMethods[key] && mappingValue(pageItem, key) == nil {
			return key
		}
	}
	return ""
}

// operationIDs maps each operationId of a document to its method and path.
func operationIDs(root *yaml.Node) map[string]string {
	ids := map[string]string{}
	_ = forEachOperation(root, func(method, path string, op *yaml.Node) error {
		if id := scalarValue(op, "operationId"); id != "" {
			ids[id] = operationAt(method, path)
		}
		return nil
	})
	return ids
}

// majorMinor returns "3.1" of "3.1.0".
func majorMinor(version string) string {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return version
	}
	return parts[0] + "." + parts[1]
}
