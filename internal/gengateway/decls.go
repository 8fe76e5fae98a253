package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
)

// checkUniqueDeclarations fails when the generated code declares one name
// twice: two schemas, or a schema and a type oapi-codegen derives (a
// response wrapper, a params struct), that renaming made meet. The
// compiler would say so too, but later and without saying why.
func checkUniqueDeclarations(src []byte) error {
	file, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, decl := range file.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gd.Specs {
			var names []*ast.Ident
			switch s := spec.(type) {
			case *ast.TypeSpec:
				names = []*ast.Ident{s.Name}
			case *ast.ValueSpec:
				names = s.Names
			}
			for _, n := range names {
				if n.Name == "_" {
					continue
				}
				if seen[n.Name] {
					return fmt.Errorf("%s is declared twice: two spec names became one Go name", n.Name)
				}
				seen[n.Name] = true
			}
		}
	}
	return nil
}
