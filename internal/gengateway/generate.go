package main

import (
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
	"go.yaml.in/yaml/v3"
)

// config is oapi-codegen's configuration file format: its Configuration plus
// the output file name, as its own command reads it.
type config struct {
	codegen.Configuration `yaml:",inline"`
	Output                string `yaml:"output"`
}

// generate returns the generated files by their path in the repository:
// package gen (beside the configuration file), its spec package, and the
// resource services of package api.
func generate(configPath, specPath string) (map[string][]byte, error) {
	raw, err := os.ReadFile(configPath)
	if err != nil {
		return nil, err
	}
	var cfg config
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", configPath, err)
	}
	if cfg.Output == "" {
		return nil, fmt.Errorf("%s: no output file named", configPath)
	}
	opts := cfg.Configuration.UpdateDefaults()
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", configPath, err)
	}

	overlay := opts.OutputOptions.Overlay.Path
	if overlay != "" && !filepath.IsAbs(overlay) {
		overlay = filepath.Join(filepath.Dir(configPath), overlay)
	}
	strict := true
	if opts.OutputOptions.Overlay.Strict != nil {
		strict = *opts.OutputOptions.Overlay.Strict
	}
	spec, err := util.LoadSwaggerWithOverlay(specPath, util.LoadSwaggerWithOverlayOpts{
		Path:                overlay,
		Strict:              strict,
		AllowRemoteRefsFrom: []string{}, // the spec is self-contained; never fetch
	})
	if err != nil {
		return nil, err
	}
	if spec.Info == nil || spec.Info.Version == "" {
		return nil, fmt.Errorf("%s: info.version is missing", specPath)
	}

	upstreamIDs, err := stripTagPrefixes(spec)
	if err != nil {
		return nil, err
	}
	marked, err := markedSpecVersions(specPath)
	if err != nil {
		return nil, err
	}
	// The table is read before oapi-codegen runs, which may change the
	// spec in place (pruning, merging).
	table, err := readOperations(spec, upstreamIDs, marked)
	if err != nil {
		return nil, err
	}
	// The embedded spec is the one the server speaks: before the Go-side
	// renames below.
	specGz, err := embeddedSpec(spec)
	if err != nil {
		return nil, err
	}
	serverSchemas := sortedSchemaNames(spec)
	deprecated := markDeprecations(spec, upstreamIDs)
	if err := stripSchemaPrefixes(spec); err != nil {
		return nil, err
	}
	if err := hoistRequestBodies(spec); err != nil {
		return nil, err
	}
	lists, err := listOperations(spec)
	if err != nil {
		return nil, err
	}
	for name, tmpl := range opts.OutputOptions.UserTemplates {
		// A single line names a file: relative to the configuration file,
		// as the overlay is, whatever the working directory.
		if !strings.Contains(tmpl, "\n") && !filepath.IsAbs(tmpl) && !strings.Contains(tmpl, "://") {
			opts.OutputOptions.UserTemplates[name] = filepath.Join(filepath.Dir(configPath), tmpl)
		}
	}

	// oapi-codegen names the main module (this one) in its header; name the
	// generator's own version there too.
	version := "(internal/gengateway with oapi-codegen " + generatorVersion() + ")"
	opts.NoVCSVersionOverride = &version

	code, err := codegen.Generate(spec, opts)
	if err != nil {
		return nil, fmt.Errorf("oapi-codegen: %w", err)
	}
	// gofmt's doc comment rules are newer than oapi-codegen's formatting:
	// format again, so that the generated code passes gofmt -l.
	formatted, err := format.Source([]byte(code))
	if err != nil {
		return nil, fmt.Errorf("format %s: %w", cfg.Output, err)
	}
	formatted, _, err = renameEnumConstants(formatted)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Output, err)
	}
	if err := checkUniqueDeclarations(formatted); err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Output, err)
	}
	// oapi-codegen's own naming of operations, now that it has run (the
	// initialisms it knows are set up by Generate).
	goName := codegen.NameNormalizers[codegen.NameNormalizerFunction(opts.OutputOptions.NameNormalizer)]
	if goName == nil {
		return nil, fmt.Errorf("unknown name-normalizer %q", opts.OutputOptions.NameNormalizer)
	}
	operationsSrc, err := operationsFile(opts.PackageName, table, goName)
	if err != nil {
		return nil, err
	}
	services, err := resourceServices(spec, table, lists, goName)
	if err != nil {
		return nil, err
	}
	serviceDeprecations(services, deprecated)
	opIndex := map[string]int{}
	for i, row := range table.Rows {
		opIndex[row.ID] = i
	}
	servicesSrc, err := servicesFile(services, opIndex)
	if err != nil {
		return nil, err
	}
	callsSrc, err := serviceCallsFile(services)
	if err != nil {
		return nil, err
	}
	enums, err := stateEnums(spec)
	if err != nil {
		return nil, err
	}
	statesSrc, err := statesFile(opts.PackageName, enums)
	if err != nil {
		return nil, err
	}
	specSrc, err := format.Source([]byte(specPackage))
	if err != nil {
		return nil, err
	}
	goTypes, err := schemaGoTypes(serverSchemas, codegen.SchemaNameToTypeName, formatted)
	if err != nil {
		return nil, err
	}
	goTypesSrc, err := goTypesFile(goTypes)
	if err != nil {
		return nil, err
	}
	absConfig, err := filepath.Abs(configPath)
	if err != nil {
		return nil, err
	}
	genDir := filepath.Base(filepath.Dir(absConfig))
	return map[string][]byte{
		filepath.Join(genDir, cfg.Output):                formatted,
		filepath.Join(genDir, "operations.gen.go"):       operationsSrc,
		filepath.Join(genDir, "states.gen.go"):           statesSrc,
		filepath.Join(genDir, "spec", "spec.gen.go"):     specSrc,
		filepath.Join(genDir, "spec", "openapi.json.gz"): specGz,
		filepath.Join(genDir, "spec", "gotypes.gen.go"):  goTypesSrc,
		filepath.Join("api", "services.gen.go"):          servicesSrc,
		filepath.Join("api", "services.gen_test.go"):     callsSrc,
		filepath.Join(genDir, "opconsts.gen.go"):         opConstsFile(opts.PackageName, table, goName),
	}, nil
}

// stripTagPrefixes renames "Tag_Name" operation ids to "Name" when Tag is the
// operation's first tag, and fails if two operations would share a name. It
// returns the upstream id of every renamed operation, by new id.
func stripTagPrefixes(spec *openapi3.T) (map[string]string, error) {
	seen := map[string]string{}
	for _, op := range operations(spec) {
		id := op.Operation.OperationID
		if len(op.Operation.Tags) > 0 {
			id = strings.TrimPrefix(id, op.Operation.Tags[0]+"_")
		}
		if other, dup := seen[id]; dup {
			return nil, fmt.Errorf("operation ids %q and %q both become %q", other, op.Operation.OperationID, id)
		}
		seen[id] = op.Operation.OperationID
		op.Operation.OperationID = id
	}
	return seen, nil
}

// generatorVersion is the version of oapi-codegen this program was built with.
func generatorVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == "github.com/oapi-codegen/oapi-codegen/v2" {
				return dep.Version
			}
		}
	}
	return "unknown version"
}
