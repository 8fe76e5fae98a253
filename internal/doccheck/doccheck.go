// Package doccheck finds the exported declarations of a Go package that go
// doc would show without a doc comment. The SDK's test of its public
// surface (doccheck_test.go) runs it over every public package, generated
// code included, so that a method whose comment is detached by a blank
// line, or a type added without one, fails make test.
//
// A declaration counts as documented when its own doc comment, or for a
// member of a parenthesized const, var or type group the group's doc
// comment, is present: what go doc prints above it. Checked are the
// exported package-level types, functions, constants and variables, the
// exported methods of exported types, and the exported methods of exported
// interfaces. Struct fields are not checked: go doc shows them with their
// struct, whose comment describes them, and the generated models take
// field comments only from the spec's descriptions, which many fields lack.
package doccheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Undocumented parses the Go files of the package in dir (test files left
// out) and returns, sorted, the exported declarations that have no doc
// comment, each as "file:line: name" ("services.gen.go:12: SecretsService.Get").
func Undocumented(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var missing []string
	report := func(pos token.Pos, name string) {
		p := fset.Position(pos)
		missing = append(missing, fmt.Sprintf("%s:%d: %s", filepath.Base(p.Filename), p.Line, name))
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		checkFile(f, report)
	}
	sort.Strings(missing)
	return missing, nil
}

func checkFile(f *ast.File, report func(token.Pos, string)) {
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil {
				recv := receiverType(d.Recv.List[0].Type)
				if !ast.IsExported(recv) {
					continue
				}
				name = recv + "." + name
			}
			if d.Name.IsExported() && !hasText(d.Doc) {
				report(d.Pos(), name)
			}
		case *ast.GenDecl:
			checkGenDecl(d, report)
		}
	}
}

func checkGenDecl(d *ast.GenDecl, report func(token.Pos, string)) {
	groupDoc := d.Lparen.IsValid() && hasText(d.Doc)
	for _, spec := range d.Specs {
		switch s := spec.(type) {
		case *ast.TypeSpec:
			if !s.Name.IsExported() {
				continue
			}
			if !groupDoc && !hasText(s.Doc) && !hasText(d.Doc) {
				report(s.Pos(), s.Name.Name)
			}
			if it, ok := s.Type.(*ast.InterfaceType); ok {
				for _, m := range it.Methods.List {
					for _, n := range m.Names {
						if n.IsExported() && !hasText(m.Doc) && !hasText(m.Comment) {
							report(n.Pos(), s.Name.Name+"."+n.Name)
						}
					}
				}
			}
		case *ast.ValueSpec:
			for _, n := range s.Names {
				if n.IsExported() && !groupDoc && !hasText(s.Doc) && !hasText(s.Comment) && !hasText(d.Doc) {
					report(n.Pos(), n.Name)
				}
			}
		}
	}
}

// receiverType is the name of a method's receiver type: T for T, *T, T[K]
// and *T[K].
func receiverType(expr ast.Expr) string {
	for {
		switch e := expr.(type) {
		case *ast.StarExpr:
			expr = e.X
		case *ast.IndexExpr:
			expr = e.X
		case *ast.IndexListExpr:
			expr = e.X
		case *ast.ParenExpr:
			expr = e.X
		case *ast.Ident:
			return e.Name
		default:
			return ""
		}
	}
}

func hasText(g *ast.CommentGroup) bool {
	return g != nil && strings.TrimSpace(g.Text()) != ""
}
