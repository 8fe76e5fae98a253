package main

import (
	"fmt"
	"os"
	"strings"
)

// bumpReport is everything one update-spec run found: the Go API diff
// (what the gate decides on), the wire diff, the version change and what
// the merge did with the pages' documents. It renders as a summary, whose
// first lines are the verdict, the versions and the counts, then details.
type bumpReport struct {
	wire  *wireReport
	goAPI *goAPIDiff
	// sources name the SPEC files; whole is true for a whole document.
	sources []string
	whole   bool
	// specVersions counts the new spec's operations by the version they
	// come from (one entry unless pages of several versions were merged).
	specVersions []versionCount
	// documentNotes say what became of the pages' top-level tags, servers
	// and security.
	documentNotes []string
	stale         []staleAction
	allowBreaking bool
	allowMajor    bool
}

// majorBump reports whether the bump changes the spec's major version.
func (r *bumpReport) majorBump() bool {
	return majorOf(r.wire.oldVersion) != majorOf(r.wire.newVersion)
}

// goBreaks counts what refuses the bump: Go API breaks, and errors of the
// SDK's own code against the new gen/.
func (r *bumpReport) goBreaks() int { return len(r.goAPI.breaks()) + len(r.goAPI.sdkFails) }

// refusals lists why the bump is refused, empty when it may go on.
func (r *bumpReport) refusals() []string {
	var out []string
	if n := r.goBreaks(); n > 0 && !r.allowBreaking {
		verb := "need"
		if n == 1 {
			verb = "needs"
		}
		out = append(out, fmt.Sprintf("%s %s ALLOW_BREAKING=1", plural(n, "Go API break"), verb))
	}
	if r.majorBump() && !r.whole && !r.allowMajor {
		out = append(out, fmt.Sprintf("docs pages of a new major version (%s -> %s) need ALLOW_MAJOR=1", r.wire.oldVersion, r.wire.newVersion))
	}
	if len(r.stale) > 0 {
		out = append(out, fmt.Sprintf("%s of the overlay match nothing", plural(len(r.stale), "action")))
	}
	return out
}

// summary returns the report's first lines: the verdict, the version
// change and where it comes from, the counts, and the spec's mix of
// versions when it has one.
func (r *bumpReport) summary() []string {
	var lines []string
	if refusals := r.refusals(); len(refusals) > 0 {
		lines = append(lines, "REFUSED: "+strings.Join(refusals, "; ")+". Nothing was written.")
	} else {
		verdict := "PASS: no Go API break"
		if n := r.goBreaks(); n > 0 {
			verdict = fmt.Sprintf("PASS with ALLOW_BREAKING=1: %s accepted", plural(n, "Go API break"))
		}
		lines = append(lines, verdict+".")
	}

	versions := fmt.Sprintf("Gateway spec: %s -> %s", r.wire.oldVersion, r.wire.newVersion)
	if r.majorBump() {
		versions += fmt.Sprintf(", a MAJOR version (%s -> %s)", majorOf(r.wire.oldVersion), majorOf(r.wire.newVersion))
		if !r.whole && r.allowMajor {
			versions += " accepted with ALLOW_MAJOR=1"
		}
	}
	from := plural(len(r.sources), "docs page")
	if r.whole {
		from = "a whole document"
	}
	lines = append(lines, fmt.Sprintf("%s, from %s: %s.", versions, from, strings.Join(r.sources, ", ")))

	counts := map[meaning]int{}
	for _, g := range r.wire.groups {
		counts[g.meaning()]++
	}
	lines = append(lines, fmt.Sprintf("Go API: %s, %s. Wire: %d behind the Go breaks, %s, %s, %s, %s. Operations: %d added, %d removed.",
		plural(r.goBreaks(), "break"), plural(len(r.goAPI.additions()), "addition"),
		counts[meaningBreak], plural(counts[meaningWireBreak], "wire break"), plural(counts[meaningNote], "note"),
		plural(counts[meaningAddition], "addition"), plural(counts[meaningChange], "other change"),
		len(r.wire.added), len(r.wire.removed)))

	if len(r.specVersions) > 1 {
		var parts []string
		for _, v := range r.specVersions {
			parts = append(parts, fmt.Sprintf("%d from %s", v.operations, v.version))
		}
		lines = append(lines, fmt.Sprintf("A mixed spec: its operations come from %d versions (%s); make spec-status lists them.", len(r.specVersions), strings.Join(parts, ", ")))
	}
	return lines
}

