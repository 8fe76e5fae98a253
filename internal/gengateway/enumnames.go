package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Enum constants are named by rule, after oapi-codegen has run: the type's
// name, then the value's words in CamelCase without the leading words that
// repeat the end of the type's name. JOB_STATE_COMPLETED of JobState
// becomes JobStateCompleted (not JobStateJOBSTATECOMPLETED), READY of
// DeploymentState DeploymentStateReady, STATE_UNSPECIFIED of AccountState
// AccountStateUnspecified. A word with a digit keeps its capitals (A100,
// 40GB, FP8, V2), as does an initialism of Go's list (ID, URL, HTTP...);
// other words are capitalized (NVIDIA: Nvidia). The pass renames the
// constants of oapi-codegen's "Defines values for T." groups in the
// generated source, and every use of them there; two constants that would
// share a name, or one that would take a name already declared, fail
// generation naming both.

// goInitialisms are the words written in capitals in Go names: the list
// oapi-codegen's ToCamelCaseWithInitialisms uses, which names the rest of
// package gen.
var goInitialisms = map[string]bool{}

func init() {
	for _, w := range strings.Fields("ACL API ASCII CPU CSS DNS EOF GUID HTML HTTP HTTPS ID IP JSON QPS RAM RPC SLA SMTP SQL SSH TCP TLS TTL UDP UI GID UID UUID URI URL UTF8 VM XML XMPP XSRF XSS SIP RTP AMQP DB TS") {
		goInitialisms[w] = true
	}
}

// enumRename is one renamed enum constant.
type enumRename struct{ Old, New, Type, Value string }

// enumValueName is the Go name of value as a constant of the enum type
// typeName, without the type's name in front.
func enumValueName(typeName, value string) string {
	words := strings.FieldsFunc(value, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) == 0 {
		return "Empty"
	}
	typeWords := goWords(typeName)
	for k := min(len(words)-1, len(typeWords)); k > 0; k-- {
		if strings.EqualFold(strings.Join(words[:k], " "), strings.Join(typeWords[len(typeWords)-k:], " ")) {
			words = words[k:]
			break
		}
	}
	var b strings.Builder
	for _, w := range words {
		upper := strings.ToUpper(w)
		switch {
		case goInitialisms[upper] || strings.ContainsFunc(w, unicode.IsDigit):
			b.WriteString(upper)
		default:
			b.WriteString(capitalized(strings.ToLower(w)))
		}
	}
	return b.String()
}

// renameEnumConstants renames, in src (oapi-codegen's formatted output),
// the enum constants by the rule above and every identifier that uses
// them, and returns the new source with the renames made.
func renameEnumConstants(src []byte) ([]byte, []enumRename, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil, err
	}
	declared := map[string]bool{}
	for _, decl := range file.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				declared[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					declared[s.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range s.Names {
						declared[n.Name] = true
					}
				}
			}
		}
	}

	var renames []enumRename
	byOld := map[string]string{}
	for _, decl := range file.Decls {
		d, ok := decl.(*ast.GenDecl)
		if !ok || d.Tok != token.CONST || d.Doc == nil || !strings.HasPrefix(d.Doc.Text(), "Defines values for ") {
			continue
		}
		for _, spec := range d.Specs {
			s, ok := spec.(*ast.ValueSpec)
			if !ok || len(s.Names) != 1 || len(s.Values) != 1 {
				continue
			}
			typ, ok := s.Type.(*ast.Ident)
			lit, isLit := s.Values[0].(*ast.BasicLit)
			if !ok || !isLit || lit.Kind != token.STRING {
				continue // a number enum keeps oapi-codegen's name
			}
			value, err := strconv.Unquote(lit.Value)
			if err != nil {
				return nil, nil, err
			}
			r := enumRename{Old: s.Names[0].Name, New: typ.Name + enumValueName(typ.Name, value), Type: typ.Name, Value: value}
			renames = append(renames, r)
			byOld[r.Old] = r.New
		}
	}

	// A new name must be new: not another renamed constant's, and not a
	// name declared that is not renamed away.
	byNew := map[string]enumRename{}
	for _, r := range renames {
		if other, clash := byNew[r.New]; clash {
			return nil, nil, fmt.Errorf("enum constants %s (%s %q) and %s (%s %q) would both be named %s", other.Old, other.Type, other.Value, r.Old, r.Type, r.Value, r.New)
		}
		byNew[r.New] = r
		if _, renamedAway := byOld[r.New]; declared[r.New] && !renamedAway && r.New != r.Old {
			return nil, nil, fmt.Errorf("enum constant %s (%s %q) would be named %s, which is declared already", r.Old, r.Type, r.Value, r.New)
		}
	}

	// Rename the constants where they are declared and used: bare
	// identifiers, never a selector's or a field's name.
	skip := map[*ast.Ident]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			skip[x.Sel] = true
		case *ast.Field:
			for _, name := range x.Names {
				skip[name] = true
			}
		case *ast.KeyValueExpr:
			if id, ok := x.Key.(*ast.Ident); ok {
				skip[id] = true
			}
		}
		return true
	})
	ast.Inspect(file, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !skip[id] {
			if name, ok := byOld[id.Name]; ok {
				id.Name = name
			}
		}
		return true
	})
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, file); err != nil {
		return nil, nil, err
	}
	sort.Slice(renames, func(i, j int) bool { return renames[i].Old < renames[j].Old })
	return buf.Bytes(), renames, nil
}
