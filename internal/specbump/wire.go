package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// wireReport is what changed on the wire between the vendored spec and the
// new one, as oasdiff finds it: operations added and removed, and every
// finding of its backward-compatibility checks, grouped by kind.
type wireReport struct {
	oldVersion, newVersion string
	added, removed         []operationRef
	groups                 []*wireGroup
}

type operationRef struct {
	method, path, id string
}

func (o operationRef) String() string {
	s := "`" + o.method + " " + o.path + "`"
	if o.id != "" {
		s += " " + o.id
	}
	return s
}

// finding is one change oasdiff's checks report, for one operation.
type finding struct {
	level     string // oasdiff's level: ERR, WARN or INFO
	check     string // the check's id, such as request-property-became-required
	operation string // "PATCH /v1/...", or "" for a change outside paths
	id        string // the operation's id
	text      string
	// comment is oasdiff's explanation of the check, the same for each of
	// its findings: the report gives it once per change.
	comment string
	args    []any
}

func (f finding) String() string {
	s := f.level + " `" + f.check + "`"
	if f.operation != "" {
		s += " `" + f.operation + "`"
		if f.id != "" {
			s += " " + f.id
		}
	}
	return s + ": " + f.text
}

// compareSpecs loads both specs and runs oasdiff's diff and all its
// backward-compatibility checks (as `oasdiff changelog` does), at
// oasdiff's own levels, and groups the findings by kind.
func compareSpecs(oldText, newText []byte) (*wireReport, error) {
	// A loader each: the loader caches documents by location.
	base, err := load.NewSpecInfoFromData(newLoader(), oldText, "openapi.yaml")
	if err != nil {
		return nil, fmt.Errorf("the vendored openapi.yaml does not load: %w", err)
	}
	revision, err := load.NewSpecInfoFromData(newLoader(), newText, "openapi.yaml (new)")
	if err != nil {
		return nil, fmt.Errorf("the new spec does not load: %w", err)
	}
	d, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), base, revision)
	if err != nil {
		return nil, fmt.Errorf("oasdiff: %w", err)
	}
	config := checker.NewConfig(checker.GetAllChecks())
	changes := checker.CheckBackwardCompatibilityUntilLevel(config, d, sources, checker.INFO)

	r := &wireReport{oldVersion: base.GetVersion(), newVersion: revision.GetVersion()}
	if d.EndpointsDiff != nil {
		r.added = operationRefs(d.EndpointsDiff.Added, revision.Spec)
		r.removed = operationRefs(d.EndpointsDiff.Deleted, base.Spec)
	}
	localizer := checker.NewDefaultLocalizer()
	var findings []finding
	for _, c := range changes {
		switch c.GetId() {
		case checker.EndpointAddedId:
			continue // listed with the operations added
		case checker.APIVersionNotBumpedId, checker.APIMajorVersionNotBumpedId:
			// About the spec's own versioning, which the summary shows.
			continue
		}
		f := finding{check: c.GetId(), id: c.GetOperationId(), text: c.GetUncolorizedText(localizer), comment: c.GetComment(localizer), args: c.GetArgs()}
		if c.GetOperation() != "" {
			f.operation = c.GetOperation() + " " + c.GetPath()
		}
		switch level := c.GetLevel(); {
		case level >= checker.ERR:
			f.level = "ERR"
		case level >= checker.WARN:
			f.level = "WARN"
		default:
			f.level = "INFO"
		}
		findings = append(findings, f)
	}
	r.groups = groupFindings(findings)
	return r, nil
}

// newLoader is a kin-openapi loader as oasdiff's command makes one; it
// never follows an external reference (the spec is self-contained, and
// this tool has no network).
func newLoader() *openapi3.Loader {
	l := openapi3.NewLoader()
	l.IncludeOrigin = true
	l.IsExternalRefsAllowed = false
	return l
}

func operationRefs(endpoints diff.Endpoints, spec *openapi3.T) []operationRef {
	var refs []operationRef
	for _, e := range endpoints {
		ref := operationRef{method: strings.ToUpper(e.Method), path: e.Path}
		if item := spec.Paths.Value(e.Path); item != nil {
			if op := item.GetOperation(strings.ToUpper(e.Method)); op != nil {
				ref.id = op.OperationID
			}
		}
		refs = append(refs, ref)
	}
	sort.Slice(refs, func(i, j int) bool {
		if refs[i].path != refs[j].path {
			return refs[i].path < refs[j].path
		}
		return refs[i].method < refs[j].method
	})
	return refs
}

// meaning is what a spec change means for code that uses the generated Go
// client, the SDK's users' view of oasdiff's levels.
type meaning int

