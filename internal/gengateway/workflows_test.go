package main

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// jobSpec is a resource with two signed-URL fields, and, with endpoint, a
// Get...Endpoint that answers one signed URL.
func jobSpec(endpoint bool) (*openapi3.T, *service) {
	str := func() *openapi3.SchemaRef {
		return &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"string"}}}
	}
	spec := &openapi3.T{Components: &openapi3.Components{Schemas: openapi3.Schemas{
		"Job": {Value: &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{
			"name": str(), "metricsFileSignedUrl": str(), "trainerLogsSignedUrl": str(), "SignedUrl": str(),
			"signedUrlNote": str(),
		}}},
		"MetricsFileResponse": {Value: &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{"signedUrl": str()}}},
	}}}
	svc := &service{Name: "Jobs", Segment: "jobs", Methods: []*serviceMethod{{ID: "GetJob", Name: "Get", Method: "GET", ResultRef: "Job"}}}
	if endpoint {
		svc.Methods = append(svc.Methods, &serviceMethod{ID: "GetJobMetricsFileEndpoint", Name: "GetMetricsFileEndpoint", Method: "GET", ResultRef: "MetricsFileResponse"})
	}
	return spec, svc
}

// TestSignedURLFieldsGetDownloads: every string property named
// <what>SignedUrl of a resource gives its service Download<What>, which
// reads the field from Get; other properties give none.
func TestSignedURLFieldsGetDownloads(t *testing.T) {
	spec, svc := jobSpec(false)
	if err := findWorkflows(spec, svc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range svc.Downloads {
		got = append(got, d.Name+":"+d.Endpoint.Name+":"+d.Field+":"+d.File+":"+d.Property)
	}
	// The Go field is oapi-codegen's name of the property (MetricsFileSignedURL
	// once generation has set its initialisms).
	field := func(p string) string { return codegen.Property{JsonFieldName: p}.GoFieldName() }
	want := "DownloadMetricsFile:Get:" + field("metricsFileSignedUrl") + ":metrics-file:metricsFileSignedUrl DownloadTrainerLogs:Get:" + field("trainerLogsSignedUrl") + ":trainer-logs:trainerLogsSignedUrl"
	if strings.Join(got, " ") != want {
		t.Errorf("downloads = %v, want %s", got, want)
	}
}

// TestDownloadNameClashesFailGeneration: a signed-URL field and an
// endpoint that would both be DownloadMetricsFile fail generation, naming
// both.
func TestDownloadNameClashesFailGeneration(t *testing.T) {
	spec, svc := jobSpec(true)
	err := findWorkflows(spec, svc)
	if err == nil || !strings.Contains(err.Error(), "Jobs.DownloadMetricsFile") || !strings.Contains(err.Error(), "metricsFileSignedUrl") || !strings.Contains(err.Error(), "GetMetricsFileEndpoint") {
		t.Errorf("err = %v, want the clash of the field and the endpoint", err)
	}
	// A download named as an operation's method clashes too.
	spec, svc = jobSpec(false)
	svc.Methods = append(svc.Methods, &serviceMethod{ID: "DownloadJobTrainerLogs", Name: "DownloadTrainerLogs", Method: "POST"})
	if err := findWorkflows(spec, svc); err == nil || !strings.Contains(err.Error(), "DownloadJobTrainerLogs") {
		t.Errorf("err = %v, want the clash with the operation", err)
	}
}
