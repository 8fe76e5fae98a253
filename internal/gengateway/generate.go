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

// generate returns the generated files by name.
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
	// The table is read before oapi-codegen runs, which may change the
	// spec in place (pruning, merging).
	table, err := readOperations(spec, upstreamIDs)
	if err != nil {
		return nil, err
	}
	lists, err := listOperations(spec)
	if err != nil {
		return nil, err
	}
	clientTemplate, err := clientTemplateWithPathChecks()
	if err != nil {
		return nil, err
	}
	if opts.OutputOptions.UserTemplates == nil {
		opts.OutputOptions.UserTemplates = map[string]string{}
	}
	opts.OutputOptions.UserTemplates["client.tmpl"] = clientTemplate

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
	pagination, err := paginationFile(opts.PackageName, lists, goName)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		cfg.Output:          formatted,
		"operations.gen.go": operationsSrc,
		"pagination.gen.go": pagination,
		"opconsts.gen.go":   opConstsFile(opts.PackageName, table, goName),
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
