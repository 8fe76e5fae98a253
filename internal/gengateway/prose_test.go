package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
	"testing"
)

// articleUse is an article and the word after it, in a comment.
var articleUse = regexp.MustCompile(`(?:^|[^\w*])(a|an|A|An) ([*"\x60(]*[A-Za-z][\w-]*)`)

// TestGeneratedServiceDocsReadWell: in the committed api/services.gen.go,
// every "a" or "an" of a comment is the one the next word's sound takes,
// and no two services of the Client are described alike.
func TestGeneratedServiceDocsReadWell(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "../../api/services.gen.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	for _, group := range f.Comments {
		text := strings.Join(strings.Fields(group.Text()), " ")
		for _, m := range articleUse.FindAllStringSubmatch(text, -1) {
			if want := article(m[2]); strings.ToLower(m[1]) != want {
				t.Errorf("%s: %q: want %q", fset.Position(group.Pos()), m[1]+" "+m[2], want+" "+m[2])
			}
		}
	}
	seen := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "Client" {
			return true
		}
		for _, field := range ts.Type.(*ast.StructType).Fields.List {
			if len(field.Names) == 0 {
				continue
			}
			name := field.Names[0].Name
			doc := strings.TrimPrefix(field.Doc.Text(), name)
			if other, dup := seen[doc]; dup {
				t.Errorf("Client.%s and Client.%s are described alike: %q", other, name, doc)
			}
			seen[doc] = name
		}
		return false
	})
	if len(seen) < 10 {
		t.Errorf("found %d documented services in Client, want all of them", len(seen))
	}
}
