package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"sort"
	"strings"
	"text/template"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// specOperation is one operation of the spec with where it sits.
type specOperation struct {
	Method    string
	Path      string
	Operation *openapi3.Operation
}

// operations lists the spec's operations in a stable order (path, then
// method), the order every generated table uses.
func operations(spec *openapi3.T) []specOperation {
	var ops []specOperation
	for _, path := range spec.Paths.InMatchingOrder() {
		item := spec.Paths.Value(path)
		for method, op := range item.Operations() {
			ops = append(ops, specOperation{Method: method, Path: path, Operation: op})
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	return ops
}

// operationRow is what operations.gen.go records of one operation.
type operationRow struct {
	ID, UpstreamID, Method, Path string
	PathParams, QueryParams      []string
	HasBody                      bool
	// SpecVersion is the version of the spec the operation was taken from.
	SpecVersion string
}

// operationTable is what operations.gen.go records, read from the spec
// before oapi-codegen runs (it may change the spec in place).
type operationTable struct {
	Title, Version string
	Rows           []operationRow
	Sensitive      []string
}

// readOperations reads the table of every operation, sorted by id.
// markedVersions are the x-spec-version marks of the spec as vendored, by
// upstream operation id (markedSpecVersions).
func readOperations(spec *openapi3.T, upstreamIDs, markedVersions map[string]string) (*operationTable, error) {
	var rows []operationRow
	for _, op := range operations(spec) {
		row := operationRow{
			ID:         op.Operation.OperationID,
			UpstreamID: upstreamIDs[op.Operation.OperationID],
			Method:     op.Method,
			Path:       op.Path,
			HasBody:    op.Operation.RequestBody != nil,
			// openapi.yaml mixes versions when it was merged from docs pages
			// of several: the merge marks each operation with its own.
			SpecVersion: operationSpecVersion(op.Operation, markedVersions[upstreamIDs[op.Operation.OperationID]], spec.Info.Version),
		}
		// Path parameters in the order they appear in the path, which is the
		// order of the generated methods' arguments.
		for _, seg := range strings.Split(op.Path, "{")[1:] {
			name, _, ok := strings.Cut(seg, "}")
			if !ok {
				return nil, fmt.Errorf("%s %s: unbalanced braces in path", op.Method, op.Path)
			}
			row.PathParams = append(row.PathParams, name)
		}
		for _, p := range op.Operation.Parameters {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				row.QueryParams = append(row.QueryParams, p.Value.Name)
			}
		}
		rows = append(rows, row)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
	return &operationTable{Title: spec.Info.Title, Version: spec.Info.Version, Rows: rows, Sensitive: sensitiveFields(spec)}, nil
}

// specVersionExtension is the extension that internal/specbump writes on
// an operation whose spec version is not info.version's (a spec merged
// from docs pages of several versions).
const specVersionExtension = "x-spec-version"

// operationSpecVersion is the version an operation was taken from: its
// x-spec-version when it has one, else the mark the vendored spec gave it
// (an overlay may have replaced the operation without it), else the
// document's info.version.
func operationSpecVersion(op *openapi3.Operation, marked, documentVersion string) string {
	if v, ok := op.Extensions[specVersionExtension].(string); ok && v != "" {
		return v
	}
	if marked != "" {
		return marked
	}
	return documentVersion
}

// markedSpecVersions reads the x-spec-version marks of the spec file, by
// operation id, before any overlay changes the spec.
func markedSpecVersions(specPath string) (map[string]string, error) {
	raw, err := os.ReadFile(specPath)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", specPath, err)
	}
	marked := map[string]string{}
	for _, item := range doc.Paths {
		for _, node := range item {
			var op struct {
				OperationID string `yaml:"operationId"`
				SpecVersion string `yaml:"x-spec-version"`
			}
			if node.Kind == yaml.MappingNode && node.Decode(&op) == nil && op.OperationID != "" && op.SpecVersion != "" {
				marked[op.OperationID] = op.SpecVersion
			}
		}
	}
	return marked, nil
}

// operationsFile renders operations.gen.go. goName is oapi-codegen's name
// for an operation id (with initialisms: "ListApiKeys" is "ListAPIKeys"),
// known only once oapi-codegen has run.
func operationsFile(pkg string, table *operationTable, goName func(string) string) ([]byte, error) {
	var buf bytes.Buffer
	t := template.Must(template.New("operations").Funcs(template.FuncMap{"goName": goName}).Parse(operationsTemplate))
	err := t.Execute(&buf, map[string]any{
		"Package":   pkg,
		"Title":     table.Title,
		"Version":   table.Version,
		"Rows":      table.Rows,
		"Sensitive": table.Sensitive,
	})
	if err != nil {
		return nil, err
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format operations.gen.go: %w", err)
	}
	return src, nil
}

const operationsTemplate = `// Code generated by internal/gengateway from the OpenAPI spec. DO NOT EDIT.

package {{.Package}}

// SpecTitle is info.title of the OpenAPI document this package was generated from.
const SpecTitle = {{printf "%q" .Title}}

// SpecVersion is info.version of the OpenAPI document this package was
// generated from. It changes only when openapi.yaml is regenerated.
const SpecVersion = {{printf "%q" .Version}}

// SensitiveFields are the names of the JSON properties that carry secret
// values (a Secret's value, an API key): the SDK redacts their values from
// errors, logs and recorded requests.
var SensitiveFields = []string{ {{- range $i, $f := .Sensitive}}{{if $i}}, {{end}}{{printf "%q" $f}}{{end -}} }

// OperationInfo describes one operation of the spec.
type OperationInfo struct {
	// ID is the operation id without its tag prefix, such as "UpdateSecret".
	ID string
	// GoName names the operation's methods and types: UpdateSecret,
	// UpdateSecretWithResponse, UpdateSecretParams... It is ID with Go's
	// initialisms ("ListApiKeys" is "ListAPIKeys").
	GoName string
	// UpstreamID is the operation id in the published spec, such as "Gateway_UpdateSecret".
	UpstreamID string
	// Method is the HTTP method, in upper case.
	Method string
	// Path is the path template, such as "/v1/accounts/{account_id}/secrets/{secret_id}".
	Path string
	// PathParams are the path template's parameters, in order.
	PathParams []string
	// QueryParams are the names of the query parameters.
	QueryParams []string
	// HasBody reports whether the operation takes a request body.
	HasBody bool
	// SpecVersion is the version of the spec the operation was taken from.
	// It is SpecVersion unless openapi.yaml was merged from docs pages of
	// several versions (see make spec-status), where older operations keep
	// the version they were published in.
	SpecVersion string
}

// Operations lists every operation of the spec, sorted by ID.
var Operations = []OperationInfo{
{{- range .Rows}}
	{ID: {{printf "%q" .ID}}, GoName: {{printf "%q" (goName .ID)}}, UpstreamID: {{printf "%q" .UpstreamID}}, Method: {{printf "%q" .Method}}, Path: {{printf "%q" .Path}},
		PathParams: {{if .PathParams}}[]string{ {{- range $i, $p := .PathParams}}{{if $i}}, {{end}}{{printf "%q" $p}}{{end -}} }{{else}}nil{{end}},
		QueryParams: {{if .QueryParams}}[]string{ {{- range $i, $p := .QueryParams}}{{if $i}}, {{end}}{{printf "%q" $p}}{{end -}} }{{else}}nil{{end}},
		HasBody: {{.HasBody}},
		SpecVersion: {{printf "%q" .SpecVersion}}},
{{- end}}
}
`
