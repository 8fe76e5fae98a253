package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// specReport is what changed between the vendored spec and the new one,
// as oasdiff finds it.
type specReport struct {
	oldVersion, newVersion string
	added, removed         []operationRef
	// breaking holds the changes of level ERR or WARN, which the gate
	// refuses unless allowed; other holds the INFO ones.
	breaking, other []finding
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

// finding is one change oasdiff's checks report.
type finding struct {
	level     string // ERR, WARN or INFO
	check     string // the check's id, such as request-property-became-required
	operation string // "PATCH /v1/...", or "" for a change outside paths
	id        string // the operation's id
	text      string
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

// sdkSeverity raises checks that oasdiff rates INFO, because the wire
// stays compatible, to WARN: each removes a Go identifier that the
// generated SDK exports, so code that uses it stops compiling.
var sdkSeverity = map[string]checker.Level{
	// The field of the response's struct goes away.
	checker.ResponseOptionalPropertyRemovedId: checker.WARN,
	// The enum's constant goes away.
	checker.ResponsePropertyEnumValueRemovedId: checker.WARN,
	// The client's method is renamed.
	checker.APIOperationIdRemovedId: checker.WARN,
	// The client's method goes away, deprecated or not.
	checker.APIRemovedWithDeprecationId:     checker.WARN,
	checker.APIPathRemovedWithDeprecationId: checker.WARN,
}

// compareSpecs loads both specs and runs oasdiff's diff and all its
// backward-compatibility checks (as `oasdiff changelog` does), with the
// levels of sdkSeverity.
func compareSpecs(oldText, newText []byte) (*specReport, error) {
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
	config := checker.NewConfig(checker.GetAllChecks(), checker.WithSeverityLevels(knownChecks(sdkSeverity)))
	changes := checker.CheckBackwardCompatibilityUntilLevel(config, d, sources, checker.INFO)

	r := &specReport{oldVersion: base.GetVersion(), newVersion: revision.GetVersion()}
	if d.EndpointsDiff != nil {
		r.added = operationRefs(d.EndpointsDiff.Added, revision.Spec)
		r.removed = operationRefs(d.EndpointsDiff.Deleted, base.Spec)
	}
	localizer := checker.NewDefaultLocalizer()
	for _, c := range changes {
		if c.GetId() == checker.EndpointAddedId {
			continue // listed with the operations added
		}
		f := finding{check: c.GetId(), id: c.GetOperationId(), text: c.GetUncolorizedText(localizer)}
		if c.GetOperation() != "" {
			f.operation = c.GetOperation() + " " + c.GetPath()
		}
		if comment := c.GetComment(localizer); comment != "" {
			f.text += " (" + comment + ")"
		}
		switch level := c.GetLevel(); {
		case level >= checker.ERR:
			f.level = "ERR"
		case level >= checker.WARN:
			f.level = "WARN"
		default:
			f.level = "INFO"
		}
		if f.level == "INFO" {
			r.other = append(r.other, f)
		} else {
			r.breaking = append(r.breaking, f)
		}
	}
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

// knownChecks keeps the levels of the checks this oasdiff version has:
// it stops the program on an unknown id, and an upgrade may rename one.
func knownChecks(levels map[string]checker.Level) map[string]checker.Level {
	known := checker.GetCheckLevels()
	out := map[string]checker.Level{}
	for id, level := range levels {
		if _, ok := known[id]; ok {
			out[id] = level
		}
	}
	return out
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

// changelogEntry renders the report as an entry of CHANGELOG-spec.md.
func (r *specReport) changelogEntry(date string, sources []string, allowed bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s -> %s (%s)\n\n", r.oldVersion, r.newVersion, date)
	fmt.Fprintf(&b, "From %s.\n", strings.Join(sources, ", "))
	section := func(title string, items []string, empty string) {
		fmt.Fprintf(&b, "\n### %s\n\n", title)
		if len(items) == 0 {
			b.WriteString(empty + "\n")
			return
		}
		for _, item := range items {
			b.WriteString("- " + item + "\n")
		}
	}
	section("Operations added", stringsOf(r.added), "None.")
	section("Operations removed", stringsOf(r.removed), "None.")
	breakingTitle := "Breaking changes"
	if len(r.breaking) > 0 && allowed {
		breakingTitle += " (accepted with ALLOW_BREAKING=1)"
	}
	section(breakingTitle, stringsOf(r.breaking), "None.")
	section("Other changes", stringsOf(r.other), "None.")
	return b.String()
}

func stringsOf[T fmt.Stringer](items []T) []string {
	out := make([]string, len(items))
	for i, item := range items {
		out[i] = item.String()
	}
	return out
}

// changelogHeader starts CHANGELOG-spec.md when there is none yet.
const changelogHeader = `# Changelog of the Gateway spec

Every change of the vendored ` + "`openapi.yaml`" + `, newest first, written by
` + "`make update-spec`" + ` from oasdiff's comparison of the old and the new spec.
Breaking changes (ERR, WARN) are refused unless ` + "`ALLOW_BREAKING=1`" + ` is given.
`

// prependChangelog puts entry at the top of the changelog's entries (after
// its header), creating the file if there is none.
func prependChangelog(path, entry string) error {
	old, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		old, err = []byte(changelogHeader), nil
	}
	if err != nil {
		return err
	}
	text := string(old)
	at := len(text)
	if strings.HasPrefix(text, "## ") {
		at = 0
	} else if i := strings.Index(text, "\n## "); i >= 0 {
		at = i + 1
	}
	head := strings.TrimRight(text[:at], "\n")
	if head != "" {
		head += "\n\n"
	}
	rest := text[at:]
	if rest != "" {
		entry += "\n"
	}
	return os.WriteFile(path, []byte(head+entry+rest), 0o644)
}
