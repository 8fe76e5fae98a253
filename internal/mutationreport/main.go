// Command mutationreport turns the JSON results of gremlins (gremlins
// unleash -o FILE), one file per package, into the score table of
// README.md's "Mutation testing" section and the list of surviving mutants
// in docs/mutation.md. `make mutation` runs gremlins on each package and
// then this command:
//
//	go run ./internal/mutationreport -readme README.md -doc docs/mutation.md \
//		-known docs/mutation-survivors.tsv api=out/api.json internal/redact=out/redact.json
//
// Each argument is a package directory (relative to -root, the module
// root) and the gremlins result for it; the table keeps their order.
//
// Every mutant that lived must be explained in the -known file, one line
// each, tab-separated:
//
//	file  type  column  source line  kind  why
//
// where file is relative to the module root, column is the mutant's column
// in the source line with its indentation removed (so that the line can
// move), source line is that trimmed line, and kind is "equivalent" (no
// test can tell it from the code: left out of the second score) or
// "accepted" (a test could, and why there is none: counted as lived). A
// lived mutant without a line is reported as unexplained, in the format
// of the file, ready to be explained and added. The command writes its
// report, then exits with status 1 when a mutant is unexplained or a
// package scores below -min (equivalent mutants left out): the report
// shows what fell short. It is a development tool, not part of the SDK.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// The markers of the sections this command rewrites.
const (
	readmeStart = "<!-- mutation:start -->"
	readmeEnd   = "<!-- mutation:end -->"
	docStart    = "<!-- mutation-survivors:start -->"
	docEnd      = "<!-- mutation-survivors:end -->"
)

func main() {
	root := flag.String("root", ".", "the module root: package directories and -known's files are relative to it")
	readme := flag.String("readme", "", "rewrite the section between "+readmeStart+" and "+readmeEnd+" of this `file`")
	doc := flag.String("doc", "", "rewrite the section between "+docStart+" and "+docEnd+" of this `file`")
	known := flag.String("known", "", "the `file` that explains the mutants that live")
	min := flag.Float64("min", 95, "the least score, in percent, of each package with its equivalent mutants left out")
	flag.Parse()
	err := run(os.Stdout, os.Stderr, options{root: *root, readme: *readme, doc: *doc, known: *known, min: *min, args: flag.Args()})
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutationreport:", err)
		os.Exit(1)
	}
}

type options struct {
	root, readme, doc, known string
	min                      float64
	args                     []string // dir=result.json
}

// errShortfall is returned, after the report is written, when a package
// is below the minimum score or a mutant that lived is unexplained.
var errShortfall = errors.New("the mutation testing target is not met (see above)")

func run(out, warnings io.Writer, o options) error {
	if len(o.args) == 0 {
		return errors.New("no results: give dir=gremlins-result.json for each package")
	}
	var known []knownMutant
	if o.known != "" {
		raw, err := os.ReadFile(o.known)
		if err != nil {
			return err
		}
		if known, err = parseKnown(string(raw)); err != nil {
			return fmt.Errorf("%s: %w", o.known, err)
		}
	}
	var pkgs []*pkgReport
	for _, arg := range o.args {
		dir, file, ok := strings.Cut(arg, "=")
		if !ok || dir == "" || file == "" {
			return fmt.Errorf("argument %q: want dir=gremlins-result.json", arg)
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		p, err := newPkgReport(o.root, dir, raw)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		pkgs = append(pkgs, p)
	}
	unused := explain(pkgs, known)

	short := false
	for _, p := range pkgs {
		for _, m := range p.unexplained() {
			short = true
			fmt.Fprintf(warnings, "unexplained: %s\n", m.knownLine("KIND", "WHY"))
		}
		s, ok := p.scoreWithoutEquivalent()
		switch {
		case !ok && len(p.mutants) > 0:
			short = true
			fmt.Fprintf(warnings, "%s: no mutant ran to a verdict (killed or lived)\n", p.dir)
		case ok && s < o.min:
			short = true
			fmt.Fprintf(warnings, "%s: %.1f %% of its non-equivalent mutants killed, below %.0f %%\n", p.dir, s, o.min)
		}
		if t, run := p.count(timedOut), p.count(killed)+p.count(lived)+p.count(timedOut); t*4 > run {
			// A timeout is a kill gremlins does not count; many of them
			// mean the timeout is shorter than a test run of a mutant.
			short = true
			fmt.Fprintf(warnings, "%s: %d of %d mutants timed out: the timeout (a multiple of the coverage run) is too short for a test run; raise the timeout coefficient\n", p.dir, t, run)
		}
	}
	for _, k := range unused {
		fmt.Fprintf(warnings, "stale: no lived mutant matches %s (killed now, or its line changed)\n", k.key())
	}

	table := renderTable(pkgs, o.min)
	survivors := renderSurvivors(pkgs)
	if _, err := fmt.Fprintf(out, "%s\n%s", table, survivors); err != nil {
		return err
	}
	if o.readme != "" {
		if err := rewriteSection(o.readme, readmeStart, readmeEnd, table); err != nil {
			return err
		}
	}
	if o.doc != "" {
		if err := rewriteSection(o.doc, docStart, docEnd, survivors); err != nil {
			return err
		}
	}
	if short {
		return errShortfall
	}
	return nil
}

// rewriteSection replaces the text between start and end in file.
func rewriteSection(file, start, end, section string) error {
	doc, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	updated, err := replaceSection(string(doc), start, end, section)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	info, err := os.Stat(file)
	if err != nil {
		return err
	}
	return os.WriteFile(file, []byte(updated), info.Mode().Perm())
}

// replaceSection returns doc with the text between its start and end
// markers replaced by section.
func replaceSection(doc, start, end, section string) (string, error) {
	i := strings.Index(doc, start)
	j := strings.Index(doc, end)
	if i < 0 || j < i {
		return "", fmt.Errorf("no %s ... %s section", start, end)
	}
	return doc[:i+len(start)] + "\n" + strings.TrimSpace(section) + "\n" + doc[j:], nil
}
