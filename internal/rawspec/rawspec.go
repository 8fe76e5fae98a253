// Package rawspec reads openapi.yaml as plain YAML, independently of the
// generator and of kin-openapi, so that tests can check what was generated
// against the spec itself: the count of operations, the List operations,
// the version. It is for tests; the SDK does not use it.
package rawspec

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Operation is an operation as the spec's YAML declares it.
type Operation struct {
	// UpstreamID is the operationId as written, such as "Gateway_UpdateSecret".
	UpstreamID   string
	Method, Path string
	// QueryParams are the names of the operation's query parameters.
	QueryParams []string
	// RequiredQuery are the query parameters marked required, in spec order.
	RequiredQuery []Param
	// RequiredBody are the JSON request body's top-level properties marked
	// required, in spec order, with their types resolved through $ref.
	RequiredBody []BodyProperty
}

// BodyProperty is a property of a request body, as its schema says.
type BodyProperty struct {
	Name, Type, Format string
	ReadOnly, Nullable bool
}

// schema is the part of a schema object the tests read.
type schema struct {
	Ref        string `yaml:"$ref"`
	Type       string
	Format     string
	ReadOnly   bool `yaml:"readOnly"`
	Nullable   bool
	Required   []string
	Properties map[string]*schema
}

// resolve follows s's $ref (#/components/schemas/Name) in schemas.
func resolve(s *schema, schemas map[string]*schema) *schema {
	for i := 0; s != nil && s.Ref != "" && i < 10; i++ {
		s = schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	return s
}

// Param is a parameter's name and its schema's type ("string", "integer"...).
type Param struct{ Name, Type string }

// Spec is what tests need of openapi.yaml.
type Spec struct {
	Version    string
	Operations []Operation
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Read parses the OpenAPI document at path.
func Read(path string) (*Spec, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Info       struct{ Version string } `yaml:"info"`
		Paths      map[string]map[string]yaml.Node
		Components struct {
			Schemas map[string]*schema
		}
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	spec := &Spec{Version: doc.Info.Version}
	for p, item := range doc.Paths {
		for _, m := range methods {
			node, ok := item[m]
			if !ok {
				continue
			}
			var op struct {
				OperationID string `yaml:"operationId"`
				Parameters  []struct {
					Name, In string
					Required bool
					Schema   struct{ Type string }
				}
				RequestBody struct {
					Content map[string]struct{ Schema *schema }
				} `yaml:"requestBody"`
			}
			if err := node.Decode(&op); err != nil {
				return nil, fmt.Errorf("%s %s: %w", m, p, err)
			}
			o := Operation{UpstreamID: op.OperationID, Method: strings.ToUpper(m), Path: p}
			for _, param := range op.Parameters {
				if param.In == "query" {
					o.QueryParams = append(o.QueryParams, param.Name)
					if param.Required {
						o.RequiredQuery = append(o.RequiredQuery, Param{Name: param.Name, Type: param.Schema.Type})
					}
				}
			}
			if body := resolve(op.RequestBody.Content["application/json"].Schema, doc.Components.Schemas); body != nil {
				for _, name := range body.Required {
					prop := body.Properties[name]
					// A property's own readOnly (or nullable) counts beside
					// its $ref, as OpenAPI 3.1 lets it.
					if r := resolve(prop, doc.Components.Schemas); r != nil {
						o.RequiredBody = append(o.RequiredBody, BodyProperty{Name: name, Type: r.Type, Format: r.Format,
							ReadOnly: prop.ReadOnly || r.ReadOnly, Nullable: prop.Nullable || r.Nullable})
					}
				}
			}
			spec.Operations = append(spec.Operations, o)
		}
	}
	sort.Slice(spec.Operations, func(i, j int) bool { return spec.Operations[i].UpstreamID < spec.Operations[j].UpstreamID })
	return spec, nil
}

// Paged returns the operations that take a pageToken: the List operations.
func (s *Spec) Paged() []Operation {
	var out []Operation
	for _, op := range s.Operations {
		for _, q := range op.QueryParams {
			if q == "pageToken" {
				out = append(out, op)
				break
			}
		}
	}
	return out
}
