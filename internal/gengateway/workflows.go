package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// The workflows a service gets beside its operations, each found by rule:
// Wait for a resource with a state, Upload for one that takes files through
// signed URLs, Download for every endpoint that hands out signed URLs.

// waiter is a service's Wait: it polls Get until the state settles.
type waiter struct {
	Get       *serviceMethod
	StateType string // the Go type of the state enum: "DeploymentState"
	HasStatus bool   // the resource has a status with a message
	Noun      string // the resource, for messages: "deployment"
	Segment   string // the collection's path segment, which the resource's name holds: "deployments"
	// Name is the Go expression of a Get answer r's resource name, which
	// the wait checks is the resource asked for: "stateOf(r.Name)" for an
	// optional name, "r.Name" for a required one, `""` without one.
	Name string
}

// upload is a service's Upload: GetUploadEndpoint with the files' sizes,
// PUTs to the signed URLs, then ValidateUpload.
type upload struct {
	Endpoint, Validate *serviceMethod
	Noun               string
}

// download is a service's Download...: an endpoint's signed URL(s) fetched
// into a directory.
type download struct {
	Name     string // the method: "Download", "DownloadMetricsFile"
	Endpoint *serviceMethod
	Many     bool   // the answer maps file names to URLs (else: one URL)
	Field    string // the answer's Go field holding the URL(s)
	File     string // for one URL: the file name when the URL's path gives none
}

// findWorkflows sets svc's Waiter, Upload and Downloads from its methods.
func findWorkflows(spec *openapi3.T, svc *service) error {
	byName := map[string]*serviceMethod{}
	for _, m := range svc.Methods {
		byName[m.Name] = m
	}
	noun := strings.ToLower(splitWords(singular(svc.Name)))

	if get := byName["Get"]; get != nil && get.ResultRef != "" {
		if schema := spec.Components.Schemas[get.ResultRef]; schema != nil && schema.Value != nil {
			state := schema.Value.Properties["state"]
			if state != nil && state.Ref != "" && state.Value != nil && len(state.Value.Enum) > 0 {
				status := schema.Value.Properties["status"]
				hasStatus := status != nil && schemaName(status.Ref) == "Status" // {code, message}
				svc.Waiter = &waiter{Get: get, StateType: codegen.SchemaNameToTypeName(schemaName(state.Ref)), HasStatus: hasStatus,
					Noun: noun, Segment: svc.Segment, Name: nameExpr(schema.Value)}
			}
		}
	}

	endpoint, validate := byName["GetUploadEndpoint"], byName["ValidateUpload"]
	if endpoint != nil && validate != nil {
		if !hasProperty(spec, endpoint.Body, "filenameToSize") || !hasProperty(spec, endpoint.ResultRef, "filenameToSignedUrls") {
			return fmt.Errorf("%s.GetUploadEndpoint: no filenameToSize in or filenameToSignedUrls out: the upload rule does not fit", svc.Name)
		}
		svc.Upload = &upload{Endpoint: endpoint, Validate: validate, Noun: noun}
	}

	for _, m := range svc.Methods {
		what, ok := strings.CutPrefix(m.Name, "Get")
		if !ok || !strings.HasSuffix(what, "Endpoint") || m.Method != "GET" || m.ResultRef == "" {
			continue
		}
		what = strings.TrimSuffix(what, "Endpoint")
		d := &download{Name: "Download" + strings.TrimPrefix(what, "Download"), Endpoint: m}
		schema := spec.Components.Schemas[m.ResultRef].Value
		if p := schema.Properties["filenameToSignedUrls"]; p != nil {
			d.Many, d.Field = true, "FilenameToSignedUrls"
		} else {
			for _, name := range slices.Sorted(maps.Keys(schema.Properties)) {
				if p := schema.Properties[name].Value; p != nil && p.Type.Is("string") && strings.Contains(strings.ToLower(name), "signedur") {
					d.Field = codegen.Property{JsonFieldName: name}.GoFieldName()
				}
			}
			d.File = strings.ToLower(strings.ReplaceAll(splitWords(what), " ", "-"))
		}
		if d.Field == "" {
			continue // an endpoint that hands out no signed URL
		}
		svc.Downloads = append(svc.Downloads, d)
	}
	return nil
}

// nameExpr is the Go expression of a resource r's "name" (a string
// property), `""` when the schema has none.
func nameExpr(schema *openapi3.Schema) string {
	p := schema.Properties["name"]
	switch {
	case p == nil || p.Value == nil || !p.Value.Type.Is("string"):
		return `""`
	case slices.Contains(schema.Required, "name"):
		return "r.Name"
	}
	return "stateOf(r.Name)"
}

// hasProperty reports whether the component schema named by a Go type or
// schema name has the property.
func hasProperty(spec *openapi3.T, schema, property string) bool {
	for name, ref := range spec.Components.Schemas {
		if (name == schema || codegen.SchemaNameToTypeName(name) == schema) && ref.Value != nil && ref.Value.Properties[property] != nil {
			return true
		}
	}
	return false
}

// splitWords puts spaces between the words of a CamelCase name.
func splitWords(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' && (s[i-1] < 'A' || s[i-1] > 'Z') {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
