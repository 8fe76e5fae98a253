package main

import (
	"fmt"
	"path"
	"strconv"
	"strings"
)

// renderTable is README.md's section: the score of each package.
func renderTable(pkgs []*pkgReport, min float64) string {
	var b strings.Builder
	b.WriteString("Written by `make mutation` (gremlins v0.6.0, its default mutators; each package's mutants run against that package's own tests).\n\n")
	b.WriteString("| package | killed | lived | lived, equivalent | timed out | not viable | not covered | score | score, equivalent left out |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, p := range pkgs {
		fmt.Fprintf(&b, "| `%s` | %d | %d | %d | %d | %d | %d | %s | %s |\n", p.dir,
			p.count(killed), p.count(lived), p.equivalents(), p.count(timedOut), p.count(notViable), p.count(notCovered),
			percent(p.score()), percent(p.scoreWithoutEquivalent()))
	}
	fmt.Fprintf(&b, "\nScore: killed ÷ (killed + lived), gremlins' \"test efficacy\"; the last column leaves out the mutants that no test can tell from the code. "+
		"The target is %s %% in that column. A mutant that timed out hung the tests (the tests caught it); one not viable did not compile; "+
		"both count in neither figure. Not covered: mutants that gremlins never runs, on code outside the test coverage profile's blocks "+
		"(`case` expressions, constant and package-level declarations) or that no test of the package reaches. "+
		"Every mutant that lives is listed with why in [docs/mutation.md](docs/mutation.md#surviving-mutants), with the hand-made mutants that cover what gremlins does not run.\n",
		strconv.FormatFloat(min, 'f', -1, 64))
	return b.String()
}

func percent(v float64, ok bool) string {
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.1f %%", v)
}

// renderSurvivors is docs/mutation.md's section: every mutant that lived,
// with why, and where the mutants gremlins did not run are.
func renderSurvivors(pkgs []*pkgReport) string {
	var b strings.Builder
	for _, p := range pkgs {
		fmt.Fprintf(&b, "### `%s`\n\n", p.dir)
		if l := p.lived(); len(l) == 0 {
			b.WriteString("No mutant lives.\n\n")
		} else {
			b.WriteString("| where | mutant | code | kind | why |\n| --- | --- | --- | --- | --- |\n")
			for _, m := range l {
				kind, why := "**unexplained**", "–"
				if m.explained != nil {
					kind, why = m.explained.kind, m.explained.why
				}
				fmt.Fprintf(&b, "| `%s:%d:%d` | %s | %s | %s | %s |\n", m.file, m.line, m.column, cell(m.change()), code(m.source), kind, cell(why))
			}
			b.WriteString("\n")
		}
		if lines := notCoveredLines(p); lines != "" {
			fmt.Fprintf(&b, "Not covered (%d mutants): %s.\n\n", p.count(notCovered), lines)
		}
	}
	return b.String()
}

// notCoveredLines lists, per file, the lines of the mutants not covered.
func notCoveredLines(p *pkgReport) string {
	var files []string
	byFile := map[string][]string{}
	for _, m := range p.mutants {
		if m.status != notCovered {
			continue
		}
		l := strconv.Itoa(m.line)
		ls := byFile[m.file]
		if len(ls) > 0 && ls[len(ls)-1] == l {
			continue
		}
		if ls == nil {
			files = append(files, m.file)
		}
		byFile[m.file] = append(ls, l)
	}
	var parts []string
	for _, f := range files {
		parts = append(parts, fmt.Sprintf("`%s` %s", strings.TrimPrefix(f, path.Clean(p.dir)+"/"), strings.Join(byFile[f], ", ")))
	}
	return strings.Join(parts, "; ")
}

// code is s as inline code in a table cell.
func code(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	fence := "`"
	if strings.Contains(s, "`") {
		fence = "``"
		s = " " + s + " "
	}
	return fence + s + fence
}

// cell is s in a table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