const (
	// meaningBreak: code that uses the client stops compiling; apidiff
	// found the Go identifiers it changes.
	meaningBreak meaning = iota
	// meaningWireBreak: code still compiles, but a call that worked may
	// now be refused or answered differently (oasdiff's ERR and WARN).
	meaningWireBreak
	// meaningNote: the generated client takes it as it is, but code may
	// want to know (a response enum value it has no case for).
	meaningNote
	// meaningAddition: something new, which breaks nothing.
	meaningAddition
	// meaningChange: any other change oasdiff reports (its INFO level).
	meaningChange
)

func (m meaning) String() string {
	return [...]string{"break", "wire break", "note", "addition", "change"}[m]
}

// goClientNotes are checks that oasdiff rates a break but that a
// generated Go client takes as it is, each with the reason.
var goClientNotes = map[string]string{
	// oapi-codegen's enums are string types: an unknown value decodes like
	// any other, and only a switch over the constants misses it.
	checker.ResponsePropertyEnumValueAddedId:          "a Go enum is a string type: the new value decodes; a switch on the constants has no case for it",
	checker.ResponseWriteOnlyPropertyEnumValueAddedId: "a Go enum is a string type: the new value decodes; a switch on the constants has no case for it",
	checker.ResponseMediaTypeEnumValueAddedId:         "a Go enum is a string type: the new value decodes; a switch on the constants has no case for it",
}

// wireGroup is one change of the spec as oasdiff's findings show it: the
// findings of one check about one thing (an enum value, a property),
// whatever the number of operations it reaches.
type wireGroup struct {
	check string
	level string // oasdiff's level
	// value is the enum value of an enum check; property is the changed
	// property's name (its last path element), for property checks.
	value, property string
	findings        []finding
	// goBreaks are the Go API breaks attributed to this change.
	goBreaks []*goChange
}

// meaning maps oasdiff's level to what the change means for the Go client.
func (g *wireGroup) meaning() meaning {
	switch {
	case len(g.goBreaks) > 0:
		return meaningBreak
	case goClientNotes[g.check] != "":
		return meaningNote
	case g.level != "INFO":
		return meaningWireBreak
	case strings.Contains(g.check, "-added"):
		return meaningAddition
	}
	return meaningChange
}

// operations lists the operations the change reaches, each once.
func (g *wireGroup) operations() []string {
	var ops []string
	for _, f := range g.findings {
		if f.operation != "" && !slices.Contains(ops, f.operation) {
			ops = append(ops, f.operation)
		}
	}
	return ops
}

// propertyPaths lists the property paths the change was found at.
func (g *wireGroup) propertyPaths() []string {
	var paths []string
	for _, f := range g.findings {
		if p := findingProperty(f); p != "" && !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	return paths
}

// groupFindings groups findings by check and by what they are about, in
// the order they were first found. An enum value is one change however
// many properties and operations it reaches; a property is one change
// wherever it is nested (deployments/items/state and state).
func groupFindings(findings []finding) []*wireGroup {
	var groups []*wireGroup
	byKey := map[string]*wireGroup{}
	for _, f := range findings {
		g := &wireGroup{check: f.check, level: f.level}
		key := f.check + "\x00"
		switch property := findingProperty(f); {
		case isEnumCheck(f.check) && len(f.args) > 0:
			g.value = fmt.Sprint(f.args[0])
			key += "value\x00" + g.value
		case property != "":
			g.property = lastPathElement(property)
			key += "property\x00" + g.property + "\x00" + fmt.Sprint(f.args[1:]...)
		default:
			key += "text\x00" + f.text
		}
		if prev := byKey[key]; prev != nil {
			prev.findings = append(prev.findings, f)
			if levelRank(f.level) > levelRank(prev.level) {
				prev.level = f.level
			}
			continue
		}
		g.findings = []finding{f}
		byKey[key] = g
		groups = append(groups, g)
	}
	return groups
}

func isEnumCheck(check string) bool { return strings.Contains(check, "enum-value") }

// findingProperty returns the property path a finding is about
// ("placement/regions/items"), or "". oasdiff's property checks give it
// as their first argument, after the value for enum checks.
func findingProperty(f finding) string {
	i := 0
	switch {
	case isEnumCheck(f.check):
		i = 1
	case !strings.Contains(f.check, "property"):
		return ""
	}
	if i >= len(f.args) {
		return ""
	}
	s, _ := f.args[i].(string)
	return s
}

// lastPathElement returns the property of a path: "state" of
// "deployments/items/state", skipping the "items" of arrays.
func lastPathElement(path string) string {
	parts := strings.Split(path, "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i] != "items" && parts[i] != "" {
			return parts[i]
		}
	}
	return path
}

func levelRank(level string) int {
	return map[string]int{"INFO": 0, "WARN": 1, "ERR": 2}[level]
}
