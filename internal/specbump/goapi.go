package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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

// runGenerator runs the SDK's generator on specFile into outDir, as
// check-generate does: the files that go generate ./gen would write.
func runGenerator(goCommand func(dir string, args ...string) error, repo, specFile, outDir string) error {
	return goCommand(repo, "run", "./internal/gengateway", "-config", filepath.Join(generatedDir, "oapi-codegen.yaml"), "-spec", specFile, "-out", outDir)
}

// compareGoAPI type-checks goAPIPackages from source twice, as the
// repository has them and with generated (gen/'s new files, by name) in
// place of gen/'s, and compares their exported API with apidiff. The
// repository is not written: the new files reach the type checker through
// go/packages' overlay.
func compareGoAPI(repo string, generated map[string][]byte) (*goAPIDiff, error) {
	modulePath, err := readModulePath(filepath.Join(repo, "go.mod"))
	if err != nil {
		return nil, err
	}
	before, err := loadPackages(repo, modulePath, nil)
	if err != nil {
		return nil, err
	}
	for _, dir := range goAPIPackages {
		if errs := before[dir].Errors; len(errs) > 0 {
			return nil, fmt.Errorf("the SDK's %s does not type-check as it is, so its API cannot be compared: %v", dir, errs[0])
		}
	}
	overlay, err := generatedOverlay(repo, before[generatedDir].Name, generated)
	if err != nil {
		return nil, err
	}
	after, err := loadPackages(repo, modulePath, overlay)
	if err != nil {
		return nil, err
	}
	if errs := after[generatedDir].Errors; len(errs) > 0 {
		return nil, fmt.Errorf("the generator's output for the new spec does not type-check: %v", errs[0])
	}

	d := &goAPIDiff{}
	for _, dir := range goAPIPackages {
		if errs := after[dir].Errors; len(errs) > 0 {
			// apidiff on a package that does not type-check would
			// compare guesses; what users need is the code that broke.
			for _, e := range errs {
				d.sdkFails = append(d.sdkFails, fmt.Sprintf("%s: %s", relativeTo(repo, e.Pos), e.Msg))
			}
			continue
		}
		report := apidiff.Changes(before[dir].Types, after[dir].Types)
		for _, c := range report.Changes {
			ident, _, _ := strings.Cut(c.Message, ": ")
			// apidiff calls any new value of a constant incompatible; the
			// spec's version is meant to change with every bump.
			compatible := c.Compatible ||
				changesWithTheSpec[ident] && strings.HasPrefix(c.Message, ident+": value changed") ||
				isNewClientMethod(dir, ident, c.Message)
			d.changes = append(d.changes, &goChange{pkg: dir, ident: ident, message: c.Message, compatible: compatible})
		}
	}
	return d, nil
}

// loadPackages type-checks goAPIPackages and everything they import from
// source (about a second for gen and api: quicker than compiling gen's 2 MB
// for export data), and returns them by directory.
func loadPackages(repo, modulePath string, overlay map[string][]byte) (map[string]*packages.Package, error) {
	cfg := &packages.Config{
		Mode:    packages.NeedName | packages.NeedTypes | packages.NeedSyntax | packages.NeedImports | packages.NeedDeps,
		Dir:     repo,
		Overlay: overlay,
	}
	patterns := make([]string, len(goAPIPackages))
	byPath := map[string]string{}
	for i, dir := range goAPIPackages {
		patterns[i] = "./" + dir
		byPath[modulePath+"/"+dir] = dir
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("loading the SDK's packages %s: %w", strings.Join(goAPIPackages, ", "), err)
	}
	out := map[string]*packages.Package{}
	for _, p := range pkgs {
		if dir, ok := byPath[p.PkgPath]; ok {
			out[dir] = p
		}
	}
	for _, dir := range goAPIPackages {
		if out[dir] == nil || out[dir].Types == nil {
			return nil, fmt.Errorf("the SDK has no package in %s/ (goAPIPackages names it)", dir)
		}
	}
	return out, nil
}

// generatedOverlay maps gen/'s files to the generator's new output. A
// generated file that the generator no longer writes is emptied, as
// writing the output would remove it.
func generatedOverlay(repo, pkgName string, generated map[string][]byte) (map[string][]byte, error) {
	dir, err := filepath.Abs(filepath.Join(repo, generatedDir))
	if err != nil {
		return nil, err
	}
	overlay := map[string][]byte{}
	stale, err := filepath.Glob(filepath.Join(dir, "*.gen.go"))
	if err != nil {
		return nil, err
	}
	for _, path := range stale {
		overlay[path] = []byte("package " + pkgName + "\n")
	}
	for name, data := range generated {
		overlay[filepath.Join(dir, name)] = data
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

// readGenerated reads the files the generator wrote into dir, by name.
func readGenerated(dir string) (map[string][]byte, error) {
	files, err := readDir(dir)
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
