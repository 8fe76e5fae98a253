package gatewaytest

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// listFilter is the part of AIP-160 filters the fake interprets:
// comparisons of a field with a literal, joined by AND:
//
//	state = READY
//	displayName="my model" AND state != FAILED
//	autoscalingPolicy.minReplicaCount = 0
//
// Fields are JSON names (or their snake_case); literals are quoted
// strings, or bare words and numbers. A comparison holds when the field's
// value, as text, equals (or differs from) the literal; a missing field
// equals nothing. Anything else (OR, NOT, parentheses, <, has) is refused,
// so that a filter the fake would misread never passes as "every item".
type listFilter struct {
	terms []filterTerm
}

type filterTerm struct {
	path  []string
	not   bool // !=
	value string
}

// maxFilterLength bounds the text the parser reads.
const maxFilterLength = 4096

// parseFilter parses a filter; nil for an empty one. problem never quotes
// the filter's text (it may hold values a test keeps private).
func parseFilter(s string) (*listFilter, string) {
	if strings.TrimSpace(s) == "" {
		return nil, ""
	}
	if len(s) > maxFilterLength {
		return nil, "longer than the fake reads"
	}
	const unsupported = "the fake interprets only comparisons field = value or field != value joined by AND"
	p := filterParser{s: s}
	f := &listFilter{}
	for {
		term, ok := p.term()
		if !ok {
			return nil, unsupported
		}
		f.terms = append(f.terms, term)
		p.space()
		if p.done() {
			return f, ""
		}
		if !p.keyword("AND") {
			return nil, unsupported
		}
	}
}

type filterParser struct {
	s string
	i int
}

func (p *filterParser) done() bool { return p.i >= len(p.s) }

func (p *filterParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *filterParser) keyword(kw string) bool {
	p.space()
	if !strings.HasPrefix(p.s[p.i:], kw) {
		return false
	}
	end := p.i + len(kw)
	if end < len(p.s) && p.s[end] != ' ' && p.s[end] != '\t' {
		return false
	}
	p.i = end
	return true
}

func (p *filterParser) term() (filterTerm, bool) {
	var t filterTerm
	p.space()
	for {
		ident := p.ident()
		if ident == "" {
			return t, false
		}
		t.path = append(t.path, camel(ident))
		if p.i < len(p.s) && p.s[p.i] == '.' {
			p.i++
			continue
		}
		break
	}
	p.space()
	switch {
	case strings.HasPrefix(p.s[p.i:], "!="):
		t.not = true
		p.i += 2
	case strings.HasPrefix(p.s[p.i:], "="):
		p.i++
	default:
		return t, false
	}
	p.space()
	value, ok := p.literal()
	t.value = value
	return t, ok
}

func (p *filterParser) ident() string {
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || (p.i > start && '0' <= c && c <= '9') {
			p.i++
			continue
		}
		break
	}
	return p.s[start:p.i]
}

// literal reads a quoted string (with \" and \\ escapes) or a bare word.
func (p *filterParser) literal() (string, bool) {
	if p.done() {
		return "", false
	}
	if q := p.s[p.i]; q == '"' || q == '\'' {
		var b strings.Builder
		for p.i++; p.i < len(p.s); p.i++ {
			c := p.s[p.i]
			switch {
			case c == '\\' && p.i+1 < len(p.s):
				p.i++
				b.WriteByte(p.s[p.i])
			case c == q:
				p.i++
				return b.String(), true
			default:
				b.WriteByte(c)
			}
		}
		return "", false // unterminated
	}
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == ' ' || c == '\t' || c == '(' || c == ')' || c == '"' || c == '\'' || c == '=' || c == '!' || c == '<' || c == '>' {
			break
		}
		p.i++
	}
	return p.s[start:p.i], p.i > start
}

// check refuses a filter on a field the resource does not have.
func (f *listFilter) check(schema *openapi3.Schema) string {
	if f == nil {
		return ""
	}
	for _, t := range f.terms {
		s := schema
		for i, part := range t.path {
			var p *openapi3.SchemaRef
			if s != nil {
				p = s.Properties[part]
			}
			if p == nil || p.Value == nil {
				return "no field " + strings.Join(t.path[:i+1], ".") + " in the resource"
			}
			s = p.Value
		}
	}
	return ""
}

// matches evaluates the filter on a resource's JSON.
func (f *listFilter) matches(public []byte) bool {
	obj, err := decodeObject(public)
	if err != nil {
		return false
	}
	for _, t := range f.terms {
		var v any = obj
		for _, part := range t.path {
			m, _ := v.(map[string]any)
			v = m[part]
		}
		text, present := valueText(v)
		equal := present && text == t.value
		if equal == t.not {
			return false
		}
	}
	return true
}

// valueText is a scalar's text for a comparison.
func valueText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}
