package api

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAnErrorNeverRereadsAStorageBodyNorKeepsItsSignature: a storage
// request, even on the API's own origin (a proxy; one test server for
// both), is never read again through GetBody to build an error (the
// transport may still be sending the file from the same reader: a race),
// and its signed query never stays in the request the error keeps. An API
// request's JSON body is read again for its secret values.
func TestAnErrorNeverRereadsAStorageBodyNorKeepsItsSignature(t *testing.T) {
	base, err := url.Parse("http://127.0.0.1:8080")
	if err != nil {
		t.Fatal(err)
	}
	p := &pipeline{api: destination{origin: originOf(base)}, secrets: []string{"fw-test-key-0123456789"}}
	reread := 0
	getBody := func(body string) func() (io.ReadCloser, error) {
		return func() (io.ReadCloser, error) {
			reread++
			return io.NopCloser(strings.NewReader(body)), nil
		}
	}

	signed, err := url.Parse("http://127.0.0.1:8080/storage/data.jsonl?X-Goog-Signature=sig-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	put, err := newStorageRequest(context.Background(), http.MethodPut, signed, strings.NewReader(`{"value":"from-the-file"}`))
	if err != nil {
		t.Fatal(err)
	}
	put.GetBody = getBody(`{"value":"from-the-file"}`)
	if got := p.requestSecrets(put); reread != 0 || len(got) != 1 {
		t.Errorf("a storage body was read again %d times; secrets %d, want the key alone", reread, len(got))
	}
	if kept := p.requestWithoutSecrets(put); kept.URL.RawQuery != "" || strings.Contains(kept.URL.String(), "sig-0123456789") {
		t.Errorf("the error keeps the signed URL %s", kept.URL)
	}

	call, err := http.NewRequest(http.MethodPatch, "http://127.0.0.1:8080/v1/accounts/a/secrets/s?updateMask=value", strings.NewReader(`{"value":"sk-secret-value-42"}`))
	if err != nil {
		t.Fatal(err)
	}
	call.GetBody = getBody(`{"value":"sk-secret-value-42"}`)
	if got := p.requestSecrets(call); reread != 1 || len(got) != 2 || got[1] != "sk-secret-value-42" {
		t.Errorf("an API body read %d times, secrets %d; want it read once, its value found", reread, len(got))
	}
	if kept := p.requestWithoutSecrets(call); kept.URL.RawQuery != "updateMask=value" {
		t.Errorf("an API call's query became %q", kept.URL.RawQuery)
	}
}