// details renders what the summary counts. Go API breaks are always
// listed one per line; verbose lists every finding of every wire change
// and every Go API addition, which the summary only counts.
func (r *bumpReport) details(verbose bool) string {
	var b strings.Builder
	section := func(title string) { fmt.Fprintf(&b, "\n### %s\n\n", title) }

	section("Go API breaks (apidiff: code that uses these stops compiling)")
	breaks := r.goAPI.breaks()
	if len(breaks) == 0 && len(r.goAPI.sdkFails) == 0 {
		b.WriteString("None.\n")
	}
	for _, c := range breaks {
		fmt.Fprintf(&b, "- `%s`\n  %s\n", c, causeText(c))
	}
	for _, e := range r.goAPI.sdkFails {
		fmt.Fprintf(&b, "- the SDK's own code stops compiling: %s\n", e)
	}

	section("Wire changes (oasdiff), by what they mean for the Go client")
	if len(r.wire.groups) == 0 {
		b.WriteString("None.\n")
	}
	for _, m := range []meaning{meaningBreak, meaningWireBreak, meaningNote, meaningAddition, meaningChange} {
		var shown int
		var of []*wireGroup
		for _, g := range r.wire.groups {
			if g.meaning() == m {
				of = append(of, g)
			}
		}
		for _, g := range of {
			// Breaks are few and each matters; the long tail of notes
			// and other changes is for -v and the changelog.
			if !verbose && m > meaningWireBreak && shown == 10 {
				fmt.Fprintf(&b, "- %s: %d more (-v or CHANGELOG-spec.md lists them)\n", m, len(of)-shown)
				break
			}
			shown++
			b.WriteString(groupText(g, m, verbose))
		}
	}

	section("Operations added")
	writeList(&b, stringsOf(r.wire.added))
	section("Operations removed")
	writeList(&b, stringsOf(r.wire.removed))
	if len(r.documentNotes) > 0 {
		section("Tags, servers and security of the pages")
		writeList(&b, r.documentNotes)
	}

	additions := r.goAPI.additions()
	section("Go API additions")
	switch {
	case verbose:
		writeList(&b, stringsOf(additions))
	case len(additions) > 0:
		fmt.Fprintf(&b, "%s (-v or CHANGELOG-spec.md lists them).\n", plural(len(additions), "addition"))
	default:
		b.WriteString("None.\n")
	}
	if len(r.stale) > 0 {
		section("Overlay actions that match nothing")
		writeList(&b, stringsOf(r.stale))
	}
	return b.String()
}

// causeText says which spec change a Go break comes from.
func causeText(c *goChange) string {
	if len(c.causes) == 0 {
		return "from: no change of the spec names it (look at the wire changes below)"
	}
	var parts []string
	for _, g := range c.causes {
		parts = append(parts, fmt.Sprintf("`%s` %s, in %s", g.check, groupSubject(g), plural(len(g.operations()), "operation")))
	}
	return "from: " + strings.Join(parts, "; ")
}

// groupSubject names what a wire change is about, without the operation.
func groupSubject(g *wireGroup) string {
	switch {
	case g.value != "":
		return fmt.Sprintf("`%s` (at %s)", g.value, strings.Join(g.propertyPaths(), ", "))
	case g.property != "":
		return fmt.Sprintf("`%s`", g.property)
	}
	return ""
}

// groupText renders one wire change: once, with the number of operations
// it reaches; verbose adds each finding.
func groupText(g *wireGroup, m meaning, verbose bool) string {
	var b strings.Builder
	ops := g.operations()
	fmt.Fprintf(&b, "- %s: `%s` (oasdiff %s)", m, g.check, g.level)
	if subject := groupSubject(g); subject != "" {
		b.WriteString(" " + subject)
	} else {
		b.WriteString(": " + g.findings[0].text)
	}
	switch {
	case len(ops) == 0:
	case len(ops) <= 2:
		fmt.Fprintf(&b, ", in `%s`", strings.Join(ops, "`, `"))
	default:
		fmt.Fprintf(&b, ", in %d operations", len(ops))
	}
	if reason := goClientNotes[g.check]; reason != "" {
		b.WriteString("; " + reason)
	} else if comment := g.findings[0].comment; comment != "" && (verbose || m <= meaningWireBreak) {
		b.WriteString(" (" + strings.TrimSuffix(comment, ".") + ")")
	}
	if m != meaningBreak && strings.Contains(g.check, "removed") && g.value+g.property != "" {
		b.WriteString("; apidiff found no Go identifier it removes")
	}
	for _, c := range g.goBreaks {
		fmt.Fprintf(&b, "; Go: `%s`", c)
	}
	b.WriteString("\n")
	if verbose && (len(g.findings) > 1 || g.value+g.property != "") {
		for _, f := range g.findings {
			fmt.Fprintf(&b, "  - %s\n", f)
		}
	}
	return b.String()
}

func writeList(b *strings.Builder, items []string) {
	if len(items) == 0 {
		b.WriteString("None.\n")
		return
	}
	for _, item := range items {
		b.WriteString("- " + item + "\n")
	}
}

// text is the report as update-spec prints it: the summary, then details.
func (r *bumpReport) text(verbose bool) string {
	return strings.Join(r.summary(), "\n") + "\n" + r.details(verbose)
}

// changelogEntry renders the report as an entry of CHANGELOG-spec.md, in
// full: the summary as a list, then every detail.
func (r *bumpReport) changelogEntry(date string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s -> %s (%s)\n\n", r.wire.oldVersion, r.wire.newVersion, date)
	for _, line := range r.summary() {
		b.WriteString("- " + line + "\n")
	}
	b.WriteString(r.details(true))
	return b.String()
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
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
` + "`make update-spec`" + `: the Go API diff of the generated packages (apidiff)
and the wire diff of the spec (oasdiff). A Go API break is refused unless
` + "`ALLOW_BREAKING=1`" + ` is given, and docs pages of a new major version
unless ` + "`ALLOW_MAJOR=1`" + ` is.
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
