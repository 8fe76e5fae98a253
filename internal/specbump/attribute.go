package main

import (
	"strings"
	"unicode"
)

// attribute links each Go API break to the spec changes that caused it,
// by the names the generator derives from the spec: a removed constant
// RegionUsIowa1 ends with the enum value US_IOWA_1 (and names the
// property region), a removed field ReplicaStats.PartialReplicaCount
// is the property partialReplicaCount, a removed method or type
// (*Client).GetModel, GetModelParams names the operation Gateway_GetModel.
// Names are compared with case and punctuation dropped. A break that no
// change names is left without a cause: the report says so rather than
// guess.
func attribute(breaks []*goChange, groups []*wireGroup) {
	for _, c := range breaks {
		parts := identParts(c.ident)
		whole := normalizeName(strings.Join(parts, ""))
		last := normalizeName(parts[len(parts)-1])
		best := 0
		var causes []*wireGroup
		for _, g := range groups {
			score := matchScore(g, whole, last)
			switch {
			case score == 0 || score < best:
				continue
			case score > best:
				best, causes = score, nil
			}
			causes = append(causes, g)
		}
		c.causes = causes
		for _, g := range causes {
			g.goBreaks = append(g.goBreaks, c)
		}
	}
}

// matchScore rates how well a spec change explains a Go identifier: 0 not
// at all, 2 by its own name, 3 by its name and its context.
func matchScore(g *wireGroup, whole, last string) int {
	switch {
	case g.value != "":
		// An enum constant: the type's name, then the value.
		v := normalizeName(g.value)
		if v == "" || !strings.HasSuffix(last, v) {
			return 0
		}
		for _, p := range g.propertyPaths() {
			if strings.Contains(strings.TrimSuffix(whole, v), normalizeName(lastPathElement(p))) {
				return 3
			}
		}
		return 2
	case g.property != "":
		// A field: the property's name.
		if normalizeName(g.property) != last {
			return 0
		}
		for _, op := range g.findings {
			if name := normalizeName(operationGoName(op.id)); name != "" && strings.HasPrefix(whole, name) {
				return 3
			}
		}
		return 2
	}
	// A method or a type of an operation: its name starts with the
	// operation's (GetModelParams, GetModelResponse) or is it.
	for _, f := range g.findings {
		name := normalizeName(operationGoName(f.id))
		if name == "" {
			continue
		}
		if last == name {
			return 3
		}
		if strings.HasPrefix(whole, name) || strings.HasPrefix(last, name) {
			return 2
		}
	}
	return 0
}

// identParts splits apidiff's identifier into names: "(*Client).GetModel"
// is Client and GetModel; "ReplicaStats.PartialReplicaCount" is
// the type and the field.
func identParts(ident string) []string {
	ident = strings.NewReplacer("(", "", ")", "", "*", "").Replace(ident)
	return strings.Split(ident, ".")
}

// operationGoName is the generated name of an operation: its id without
// the tag prefix ("Gateway_GetModel" is GetModel), as internal/gengateway
// names it.
func operationGoName(id string) string {
	if _, name, ok := strings.Cut(id, "_"); ok {
		return name
	}
	return id
}

// normalizeName keeps the letters and digits of a name, in lower case, so
// that a spec's US_IOWA_1 and partialReplicaCount compare with Go's
// USIOWA1 and PartialReplicaCount.
func normalizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
