package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/exp/apidiff"
	"golang.org/x/tools/go/packages"
)

// goAPIPackages are the SDK's packages, by directory, whose exported API
// the gate compares before and after a bump: gen is generated from the
// spec, and api wraps it. A package generated from the spec later belongs
// here too.
var goAPIPackages = []string{"gen", "api"}

// changesWithTheSpec are the constants whose value is the spec's own
// (gen.SpecVersion, api.SpecVersion): a new value is what a bump is for,
// not a break.
var changesWithTheSpec = map[string]bool{"SpecVersion": true, "SpecTitle": true}

// clientInterfaces are the interfaces of gen that list the generated
// clients' methods. apidiff calls a method added to an interface
// incompatible, since another implementation lacks it; here it is how
// every new operation appears, and only a hand-written implementation (a
// test double) would need the method too.
var clientInterfaces = map[string]bool{"ClientInterface": true, "ClientWithResponsesInterface": true}

func isNewClientMethod(dir, ident, message string) bool {
	iface, _, ok := strings.Cut(ident, ".")
	return ok && dir == generatedDir && clientInterfaces[iface] && message == ident+": added"
}

// generatedDir is the directory the generator writes, as go generate ./gen
// runs it.
const generatedDir = "gen"

// goChange is one change of the SDK's exported Go API, as apidiff reports
// it ("GatewayRegionUSIOWA1: removed").
type goChange struct {
	pkg        string // the directory of the package: gen, api
	ident      string // the identifier, such as GatewayReplicaStats.PartialReplicaCount
	message    string // apidiff's message, identifier included
	compatible bool
	// causes are the spec changes the Go change is attributed to (see
	// attribute); none when nothing in the spec's diff names it.
	causes []*wireGroup
}

func (c *goChange) String() string { return c.pkg + "." + c.message }

// goAPIDiff is the Go side of a bump: apidiff's changes, package by
// package in goAPIPackages' order, and the type errors of the SDK's own
// code that the new gen/ causes (code of api that used what went away).
type goAPIDiff struct {
	changes  []*goChange
	sdkFails []string
}

func (d *goAPIDiff) breaks() []*goChange {
	var out []*goChange
	for _, c := range d.changes {
		if !c.compatible {
			out = append(out, c)
		}
	}
	return out
}

func (d *goAPIDiff) additions() []*goChange {
	var out []*goChange
	for _, c := range d.changes {
		if c.compatible {
			out = append(out, c)
		}
	}
	return out
}

// runGenerator runs the SDK's generator on specFile with root as the
// repository it writes, as check-generate does: the files that go
// generate ./gen would write, at their paths below root.
func runGenerator(goCommand func(dir string, args ...string) error, repo, specFile, root string) error {
	return goCommand(repo, "run", "./internal/gengateway", "-config", filepath.Join(generatedDir, "oapi-codegen.yaml"), "-spec", specFile, "-root", root)
}

// generatedFiles are the files the generator writes, as globs below the
// repository (the Makefile's check-generate lists the same).
var generatedFiles = []string{"gen/*.gen.go", "gen/spec/*", "api/*.gen.go", "api/*.gen_test.go"}

// readGeneratedFiles reads the repository's generated files, by their
// slash-separated path below it.
func readGeneratedFiles(repo string) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, glob := range generatedFiles {
		matches, err := filepath.Glob(filepath.Join(repo, filepath.FromSlash(glob)))
		if err != nil {
			return nil, err
		}
		for _, m := range matches {
			if fi, err := os.Stat(m); err != nil || !fi.Mode().IsRegular() {
				continue
			}
			data, err := os.ReadFile(m)
			if err != nil {
				return nil, err
			}
			files[filepath.ToSlash(relativeTo(repo, m))] = data
		}
	}
	return files, nil
}

// compareGoAPI type-checks goAPIPackages twice, as the repository has them
// and with generated (gen/'s new files, by name) in place of gen/'s, and
// compares their exported API with apidiff. The repository is not
// written: the new files reach the type checker as an overlay.
func compareGoAPI(repo string, generated map[string][]byte) (*goAPIDiff, error) {
	modulePath, err := readModulePath(filepath.Join(repo, "go.mod"))
	if err != nil {
		return nil, err
	}
	before, err := checkSDKPackages(repo, modulePath, nil)
	if err != nil {
		return nil, err
	}
	for _, dir := range goAPIPackages {
		if errs := before[dir].errors; len(errs) > 0 {
			return nil, fmt.Errorf("the SDK's %s does not type-check as it is, so its API cannot be compared: %s", dir, errs[0])
		}
	}
	overlay, err := generatedOverlay(repo, generated)
	if err != nil {
		return nil, err
	}
	after, err := checkSDKPackages(repo, modulePath, overlay)
	if err != nil {
		return nil, err
	}
	if errs := after[generatedDir].errors; len(errs) > 0 {
		return nil, fmt.Errorf("the generator's output for the new spec does not type-check: %s", errs[0])
	}

	d := &goAPIDiff{}
	for _, dir := range goAPIPackages {
		if errs := after[dir].errors; len(errs) > 0 {
			// apidiff on a package that does not type-check would
			// compare guesses; what users need is the code that broke.
			for _, e := range errs {
				d.sdkFails = append(d.sdkFails, relativeTo(repo, e))
			}
			continue
		}
		report := apidiff.Changes(before[dir].types, after[dir].types)
		for _, c := range report.Changes {
			ident, _, _ := strings.Cut(c.Message, ": ")
			if changesWithTheSpec[ident] && strings.HasPrefix(c.Message, ident+": value changed") {
				// apidiff calls any new value of a constant incompatible;
				// the spec's version is meant to change with every bump,
				// and the summary shows it.
				continue
			}
			compatible := c.Compatible || isNewClientMethod(dir, ident, c.Message)
			d.changes = append(d.changes, &goChange{pkg: dir, ident: ident, message: c.Message, compatible: compatible})
		}
	}
	return d, nil
}

