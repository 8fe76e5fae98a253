package main

import (
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// An operation is deprecated, by rule, when the spec says so in any of the
// ways it does: the deprecated flag, a summary that ends "(Deprecated)", or
// a description that says "deprecated". Its replacement is the operation
// whose id the description (or summary) names ("Deprecated: Use
// CreateEvaluatorV2 instead"), else the operation with the same id and a
// "V2" suffix; else it has none.

var (
	deprecatedWord    = regexp.MustCompile(`(?i)\bdeprecated\b`)
	deprecatedSummary = regexp.MustCompile(`(?i)\s*\(deprecated\)\s*$`)
	// deprecatedParagraph is a description's own "Deprecated: ..." text,
	// which the generated comments replace with theirs.
	deprecatedParagraph = regexp.MustCompile(`(?is)(^|\n\s*\n)\s*deprecated:[^\n]*(\n[^\n]+)*`)
	identifier          = regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9_]*\b`)
)

// deprecation is what the generated comments say of a deprecated operation.
type deprecation struct {
	// Replacement is the operation id to use instead, "" when the spec
	// names none and the rule finds none.
	Replacement string
}

// markDeprecations finds the deprecated operations of spec (operation ids
// without their tag prefix; upstreamIDs gives the prefixed ones, by id),
// and returns them by operation id. It marks each in spec for
// oapi-codegen, whose comments then end with a "Deprecated:" paragraph:
// deprecated set, x-deprecated-reason naming the replacement, and the
// description's own "Deprecated: ..." paragraph removed (the reason says
// it). It runs after the spec is embedded: the embedded spec is the one
// the server publishes.
func markDeprecations(spec *openapi3.T, upstreamIDs map[string]string) map[string]deprecation {
	ids := map[string]string{} // an id, prefixed or not -> the id
	for id, upstream := range upstreamIDs {
		ids[id] = id
		ids[upstream] = id
	}
	out := map[string]deprecation{}
	for _, op := range operations(spec) {
		o := op.Operation
		if !o.Deprecated && !deprecatedSummary.MatchString(o.Summary) && !deprecatedWord.MatchString(o.Description) {
			continue
		}
		d := deprecation{Replacement: replacementOf(o, ids)}
		out[o.OperationID] = d
		o.Deprecated = true
		o.Description = strings.TrimSpace(deprecatedParagraph.ReplaceAllString(o.Description, ""))
		if o.Extensions == nil {
			o.Extensions = map[string]any{}
		}
		o.Extensions["x-deprecated-reason"] = genDeprecationReason(o.OperationID, d)
	}
	return out
}

// replacementOf finds the operation to use instead of o: the first other
// operation id its texts name, else its id with "V2".
func replacementOf(o *openapi3.Operation, ids map[string]string) string {
	var texts []string
	if r, ok := o.Extensions["x-deprecated-reason"].(string); ok {
		texts = append(texts, r)
	}
	texts = append(texts, o.Description, o.Summary)
	for _, text := range texts {
		for _, word := range identifier.FindAllString(text, -1) {
			if id, ok := ids[word]; ok && id != o.OperationID {
				return id
			}
		}
	}
	if id, ok := ids[o.OperationID+"V2"]; ok {
		return id
	}
	return ""
}

// genDeprecationReason is the text of package gen's "Deprecated:"
// paragraphs, which name operations by their id.
func genDeprecationReason(id string, d deprecation) string {
	if d.Replacement == "" {
		return "the Gateway deprecates " + id + " and names no replacement."
	}
	return "use " + d.Replacement + " instead: the Gateway deprecates " + id + "."
}

// serviceDeprecations sets the Deprecated paragraph of every method whose
// operation is deprecated, naming the method to use instead.
func serviceDeprecations(services []*service, deprecated map[string]deprecation) {
	where := map[string]string{} // operation id -> "Service.Method"
	for _, svc := range services {
		for _, m := range svc.Methods {
			where[m.ID] = svc.Name + "Service." + m.Name
		}
	}
	for _, svc := range services {
		for _, m := range svc.Methods {
			d, ok := deprecated[m.ID]
			if !ok {
				continue
			}
			if d.Replacement == "" {
				m.Deprecated = "Deprecated: the Gateway deprecates " + m.ID + " and names no replacement."
				continue
			}
			m.Deprecated = "Deprecated: use " + where[d.Replacement] + " (" + d.Replacement + ") instead: the Gateway deprecates " + m.ID + "."
		}
	}
}
