package main

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A docs page is a slice of upstream's whole document: besides its
// operation and the components it uses, it carries the document's
// top-level tags, servers and security as they are at the page's version.
// The merge takes each of them, or says why not, so that nothing of a page
// is dropped without a word.

// putListByKey merges the page's top-level list under listKey (tags by
// name, servers by url) into the merged document: an entry the base lacks
// is appended, one the base has with other content replaces the base's.
// It returns what it did, for the report.
func (m *merged) putListByKey(listKey, idKey string) ([]string, error) {
	pageKey := mappingKey(m.page.root, listKey)
	pageList := mappingValue(m.page.root, listKey)
	if pageList == nil || pageList.Kind != yaml.SequenceNode || len(pageList.Content) == 0 {
		return nil, nil
	}
	baseList := mappingValue(m.root, listKey)
	if baseList == nil || baseList.Kind != yaml.SequenceNode || len(baseList.Content) == 0 {
		m.set(m.root, pageKey, pageList)
		return []string{fmt.Sprintf("%s: added %s (openapi.yaml had none)", listKey, listIDs(pageList.Content, idKey))}, nil
	}
	var added, replaced []*yaml.Node
	list := m.copyOf(baseList)
	defer func() {
		if len(added)+len(replaced) == 0 {
			delete(m.spine, list)
		}
	}()
	for _, item := range pageList.Content {
		id := scalarValue(item, idKey)
		i := slices.IndexFunc(list.Content, func(n *yaml.Node) bool { return id != "" && scalarValue(n, idKey) == id })
		switch {
		case i < 0:
			list.Content = append(list.Content, item)
			added = append(added, item)
		case !sameYAML(list.Content[i], item):
			list.Content[i] = item
			replaced = append(replaced, item)
		}
	}
	if len(added)+len(replaced) == 0 {
		return nil, nil
	}
	if !isBlock(baseList) {
		note := fmt.Sprintf("%s: %s's differ from openapi.yaml's, which are written in flow style (line %d) and cannot be edited in place: not merged; give the whole document to change them", listKey, m.page.name, baseList.Line)
		added, replaced = nil, nil
		return []string{note}, nil
	}
	m.root.Content[mappingEntry(m.root, listKey)+1] = list
	var notes []string
	if len(added) > 0 {
		note := fmt.Sprintf("%s: added %s", listKey, listIDs(added, idKey))
		if listKey == "servers" {
			note += " after openapi.yaml's, whose first stays the default"
		}
		notes = append(notes, note)
	}
	if len(replaced) > 0 {
		notes = append(notes, fmt.Sprintf("%s: replaced %s with the page's", listKey, listIDs(replaced, idKey)))
	}
	return notes, nil
}

func listIDs(items []*yaml.Node, idKey string) string {
	var ids []string
	for _, item := range items {
		ids = append(ids, "`"+scalarValue(item, idKey)+"`")
	}
	return strings.Join(ids, ", ")
}

// pageSecurityOnOperations returns the page's text with its top-level
// security put on each of its operations that has none of its own, when
// it differs from openapi.yaml's. Replacing openapi.yaml's top-level
// security would change who may call every other operation; an operation's
// own security says the same as the page for the page's operations alone.
func pageSecurityOnOperations(base, page *source) ([]byte, []string, error) {
	pageSecurity := mappingValue(page.root, "security")
	if pageSecurity == nil || sameYAML(pageSecurity, mappingValue(base.root, "security")) {
		return page.text, nil, nil
	}
	n := 0
	text, err := addToOperations(page, func(op *yaml.Node) (string, *yaml.Node) {
		if mappingValue(op, "security") != nil {
			return "", nil
		}
		n++
		return "security", pageSecurity
	})
	if err != nil {
		return nil, nil, err
	}
	if n == 0 {
		return page.text, nil, nil
	}
	note := fmt.Sprintf("security: %s's top-level security differs from openapi.yaml's; it is put on the page's %s, and openapi.yaml's top-level security stays for the others", page.name, plural(n, "operation"))
	return text, []string{note}, nil
}

// handledTopLevel are the top-level fields of a page that the merge takes.
var handledTopLevel = []string{"openapi", "info", "paths", "components", "tags", "servers", "security"}

// unmergedFields says which top-level fields of the page (and fields of
// its info besides the version) differ from openapi.yaml's and are not
// merged: a page speaks for its operations, not for the document.
func unmergedFields(base, page *source) []string {
	var notes []string
	for _, key := range mappingKeys(page.root) {
		if !slices.Contains(handledTopLevel, key) && !sameYAML(mappingValue(page.root, key), mappingValue(base.root, key)) {
			notes = append(notes, fmt.Sprintf("`%s`: %s's differs from openapi.yaml's and is not merged (a page speaks for its operations; give the whole document to change it)", key, page.name))
		}
	}
	pageInfo, baseInfo := mappingValue(page.root, "info"), mappingValue(base.root, "info")
	if pageInfo != nil && pageInfo.Kind == yaml.MappingNode {
		for _, key := range mappingKeys(pageInfo) {
			if key != "version" && !sameYAML(mappingValue(pageInfo, key), mappingValue(baseInfo, key)) {
				notes = append(notes, fmt.Sprintf("`info.%s`: %s's differs from openapi.yaml's and is not merged (only info.version comes from pages)", key, page.name))
			}
		}
	}
	return notes
}