// checkedPackage is a package of the SDK, type-checked from source.
type checkedPackage struct {
	types  *types.Package
	errors []string
}

// checkSDKPackages type-checks goAPIPackages from source, with the SDK's
// packages between them and gen (those whose API a new gen/ can change:
// api, and the internal packages api imports that import gen); every
// other import (the standard library, oapi-codegen's runtime, the SDK's
// packages that do not see gen) comes from the go command's export data,
// which its build cache keeps. Type-checking only those few packages from
// source keeps a comparison to a second or two, race detector or not. The
// result is by directory.
func checkSDKPackages(repo, modulePath string, overlay map[string][]byte) (map[string]*checkedPackage, error) {
	cfg := &packages.Config{
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps,
		Dir:     repo,
		Overlay: overlay,
	}
	patterns := make([]string, len(goAPIPackages))
	dirOf := map[string]string{}
	for i, dir := range goAPIPackages {
		patterns[i] = "./" + dir
		dirOf[modulePath+"/"+dir] = dir
	}
	roots, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("listing the SDK's packages %s: %w", strings.Join(goAPIPackages, ", "), err)
	}
	// From source: the packages of goAPIPackages and those that import
	// gen, directly or not; in dependency order (Visit's post-order).
	genPath := modulePath + "/" + generatedDir
	var fromSource []*packages.Package
	inSource := map[string]bool{}
	packages.Visit(roots, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			if e.Kind == packages.ListError {
				err = errors.Join(err, fmt.Errorf("%s: %s", p.PkgPath, e.Msg))
			}
		}
		need := p.PkgPath == genPath || dirOf[p.PkgPath] != ""
		for _, imp := range p.Imports {
			need = need || inSource[imp.PkgPath]
		}
		if need {
			inSource[p.PkgPath] = true
			fromSource = append(fromSource, p)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("listing the SDK's packages: %w", err)
	}
	var fromExport []string
	for _, p := range fromSource {
		for _, imp := range p.Imports {
			if !inSource[imp.PkgPath] && imp.PkgPath != "unsafe" && !slices.Contains(fromExport, imp.PkgPath) {
				fromExport = append(fromExport, imp.PkgPath)
			}
		}
	}
	exportFiles := map[string]string{}
	if len(fromExport) > 0 {
		exported, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedExportFile, Dir: repo, Overlay: overlay}, fromExport...)
		if err != nil {
			return nil, fmt.Errorf("compiling the SDK's imports: %w", err)
		}
		for _, p := range exported {
			if p.ExportFile == "" {
				return nil, fmt.Errorf("no export data for %s: %v", p.PkgPath, p.Errors)
			}
			exportFiles[p.PkgPath] = p.ExportFile
		}
	}

	fset := token.NewFileSet()
	checked := map[string]*types.Package{}
	exportImporter := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exportFiles[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	})
	out := map[string]*checkedPackage{}
	for _, p := range fromSource {
		var files []*ast.File
		for _, name := range p.GoFiles {
			src, ok := overlay[name]
			if !ok {
				if src, err = os.ReadFile(name); err != nil {
					return nil, err
				}
			}
			f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p.PkgPath, err)
			}
			files = append(files, f)
		}
		result := &checkedPackage{}
		conf := types.Config{
			Importer: importerFunc(func(path string) (*types.Package, error) {
				if pkg := checked[path]; pkg != nil {
					return pkg, nil
				}
				return exportImporter.Import(path)
			}),
			Error: func(err error) { result.errors = append(result.errors, err.Error()) },
		}
		result.types, _ = conf.Check(p.PkgPath, fset, files, nil)
		checked[p.PkgPath] = result.types
		if dir := dirOf[p.PkgPath]; dir != "" {
			out[dir] = result
		}
	}
	for _, dir := range goAPIPackages {
		if out[dir] == nil {
			return nil, fmt.Errorf("the SDK has no package in %s/ (goAPIPackages names it)", dir)
		}
	}
	return out, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// generatedOverlay maps the generated files to the generator's new
// output, by absolute path. A generated Go file that the generator no
// longer writes is emptied to its package clause, as writing the output
// would remove it.
func generatedOverlay(repo string, generated map[string][]byte) (map[string][]byte, error) {
	root, err := filepath.Abs(repo)
	if err != nil {
		return nil, err
	}
	current, err := readGeneratedFiles(root)
	if err != nil {
		return nil, err
	}
	overlay := map[string][]byte{}
	for name, data := range current {
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, data, parser.PackageClauseOnly)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		overlay[filepath.Join(root, filepath.FromSlash(name))] = []byte("package " + f.Name.Name + "\n")
	}
	for name, data := range generated {
		overlay[filepath.Join(root, filepath.FromSlash(name))] = data
	}
	return overlay, nil
}

// readModulePath returns the module path that a go.mod declares.
func readModulePath(goMod string) (string, error) {
	data, err := os.ReadFile(goMod)
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	return "", errors.New(goMod + ": no module line")
}

// readGenerated reads the files the generator wrote below root, by their
// slash-separated path.
func readGenerated(root string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		files[filepath.ToSlash(relativeTo(root, path))] = data
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errors.New("the generator wrote no file")
	}
	return files, nil
}

// sortedNames returns the keys of a file map in order.
func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
