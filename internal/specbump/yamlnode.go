package main

import (
	"go.yaml.in/yaml/v3"
)

// mappingEntry finds key in a mapping node and returns its index in
// Content (the key's; the value follows it), or -1.
func mappingEntry(m *yaml.Node, key string) int {
	if m == nil || m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// mappingValue returns the value of key in a mapping node, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if i := mappingEntry(m, key); i >= 0 {
		return m.Content[i+1]
	}
	return nil
}

// mappingKey returns the key node of key in a mapping node, or nil.
func mappingKey(m *yaml.Node, key string) *yaml.Node {
	if i := mappingEntry(m, key); i >= 0 {
		return m.Content[i]
	}
	return nil
}

// scalarValue returns the value of key when it is a scalar, or "".
func scalarValue(m *yaml.Node, key string) string {
	if v := mappingValue(m, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

// mappingKeys lists the keys of a mapping node, in order.
func mappingKeys(m *yaml.Node) []string {
	var keys []string
	for i := 0; i+1 < len(m.Content); i += 2 {
		keys = append(keys, m.Content[i].Value)
	}
	return keys
}

// isBlock reports whether a collection node is written in block style,
// one entry a line, which is what the text patcher can edit in place.
func isBlock(n *yaml.Node) bool { return n.Style&yaml.FlowStyle == 0 }

// resolveAlias follows alias nodes to the node they name.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// sameYAML reports whether two nodes hold the same data: the same scalars
// with the same resolved tags, the same sequences in order, and mappings
// with the same keys whatever their order. Style (quoting, folding, flow or
// block) and position do not count: they are how a serializer wrote the
// data, not the data.
func sameYAML(a, b *yaml.Node) bool {
	a, b = resolveAlias(a), resolveAlias(b)
	if a == b {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	if a.Kind == yaml.DocumentNode && len(a.Content) == 1 {
		a = a.Content[0]
	}
	if b.Kind == yaml.DocumentNode && len(b.Content) == 1 {
		b = b.Content[0]
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case yaml.ScalarNode:
		return a.ShortTag() == b.ShortTag() && a.Value == b.Value
	case yaml.SequenceNode:
		if len(a.Content) != len(b.Content) {
			return false
		}
		for i := range a.Content {
			if !sameYAML(a.Content[i], b.Content[i]) {
				return false
			}
		}
		return true
	case yaml.MappingNode:
		if len(a.Content) != len(b.Content) {
			return false
		}
		for i := 0; i+1 < len(a.Content); i += 2 {
			other := mappingValue(b, a.Content[i].Value)
			if other == nil || !sameYAML(a.Content[i+1], other) {
				return false
			}
		}
		return true
	}
	return false
}
