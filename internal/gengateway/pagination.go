package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// listOperation is a List operation that pages with pageToken and
// nextPageToken: its service method gets Pages and All iterators.
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

func goVar(p *openapi3.Parameter) string {
	return codegen.ParameterDefinition{ParamName: p.Name, In: p.In, Spec: p}.GoVariableName()
}
