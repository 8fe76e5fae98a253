package specvalidate

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// A writeOnly property (OpenAPI's mark for a value that is sent in requests
// and never returned, such as a Secret's INPUT_ONLY value, which the
// overlay marks so) must never appear in a response. JSON Schema treats
// writeOnly as an annotation only, so the compiled validators let it
// through; this file finds it.
//
// writeOnlyNode is where writeOnly properties can be in a value of one
// schema: its own writeOnly properties, and the children under which more
// are to be found. Nodes are made once per schema and shared, so a
// recursive schema gives a cyclic graph, walked by the value (which is
// finite), never by the graph.
type writeOnlyNode struct {
	writeOnly  map[string]bool           // properties marked writeOnly
	props      map[string]*writeOnlyNode // properties under which more may be
	items      *writeOnlyNode            // array items
	additional *writeOnlyNode            // additionalProperties
	relevant   bool                      // a writeOnly property is at or under it (set by finish)
}

// writeOnlyIndex builds the nodes of a spec's schemas, once per schema.
type writeOnlyIndex struct {
	nodes map[*openapi3.Schema]*writeOnlyNode
}

func newWriteOnlyIndex() *writeOnlyIndex {
	return &writeOnlyIndex{nodes: map[*openapi3.Schema]*writeOnlyNode{}}
}

// forSchema returns the node of a schema; it counts only after finish.
func (x *writeOnlyIndex) forSchema(ref *openapi3.SchemaRef) *writeOnlyNode {
	if ref == nil || ref.Value == nil {
		return nil
	}
	return x.build(ref.Value)
}

// build makes (or finds) the node of s and of every schema under it.
func (x *writeOnlyIndex) build(s *openapi3.Schema) *writeOnlyNode {
	if n, ok := x.nodes[s]; ok {
		return n
	}
	n := &writeOnlyNode{}
	x.nodes[s] = n // before the children: a recursive schema finds it
	var merge func(s *openapi3.Schema)
	merge = func(s *openapi3.Schema) {
		for name, p := range s.Properties {
			if p == nil || p.Value == nil {
				continue
			}
			if p.Value.WriteOnly {
				if n.writeOnly == nil {
					n.writeOnly = map[string]bool{}
				}
				n.writeOnly[name] = true
				continue // nothing under it may be returned either
			}
			if n.props == nil {
				n.props = map[string]*writeOnlyNode{}
			}
			n.props[name] = x.build(p.Value)
		}
		if s.Items != nil && s.Items.Value != nil {
			n.items = x.build(s.Items.Value)
		}
		if ap := s.AdditionalProperties.Schema; ap != nil && ap.Value != nil {
			n.additional = x.build(ap.Value)
		}
		// A value of s is also a value of each of these: their
		// properties are s's.
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, sub := range group {
				if sub != nil && sub.Value != nil {
					merge(sub.Value)
				}
			}
		}
	}
	merge(s)
	return n
}

// finish marks every node built so far that has a writeOnly property at
// it or under it: a fixed point, since the graph may have cycles. The
// others are never walked, so that checking a response whose schema can
// hold no writeOnly property (every response of the Gateway but the
// Secret's) costs nothing.
func (x *writeOnlyIndex) finish() {
	for changed := true; changed; {
		changed = false
		for _, n := range x.nodes {
			if n.relevant {
				continue
			}
			if len(n.writeOnly) > 0 || n.items.isRelevant() || n.additional.isRelevant() || slices.ContainsFunc(slices.Collect(maps.Values(n.props)), (*writeOnlyNode).isRelevant) {
				n.relevant = true
				changed = true
			}
		}
	}
}

func (n *writeOnlyNode) isRelevant() bool { return n != nil && n.relevant }

// foldsToWriteOnly reports whether key, which no property declares as it
// is, names a writeOnly property but for case ("Value"): Go's encoding/json
// (and so the SDK's decoding into gen types) matches field names without
// regard to case, so such a key would deliver the value all the same.
func (n *writeOnlyNode) foldsToWriteOnly(key string) bool {
	for name := range n.writeOnly {
		if strings.EqualFold(name, key) {
			return true
		}
	}
	return false
}

// problem returns the error for a response value v that carries writeOnly
// properties, naming the first by JSON pointer order and counting the
// others; nil when it carries none. It names places, never values.
func (n *writeOnlyNode) problem(v any) *Error {
	if !n.isRelevant() {
		return nil
	}
	var found []string
	n.find(v, "", &found)
	if len(found) == 0 {
		return nil
	}
	slices.Sort(found)
	e := invalid(PartResponseBody, found[0], "writeOnly property: the spec says it is never returned")
	e.More = len(found) - 1
	return e
}

// find appends the JSON pointer of every writeOnly property in v, a
// decoded JSON value of n's schema found at the pointer at.
func (n *writeOnlyNode) find(v any, at string, found *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for key, child := range v {
			ptr := at + "/" + escapePointerToken(key)
			sub, declared := n.props[key]
			switch {
			case n.writeOnly[key] || (!declared && n.foldsToWriteOnly(key)):
				*found = append(*found, ptr)
			case declared:
				if sub.isRelevant() {
					sub.find(child, ptr, found)
				}
			case n.additional.isRelevant():
				n.additional.find(child, ptr, found)
			}
		}
	case []any:
		if !n.items.isRelevant() {
			return
		}
		for i, child := range v {
			n.items.find(child, at+"/"+strconv.Itoa(i), found)
		}
	}
}
