package doccheck_test

import (
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/internal/doccheck"
)

// publicPackages are the packages a user imports, by their directory from
// here: each exported declaration of them must have a doc comment.
var publicPackages = []string{"../../gen", "../../api", "../../api/gatewaytest", "../../api/contract"}

// TestEveryExportedDeclarationIsDocumented: go doc shows a comment for every
// exported type, function, method, constant and variable of the public
// packages, generated code included.
func TestEveryExportedDeclarationIsDocumented(t *testing.T) {
	for _, dir := range publicPackages {
		missing, err := doccheck.Undocumented(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(missing) > 0 {
			t.Errorf("%s: %d exported declarations have no doc comment:\n\t%s", dir, len(missing), strings.Join(missing, "\n\t"))
		}
	}
}

// TestUndocumentedFindsWhatGoDocShowsWithoutComment: the checker reports
// each exported declaration without a doc comment (a detached one counts
// as none), and no documented or unexported one.
func TestUndocumentedFindsWhatGoDocShowsWithoutComment(t *testing.T) {
	got, err := doccheck.Undocumented("testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"sample.go:15: Documented.DetachedMethod",
		"sample.go:17: Documented.UndocumentedMethod",
		"sample.go:33: UndocumentedConst",
		"sample.go:36: UndocumentedVar",
		"sample.go:42: Iface.UndocumentedIfaceMethod",
		"sample.go:45: UndocumentedFunc",
		"sample.go:8: Undocumented",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Undocumented(testdata/sample) =\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
