package main

import (
	"bytes"
	"fmt"
	"go/format"
	"sort"
	"strings"
	"text/template"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// listOperation is a List operation that pages with pageToken and
// nextPageToken: the generator gives it a Pages and an All iterator.
type listOperation struct {
	ID           string
	PathParams   []*openapi3.Parameter // in the order of the generated method's arguments
	PageSchema   string                // the component schema of the 200 response body
	ItemsField   string                // the page's JSON array property
	ItemsPointer bool                  // whether the Go field is a pointer (not required)
	ItemSchema   string                // the component schema of the items
}

// listOperations finds the List operations by their shape, not by name:
// a pageToken query parameter, and a 200 response whose schema (a named
// one) has a string nextPageToken and exactly one array of named items.
func listOperations(spec *openapi3.T) ([]listOperation, error) {
	var lists []listOperation
	for _, op := range operations(spec) {
		if !hasQueryParam(op.Operation, "pageToken") {
			continue
		}
		resp := op.Operation.Responses.Value("200")
		if resp == nil || resp.Value == nil || resp.Value.Content.Get("application/json") == nil {
			continue
		}
		schema := resp.Value.Content.Get("application/json").Schema
		if schema == nil || schema.Ref == "" || schema.Value == nil {
			continue
		}
		next := schema.Value.Properties["nextPageToken"]
		if next == nil || next.Value == nil || !next.Value.Type.Is("string") {
			continue
		}
		var arrays []string
		for name, prop := range schema.Value.Properties {
			if prop.Value != nil && prop.Value.Type.Is("array") && prop.Value.Items != nil && prop.Value.Items.Ref != "" {
				arrays = append(arrays, name)
			}
		}
		if len(arrays) != 1 {
			continue
		}
		items := schema.Value.Properties[arrays[0]]
		l := listOperation{
			ID:           op.Operation.OperationID,
			PageSchema:   schemaName(schema.Ref),
			ItemsField:   arrays[0],
			ItemsPointer: !contains(schema.Value.Required, arrays[0]),
			ItemSchema:   schemaName(items.Value.Items.Ref),
		}
		params, err := pathParamsInOrder(op)
		if err != nil {
			return nil, err
		}
		l.PathParams = params
		lists = append(lists, l)
	}
	sort.Slice(lists, func(i, j int) bool { return lists[i].ID < lists[j].ID })
	return lists, nil
}

func hasQueryParam(op *openapi3.Operation, name string) bool {
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery && p.Value.Name == name {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// schemaName is the component schema a $ref points to.
func schemaName(ref string) string {
	return ref[strings.LastIndex(ref, "/")+1:]
}

// pathParamsInOrder returns the operation's path parameters in the order
// they appear in its path, which is the generated methods' argument order.
func pathParamsInOrder(op specOperation) ([]*openapi3.Parameter, error) {
	byName := map[string]*openapi3.Parameter{}
	for _, p := range op.Operation.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInPath {
			byName[p.Value.Name] = p.Value
		}
	}
	var out []*openapi3.Parameter
	for _, seg := range strings.Split(op.Path, "{")[1:] {
		name, _, _ := strings.Cut(seg, "}")
		p, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("%s %s: path parameter %q is not declared", op.Method, op.Path, name)
		}
		out = append(out, p)
	}
	return out, nil
}

// paginationFile renders pagination.gen.go. It runs after oapi-codegen,
// whose naming functions it uses, so that every name matches the
// generated code's (the package would not compile otherwise).
func paginationFile(pkg string, lists []listOperation, goName func(string) string) ([]byte, error) {
	funcs := template.FuncMap{
		"args": func(l listOperation) string {
			var b strings.Builder
			for _, p := range l.PathParams {
				fmt.Fprintf(&b, ", %s string", goVar(p))
			}
			return b.String()
		},
		"names": func(l listOperation) string {
			var b strings.Builder
			for _, p := range l.PathParams {
				fmt.Fprintf(&b, ", %s", goVar(p))
			}
			return b.String()
		},
		"goName": goName,
		// The Go type oapi-codegen generated for a component schema.
		"typeName": codegen.SchemaNameToTypeName,
		"field": func(jsonName string) string {
			return codegen.Property{JsonFieldName: jsonName}.GoFieldName()
		},
	}
	var buf bytes.Buffer
	t := template.Must(template.New("pagination").Funcs(funcs).Parse(paginationTemplate))
	if err := t.Execute(&buf, map[string]any{"Package": pkg, "Lists": lists}); err != nil {
		return nil, err
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format pagination.gen.go: %w\n%s", err, buf.Bytes())
	}
	return src, nil
}

func goVar(p *openapi3.Parameter) string {
	return codegen.ParameterDefinition{ParamName: p.Name, In: p.In, Spec: p}.GoVariableName()
}

const paginationTemplate = `// Code generated by internal/gengateway from the OpenAPI spec. DO NOT EDIT.

package {{.Package}}

import (
	"context"
	"iter"

	"github.com/fireworks-gateway/go-sdk/internal/paging"
)

// ListOperationIDs are the operations that have Pages and All iterators.
var ListOperationIDs = []string{ {{- range $i, $l := .Lists}}{{if $i}}, {{end}}{{printf "%q" $l.ID}}{{end -}} }
{{range .Lists}}
// {{goName .ID}}Pages iterates over the pages of {{goName .ID}}, following nextPageToken
// until it is empty, from params.PageToken if set. params (which may be nil)
// keeps its page size and filters for every page and is not modified. The
// iteration ends with an error when ctx ends, when a request fails, or
// when the server repeats a page token.
func (c *ClientWithResponses) {{goName .ID}}Pages(ctx context.Context{{args .}}, params *{{goName .ID}}Params, reqEditors ...RequestEditorFn) iter.Seq2[*{{typeName .PageSchema}}, error] {
	p := paging.Copy(params)
	return paging.Pages(ctx, p.PageToken, func(ctx context.Context, token *string) (*{{typeName .PageSchema}}, *string, error) {
		p.PageToken = token
		resp, err := c.{{goName .ID}}WithResponse(ctx{{names .}}, p, reqEditors...)
		if err != nil {
			return nil, nil, err
		}
		if resp.JSON200 == nil {
			return nil, nil, &paging.NoBodyError{Operation: {{printf "%q" .ID}}, StatusCode: resp.StatusCode(), ContentType: resp.HTTPResponse.Header.Get("Content-Type")}
		}
		return resp.JSON200, resp.JSON200.NextPageToken, nil
	})
}

// {{goName .ID}}All iterates over the {{.ItemsField}} of every page of {{goName .ID}}: see
// {{goName .ID}}Pages. One page is in memory at a time.
func (c *ClientWithResponses) {{goName .ID}}All(ctx context.Context{{args .}}, params *{{goName .ID}}Params, reqEditors ...RequestEditorFn) iter.Seq2[{{typeName .ItemSchema}}, error] {
	return paging.Items(ctx, c.{{goName .ID}}Pages(ctx{{names .}}, params, reqEditors...), func(page *{{typeName .PageSchema}}) []{{typeName .ItemSchema}} {
		return {{if .ItemsPointer}}paging.Deref(page.{{field .ItemsField}}){{else}}page.{{field .ItemsField}}{{end}}
	})
}
{{end}}`
