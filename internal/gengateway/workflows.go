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

// download is a service's Download...: an endpoint's signed URL(s), or
// the signed URL a field of the resource holds, fetched into a directory.
type download struct {
	Name     string // the method: "Download", "DownloadMetricsFile"
	Endpoint *serviceMethod
	Many     bool   // the answer maps file names to URLs (else: one URL)
	Field    string // the answer's Go field holding the URL(s)
	File     string // for one URL: the file name when the URL's path gives none
	// Property is, for a resource field's URL, the field's JSON name
	// ("metricsFileSignedUrl"), and Endpoint the service's Get; "" for an
	// endpoint's.
	Property string
}

// signedURLSuffix ends the name of a resource property holding a signed
// URL of a file the resource publishes: a job's metricsFileSignedUrl.
const signedURLSuffix = "SignedUrl"

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
	if get := byName["Get"]; get != nil && get.ResultRef != "" {
		if schema := spec.Components.Schemas[get.ResultRef]; schema != nil && schema.Value != nil {
			svc.Downloads = append(svc.Downloads, fieldDownloads(get, schema.Value)...)
		}
	}
	return checkDownloadNames(svc)
}

// fieldDownloads are the Download... of the resource's signed-URL fields,
// by rule: every string property named "<what>SignedUrl" gets
// Download<What>, which Gets the resource and fetches that URL.
func fieldDownloads(get *serviceMethod, schema *openapi3.Schema) []*download {
	var out []*download
	for _, name := range slices.Sorted(maps.Keys(schema.Properties)) {
		p := schema.Properties[name].Value
		what, ok := strings.CutSuffix(name, signedURLSuffix)
		if !ok || what == "" || p == nil || !p.Type.Is("string") {
			continue
		}
		goName := codegen.Property{JsonFieldName: what}.GoFieldName()
		out = append(out, &download{
			Name:     "Download" + goName,
			Endpoint: get,
			Field:    codegen.Property{JsonFieldName: name}.GoFieldName(),
			File:     strings.ToLower(strings.ReplaceAll(splitWords(goName), " ", "-")),
			Property: name,
		})
	}
	return out
}

// checkDownloadNames fails generation when two Download... of a service,
// or one and an operation's method, would have the same name.
func checkDownloadNames(svc *service) error {
	seen := map[string]string{}
	for _, m := range svc.Methods {
		seen[m.Name] = "the operation " + m.ID
	}
	for _, d := range svc.Downloads {
		from := "the endpoint " + d.Endpoint.Name
		if d.Property != "" {
			from = "the field " + d.Property
		}
		if other, clash := seen[d.Name]; clash {
			return fmt.Errorf("%s.%s: the download of %s has the name of %s: rename one (gen/overlay.yaml)", svc.Name, d.Name, from, other)
		}
		seen[d.Name] = from
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
