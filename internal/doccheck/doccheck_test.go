package doccheck_test

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/internal/doccheck"
)

// publicPackages returns the directories, from the module root, of the
// packages a user imports: every package outside internal/, cmd/ (commands)
// and testdata/.
func publicPackages(t *testing.T, root string) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if name := d.Name(); rel != "." && (strings.HasPrefix(name, ".") || name == "internal" || name == "cmd" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			if dir := filepath.Dir(rel); !slices.Contains(dirs, dir) && dir != "." {
				dirs = append(dirs, dir)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestEveryExportedDeclarationIsDocumented: go doc shows a comment for every
// exported type, function, method, constant and variable of the public
// packages (gen, gen/spec, api, api/gatewaytest, api/contract), generated
// code included.
func TestEveryExportedDeclarationIsDocumented(t *testing.T) {
	dirs := publicPackages(t, "../..")
	for _, want := range []string{"api", "api/contract", "api/gatewaytest", "gen", "gen/spec"} {
		if !slices.Contains(dirs, filepath.FromSlash(want)) {
			t.Errorf("the public packages %v lack %s", dirs, want)
		}
	}
	for _, dir := range dirs {
		missing, err := doccheck.Undocumented(filepath.Join("../..", dir))
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
