package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Mutant statuses, as gremlins writes them.
const (
	killed     = "KILLED"
	lived      = "LIVED"
	timedOut   = "TIMED OUT"
	notViable  = "NOT VIABLE"
	notCovered = "NOT COVERED"
)

// Kinds of an explained survivor.
const (
	equivalent = "equivalent"
	accepted   = "accepted"
)

// gremlinsResult is the part of gremlins' JSON output this command reads.
type gremlinsResult struct {
	GoModule string `json:"go_module"`
	Files    []struct {
		FileName  string `json:"file_name"`
		Mutations []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"mutations"`
	} `json:"files"`
}

// mutant is one mutant of a package, located in its source.
type mutant struct {
	file         string // relative to the module root, with '/'
	line, column int    // as gremlins gives them (1-based; column in bytes)
	typ, status  string
	source       string // the source line, trimmed
	trimmedCol   int    // column in source
	token        string // the operator mutated, "" if not found
	explained    *knownMutant
}

type pkgReport struct {
	dir     string
	mutants []*mutant
}

func newPkgReport(root, dir string, raw []byte) (*pkgReport, error) {
	var res gremlinsResult
	if err := json.Unmarshal(raw, &res); err != nil {
		return nil, err
	}
	if res.GoModule == "" {
		return nil, errors.New("not a gremlins result (no go_module)")
	}
	p := &pkgReport{dir: dir}
	for _, f := range res.Files {
		file := path.Join(filepath.ToSlash(dir), f.FileName)
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
		if err != nil {
			return nil, err
		}
		lines := strings.Split(string(src), "\n")
		tokens := operatorsAt(src)
		for _, m := range f.Mutations {
			if m.Line < 1 || m.Line > len(lines) || m.Column < 1 || m.Column > len(lines[m.Line-1])+1 {
				return nil, fmt.Errorf("%s:%d:%d: no such position (is the source the one gremlins mutated?)", file, m.Line, m.Column)
			}
			text := lines[m.Line-1]
			trimmed := strings.TrimLeft(text, " \t")
			p.mutants = append(p.mutants, &mutant{
				file: file, line: m.Line, column: m.Column, typ: m.Type, status: m.Status,
				source:     strings.TrimSpace(trimmed),
				trimmedCol: m.Column - (len(text) - len(trimmed)),
				token:      tokens[[2]int{m.Line, m.Column}],
			})
		}
	}
	slices.SortFunc(p.mutants, func(a, b *mutant) int {
		if c := strings.Compare(a.file, b.file); c != 0 {
			return c
		}
		if a.line != b.line {
			return a.line - b.line
		}
		if a.column != b.column {
			return a.column - b.column
		}
		return strings.Compare(a.typ, b.typ)
	})
	return p, nil
}

// operatorsAt returns the operators of a Go source by line and column.
func operatorsAt(src []byte) map[[2]int]string {
	fset := token.NewFileSet()
	f := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(f, src, nil, 0)
	out := map[[2]int]string{}
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			return out
		}
		if tok.IsOperator() || tok == token.BREAK || tok == token.CONTINUE {
			p := fset.Position(pos)
			out[[2]int{p.Line, p.Column}] = tok.String()
		}
	}
}

// mutated is what gremlins turns each operator into, by mutant type
// (gremlins' internal/engine/mappings.go).
var mutated = map[string]map[string]string{
	"ARITHMETIC_BASE":       {"+": "-", "*": "/", "/": "*", "%": "*", "-": "+"},
	"CONDITIONALS_BOUNDARY": {">=": ">", ">": ">=", "<=": "<", "<": "<="},
	"CONDITIONALS_NEGATION": {"==": "!=", ">=": "<", ">": "<=", "<=": ">", "<": ">=", "!=": "=="},
	"INCREMENT_DECREMENT":   {"--": "++", "++": "--"},
	"INVERT_ASSIGNMENTS":    {"+=": "-=", "*=": "/=", "/=": "*=", "%=": "%=", "-=": "+="},
	"INVERT_BITWISE":        {"&": "|", "|": "&", "^": "&", "&^": "&", "<<": ">>", ">>": "<<"},
	"INVERT_BWASSIGN":       {"&=": "|=", "|=": "&=", "^=": "&=", "&^=": "&=", "<<=": ">>=", ">>=": "<<="},
	"INVERT_LOGICAL":        {"&&": "||", "||": "&&"},
	"INVERT_LOOPCTRL":       {"break": "continue", "continue": "break"},
	"INVERT_NEGATIVES":      {"-": "+"},
}

// change describes the mutant: "`<` → `<=`", or its type alone.
func (m *mutant) change() string {
	if to, ok := mutated[m.typ][m.token]; ok {
		return fmt.Sprintf("`%s` → `%s`", m.token, to)
	}
	if m.typ == "REMOVE_SELF_ASSIGNMENTS" && m.token != "" {
		return fmt.Sprintf("`%s` → `=`", m.token)
	}
	return m.typ
}

func (p *pkgReport) count(status string) int {
	n := 0
	for _, m := range p.mutants {
		if m.status == status {
			n++
		}
	}
	return n
}

func (p *pkgReport) lived() []*mutant {
	var out []*mutant
	for _, m := range p.mutants {
		if m.status == lived {
			out = append(out, m)
		}
	}
	return out
}

func (p *pkgReport) equivalents() int {
	n := 0
	for _, m := range p.lived() {
		if m.explained != nil && m.explained.kind == equivalent {
			n++
		}
	}
	return n
}

func (p *pkgReport) unexplained() []*mutant {
	var out []*mutant
	for _, m := range p.lived() {
		if m.explained == nil {
			out = append(out, m)
		}
	}
	return out
}

// score is gremlins' test efficacy: killed ÷ (killed + lived), in percent;
// ok is false when no mutant was run.
func (p *pkgReport) score() (float64, bool) {
	k, l := p.count(killed), p.count(lived)
	if k+l == 0 {
		return 0, false
	}
	return 100 * float64(k) / float64(k+l), true
}

// scoreWithoutEquivalent is the score with the equivalent mutants, which
// no test can kill, left out.
func (p *pkgReport) scoreWithoutEquivalent() (float64, bool) {
	k, l := p.count(killed), p.count(lived)-p.equivalents()
	if k+l == 0 {
		return 0, false
	}
	return 100 * float64(k) / float64(k+l), true
}

// knownMutant is a line of the -known file.
type knownMutant struct {
	file, typ  string
	trimmedCol int
	source     string
	kind, why  string
	used       bool
}

func (k *knownMutant) key() string {
	return fmt.Sprintf("%s %s at column %d of %q", k.file, k.typ, k.trimmedCol, k.source)
}

// knownLine is m as a line of the -known file.
func (m *mutant) knownLine(kind, why string) string {
	return strings.Join([]string{m.file, m.typ, strconv.Itoa(m.trimmedCol), m.source, kind, why}, "\t")
}

// parseKnown reads the -known file: blank lines and lines starting with
// '#' are comments.
func parseKnown(raw string) ([]knownMutant, error) {
	var out []knownMutant
	for i, line := range strings.Split(raw, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("line %d: %d tab-separated fields, want 6 (file, type, column, source line, kind, why)", i+1, len(f))
		}
		col, err := strconv.Atoi(f[2])
		if err != nil || col < 1 {
			return nil, fmt.Errorf("line %d: column %q is not a positive number", i+1, f[2])
		}
		if f[4] != equivalent && f[4] != accepted {
			return nil, fmt.Errorf("line %d: kind %q, want %q or %q", i+1, f[4], equivalent, accepted)
		}
		if strings.TrimSpace(f[5]) == "" {
			return nil, fmt.Errorf("line %d: no why", i+1)
		}
		out = append(out, knownMutant{file: f[0], typ: f[1], trimmedCol: col, source: strings.TrimSpace(f[3]), kind: f[4], why: f[5]})
	}
	return out, nil
}

// explain attaches to each lived mutant the line of known that matches
// it, and returns the lines, of the packages reported, that match none. A
// line matches every lived mutant of the same file, type, column and
// source line: the same code on two lines of a file has the same reason
// to live.
func explain(pkgs []*pkgReport, known []knownMutant) []*knownMutant {
	reported := map[string]bool{}
	for _, p := range pkgs {
		reported[path.Clean(filepath.ToSlash(p.dir))] = true
		for _, m := range p.lived() {
			for i := range known {
				k := &known[i]
				if k.file == m.file && k.typ == m.typ && k.trimmedCol == m.trimmedCol && k.source == m.source {
					m.explained, k.used = k, true
					break
				}
			}
		}
	}
	var unused []*knownMutant
	for i := range known {
		if !known[i].used && reported[path.Dir(known[i].file)] {
			unused = append(unused, &known[i])
		}
	}
	return unused
}
