package specvalidate

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/fireworks-gateway/go-sdk/gen/spec"
)

// naiveValidator is kin-openapi used the straightforward way: a gorillamux
// router over the embedded spec, and openapi3filter on every request. It is
// the baseline of the benchmark and the reference of the verdict table.
type naiveValidator struct {
	router routers.Router
}

// naiveBaseURL is the spec's server: gorillamux matches its scheme and host.
const naiveBaseURL = "https://api.fireworks.ai"

func newNaiveValidator(tb testing.TB) *naiveValidator {
	tb.Helper()
	doc, err := spec.Load()
	if err != nil {
		tb.Fatal(err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return &naiveValidator{router: router}
}

var naiveOptions = &openapi3filter.Options{
	// kin-openapi refuses every request of a spec with security schemes
	// unless it is given an AuthenticationFunc; the bearer check is
	// specvalidate's own and is tested in validate_test.go.
	AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
	// specvalidate refuses a body sent to an operation that takes none.
	RejectWhenRequestBodyNotSpecified: true,
}

// naiveVerdict is what the naive validator says about req.
func (n *naiveValidator) verdict(req *http.Request) (verdict, error) {
	route, params, err := n.router.FindRoute(req)
	switch {
	case errors.Is(err, routers.ErrPathNotFound):
		return verdictNotFound, err
	case errors.Is(err, routers.ErrMethodNotAllowed):
		return verdictMethodNotAllowed, err
	case err != nil:
		return verdictInvalid, err
	}
	err = openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options:    naiveOptions,
	})
	if err != nil {
		return verdictInvalid, err
	}
	return verdictValid, nil
}

func (n *naiveValidator) responseVerdict(req *http.Request, status int, header http.Header, body []byte) verdict {
	route, params, err := n.router.FindRoute(req)
	if err != nil {
		return verdictNotFound
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: naiveOptions},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	})
	if err != nil {
		return verdictInvalid
	}
	return verdictValid
}

type verdict string

const (
	verdictValid            verdict = "valid"
	verdictInvalid          verdict = "invalid"
	verdictNotFound         verdict = "not found"
	verdictMethodNotAllowed verdict = "method not allowed"
)

// specVerdict is what specvalidate says about req and its body.
func specVerdict(s *Spec, req *http.Request, body []byte) (verdict, error) {
	r, err := s.FindRoute(req.Method, req.URL.EscapedPath())
	switch {
	case errors.Is(err, ErrNotFound):
		return verdictNotFound, err
	case errors.Is(err, ErrMethodNotAllowed):
		return verdictMethodNotAllowed, err
	case err != nil:
		return verdictInvalid, err
	}
	if err := s.ValidateRequest(r, req, body); err != nil {
		return verdictInvalid, err
	}
	return verdictValid, nil
}

type verdictCase struct {
	name        string
	method      string
	target      string // path and query
	contentType string // "" with a body: application/json
	body        string
	want        verdict
}

// verdictCases are requests on which specvalidate and kin-openapi must
// agree. They cover what the fake Gateway will meet; the deliberate
// differences (documented in query.go and route.go) are not in it.
var verdictCases = []verdictCase{
	{"update secret", "PATCH", "/v1/accounts/acc/secrets/s1", "", `{"keyName":"K","value":"sk-1234567890abcdef"}`, verdictValid},
	{"update secret, charset", "PATCH", "/v1/accounts/acc/secrets/s1", "application/json; charset=utf-8", `{"keyName":"K"}`, verdictValid},
	{"update secret, empty key name", "PATCH", "/v1/accounts/acc/secrets/s1", "", `{"keyName":""}`, verdictValid},
	{"update secret, extra property", "PATCH", "/v1/accounts/acc/secrets/s1", "", `{"keyName":"K","other":1}`, verdictValid},
	{"create secret", "POST", "/v1/accounts/acc/secrets", "", `{"name":"accounts/acc/secrets/s1","keyName":"K","value":"v"}`, verdictValid},
	{"get secret with read mask", "GET", "/v1/accounts/acc/secrets/s1?readMask=name", "", "", verdictValid},
	{"delete secret", "DELETE", "/v1/accounts/acc/secrets/s1", "", "", verdictValid},
	{"list secrets", "GET", "/v1/accounts/acc/secrets?pageSize=10&pageToken=t&orderBy=name", "", "", verdictValid},
	{"billing usage", "GET", "/v1/accounts/acc/billingUsage?startTime=2024-01-01T00:00:00Z&endTime=2024-02-01T00:00:00.5%2B01:00&usageType=SERVERLESS&groupBy=a&groupBy=b", "", "", verdictValid},
	{"create deployment", "POST", "/v1/accounts/acc/deployments?validateOnly=true", "", `{"baseModel":"m","acceleratorCount":2,"precision":"FP16","expireTime":"2030-01-01T00:00:00Z","annotations":{"k":"v"}}`, verdictValid},
	{"list deployments", "GET", "/v1/accounts/acc/deployments?showDeleted=true&pageSize=5", "", "", verdictValid},
	{"create api key", "POST", "/v1/accounts/acc/users/u1/apiKeys", "", `{"apiKey":{"displayName":"ci"}}`, verdictValid},

	{"update secret, key name of the wrong type", "PATCH", "/v1/accounts/acc/secrets/s1", "", `{"keyName":5,"value":"sk-1234567890abcdef"}`, verdictInvalid},
	{"update secret, value of the wrong type", "PATCH", "/v1/accounts/acc/secrets/s1", "", `{"keyName":"K","value":{"v":1}}`, verdictInvalid},
	{"update secret, key name missing", "PATCH", "/v1/accounts/acc/secrets/s1", "", `{"value":"sk-1234567890abcdef"}`, verdictInvalid},
	{"update secret, not an object", "PATCH", "/v1/accounts/acc/secrets/s1", "", `["K"]`, verdictInvalid},
	{"update secret, no body", "PATCH", "/v1/accounts/acc/secrets/s1", "", "", verdictInvalid},
	{"update secret, text/plain", "PATCH", "/v1/accounts/acc/secrets/s1", "text/plain", `{"keyName":"K"}`, verdictInvalid},
	{"update secret, broken JSON", "PATCH", "/v1/accounts/acc/secrets/s1", "", `{"keyName":"K"`, verdictInvalid},
	{"create secret, name missing", "POST", "/v1/accounts/acc/secrets", "", `{"keyName":"K"}`, verdictInvalid},
	{"get secret with a body", "GET", "/v1/accounts/acc/secrets/s1", "", `{}`, verdictInvalid},
	{"list secrets, page size not a number", "GET", "/v1/accounts/acc/secrets?pageSize=abc", "", "", verdictInvalid},
	{"list secrets, page size beyond int32", "GET", "/v1/accounts/acc/secrets?pageSize=2147483648", "", "", verdictInvalid},
	{"list secrets, empty page size", "GET", "/v1/accounts/acc/secrets?pageSize=", "", "", verdictInvalid},
	{"billing usage, end time missing", "GET", "/v1/accounts/acc/billingUsage?startTime=2024-01-01T00:00:00Z", "", "", verdictInvalid},
	{"billing usage, bad date-time", "GET", "/v1/accounts/acc/billingUsage?startTime=2024-02-30T00:00:00Z&endTime=2024-03-01T00:00:00Z", "", "", verdictInvalid},
	{"billing usage, bad enum", "GET", "/v1/accounts/acc/billingUsage?startTime=2024-01-01T00:00:00Z&endTime=2024-02-01T00:00:00Z&usageType=serverless", "", "", verdictInvalid},
	{"list deployments, bad boolean", "GET", "/v1/accounts/acc/deployments?showDeleted=maybe", "", "", verdictInvalid},
	{"create deployment, fractional int32", "POST", "/v1/accounts/acc/deployments", "", `{"baseModel":"m","acceleratorCount":1.5}`, verdictInvalid},
	{"create deployment, int32 overflow", "POST", "/v1/accounts/acc/deployments", "", `{"baseModel":"m","acceleratorCount":3000000000}`, verdictInvalid},
	{"create deployment, bad enum", "POST", "/v1/accounts/acc/deployments", "", `{"baseModel":"m","precision":"FP3"}`, verdictInvalid},
	{"create deployment, bad date-time", "POST", "/v1/accounts/acc/deployments", "", `{"baseModel":"m","expireTime":"tomorrow"}`, verdictInvalid},
	{"create deployment, base model missing", "POST", "/v1/accounts/acc/deployments", "", `{"acceleratorCount":2}`, verdictInvalid},
	{"create deployment, annotation of the wrong type", "POST", "/v1/accounts/acc/deployments", "", `{"baseModel":"m","annotations":{"k":1}}`, verdictInvalid},

	{"custom method", "POST", "/v1/accounts/acc/deployments/d1:undelete", "", `{}`, verdictValid},
	{"custom method after a literal", "POST", "/v1/accounts/acc/users/u1/apiKeys:delete", "", `{"keyId":"k1"}`, verdictValid},
	{"custom method after the account, evaluation missing", "POST", "/v1/accounts/acc:testeval", "", `{}`, verdictInvalid},
	{"custom method of a collection", "GET", "/v1/accounts/acc/models/m1/versions:count", "", "", verdictValid},
	{"custom method, key id missing", "POST", "/v1/accounts/acc/users/u1/apiKeys:delete", "", `{}`, verdictInvalid},
	{"escaped colon in an id", "GET", "/v1/accounts/acc/deployments/d1%3Aundelete", "", "", verdictValid},

	{"unknown path", "GET", "/v1/nothing/here", "", "", verdictNotFound},
	{"path too long", "GET", "/v1/accounts/acc/secrets/s1/extra", "", "", verdictNotFound},
	{"method not allowed", "PUT", "/v1/accounts/acc/secrets/s1", "", `{"keyName":"K"}`, verdictMethodNotAllowed},
	{"custom method not allowed", "GET", "/v1/accounts/acc/deployments/d1:undelete", "", "", verdictMethodNotAllowed},
}

func (c verdictCase) request(base string) (*http.Request, []byte) {
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req := httptest.NewRequest(c.method, base+c.target, body)
	req.Header.Set("Authorization", "Bearer "+testToken)
	if c.body != "" {
		ct := c.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	return req, []byte(c.body)
}

// TestVerdictsMatchKinOpenAPI checks that specvalidate and the naive
// kin-openapi validator agree on every case of verdictCases, and that
// both give the verdict the case expects.
func TestVerdictsMatchKinOpenAPI(t *testing.T) {
	s := mustLoad(t)
	naive := newNaiveValidator(t)
	valid, invalid := 0, 0
	for _, c := range verdictCases {
		naiveReq, _ := c.request(naiveBaseURL)
		specReq, body := c.request("")
		gotNaive, _ := naive.verdict(naiveReq)
		gotSpec, specErr := specVerdict(s, specReq, body)
		if gotSpec != c.want {
			// specvalidate's errors never quote a value, so they are safe
			// to print; kin-openapi's quote the body, so they are not.
			t.Errorf("%s: specvalidate says %s (%v), want %s", c.name, gotSpec, specErr, c.want)
		}
		if gotNaive != gotSpec {
			t.Errorf("%s: kin-openapi says %s, specvalidate %s", c.name, gotNaive, gotSpec)
		}
		if c.want == verdictValid {
			valid++
		} else {
			invalid++
		}
	}
	t.Logf("%d cases: %d valid, %d invalid", len(verdictCases), valid, invalid)
}

// TestResponseVerdictsMatchKinOpenAPI is TestVerdictsMatchKinOpenAPI for
// responses.
func TestResponseVerdictsMatchKinOpenAPI(t *testing.T) {
	s := mustLoad(t)
	naive := newNaiveValidator(t)
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name, method, path string
		status             int
		header             http.Header
		body               string
		want               verdict
	}{
		{"secret", "GET", "/v1/accounts/acc/secrets/s1", 200, jsonHeader, `{"name":"accounts/acc/secrets/s1","keyName":"K"}`, verdictValid},
		{"deleted", "DELETE", "/v1/accounts/acc/secrets/s1", 200, jsonHeader, `{}`, verdictValid},
		{"list", "GET", "/v1/accounts/acc/secrets", 200, jsonHeader, `{"secrets":[{"name":"n","keyName":"K"}],"nextPageToken":"t","totalSize":1}`, verdictValid},
		{"secret without name", "GET", "/v1/accounts/acc/secrets/s1", 200, jsonHeader, `{"keyName":"K"}`, verdictInvalid},
		{"list item without key name", "GET", "/v1/accounts/acc/secrets", 200, jsonHeader, `{"secrets":[{"name":"n"}]}`, verdictInvalid},
		{"total size not an integer", "GET", "/v1/accounts/acc/secrets", 200, jsonHeader, `{"totalSize":"1"}`, verdictInvalid},
		// (Two cases where the two differ by design, which
		// TestValidateResponse covers: a success status the operation does
		// not name, a 201, which kin-openapi takes the overlay's default
		// response for, where specvalidate keeps default for errors; and a
		// writeOnly property in a response, which kin-openapi's
		// openapi3filter lets through.)
		{"error answer", "GET", "/v1/accounts/acc/secrets/s1", 404, jsonHeader, `{"code":5,"message":"not found","details":[]}`, verdictValid},
		{"error answer with a code name", "GET", "/v1/accounts/acc/secrets/s1", 404, jsonHeader, `{"code":"NOT_FOUND"}`, verdictInvalid},
		{"error answer not JSON", "GET", "/v1/accounts/acc/secrets/s1", 502, http.Header{"Content-Type": {"text/html"}}, `<html>`, verdictInvalid},
		{"no content type", "GET", "/v1/accounts/acc/secrets/s1", 200, http.Header{}, `{"name":"n","keyName":"K"}`, verdictInvalid},
		{"not JSON", "GET", "/v1/accounts/acc/secrets/s1", 200, jsonHeader, `<html>`, verdictInvalid},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, naiveBaseURL+tt.path, nil)
		gotNaive := naive.responseVerdict(req, tt.status, tt.header, []byte(tt.body))
		r, err := s.FindRoute(tt.method, tt.path)
		if err != nil {
			t.Fatal(err)
		}
		gotSpec := verdictValid
		specErr := s.ValidateResponse(r, tt.status, tt.header, []byte(tt.body))
		if specErr != nil {
			gotSpec = verdictInvalid
		}
		if gotSpec != tt.want {
			t.Errorf("%s: specvalidate says %s (%v), want %s", tt.name, gotSpec, specErr, tt.want)
		}
		if gotNaive != gotSpec {
			t.Errorf("%s: kin-openapi says %s, specvalidate %s", tt.name, gotNaive, gotSpec)
		}
	}
}

// BenchmarkValidateUpdateSecret routes and validates one Update secret
// request, both ways, side by side:
//
//	go test -run '^$' -bench ValidateUpdateSecret -benchmem -benchtime=2000x ./internal/specvalidate/
func BenchmarkValidateUpdateSecret(b *testing.B) {
	body := []byte(`{"keyName":"K","value":"sk-1234567890abcdef"}`)
	newReq := func(base string) *http.Request {
		req := httptest.NewRequest("PATCH", base+"/v1/accounts/acc/secrets/s1", nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Content-Type", "application/json")
		return req
	}

	b.Run("naive-kin-openapi", func(b *testing.B) {
		naive := newNaiveValidator(b)
		req := newReq(naiveBaseURL)
		b.ReportAllocs()
		for b.Loop() {
			// openapi3filter reads the body from the request.
			req.Body, req.GetBody, req.ContentLength = io.NopCloser(bytes.NewReader(body)), nil, int64(len(body))
			if v, err := naive.verdict(req); v != verdictValid {
				b.Fatalf("%s: %T", v, err) // kin-openapi's text would quote the body
			}
		}
	})

	b.Run("specvalidate", func(b *testing.B) {
		s := mustLoad(b)
		req := newReq("")
		b.ReportAllocs()
		for b.Loop() {
			r, err := s.FindRoute(req.Method, req.URL.EscapedPath())
			if err != nil {
				b.Fatal(err)
			}
			if err := s.ValidateRequest(r, req, body); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// The naive baseline must be the real thing: kin-openapi configured for
// the OpenAPI 3.1 document it is given.
func TestNaiveBaselineSeesOpenAPI31(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("the embedded spec is OpenAPI %s; the benchmark's premise (JSON Schema 2020-12 compiled per check) no longer holds", doc.OpenAPI)
	}
}

// TestDeliberateDifferencesFromKinOpenAPI pins the few places where
// specvalidate is stricter or looser than kin-openapi on purpose, with the
// reason, so that a change on either side is a decision.
func TestDeliberateDifferencesFromKinOpenAPI(t *testing.T) {
	s := mustLoad(t)
	naive := newNaiveValidator(t)
	tests := []struct {
		c         verdictCase
		kin, spec verdict
		why       string
	}{
		{
			verdictCase{name: "repeated singular query parameter", method: "GET", target: "/v1/accounts/acc/secrets?pageSize=1&pageSize=2"},
			verdictValid, verdictInvalid,
			"kin-openapi takes the first value; grpc-gateway refuses a repeated singular field",
		},
		{
			verdictCase{name: "malformed query string", method: "GET", target: "/v1/accounts/acc/secrets?pageSize=1&x=%zz"},
			verdictValid, verdictInvalid,
			"kin-openapi drops the malformed pair (url.URL.Query); a client that sends one has a bug",
		},
		{
			verdictCase{name: "unescaped ':' in the last id", method: "GET", target: "/v1/accounts/acc/secrets/a:b"},
			verdictValid, verdictNotFound,
			"in the last segment an unescaped ':' starts a custom method (there is no ':b'); an id holding ':' is sent as %3A",
		},
		{
			verdictCase{name: "read-only property in a request", method: "POST", target: "/v1/accounts/acc/deployments", body: `{"baseModel":"m","createTime":"2024-01-01T00:00:00Z"}`},
			verdictInvalid, verdictValid,
			"readOnly is an annotation in JSON Schema 2020-12, and AIP-203 servers ignore output-only fields in input, so a client echoing a resource it read is not wrong; kin-openapi refuses it only where it falls back to its OpenAPI 3.0 validator (schemas with $refs)",
		},
	}
	for _, tt := range tests {
		naiveReq, _ := tt.c.request(naiveBaseURL)
		specReq, body := tt.c.request("")
		gotKin, _ := naive.verdict(naiveReq)
		gotSpec, _ := specVerdict(s, specReq, body)
		if gotKin != tt.kin || gotSpec != tt.spec {
			t.Errorf("%s: kin-openapi says %s (want %s), specvalidate %s (want %s); the difference was deliberate: %s",
				tt.c.name, gotKin, tt.kin, gotSpec, tt.spec, tt.why)
		}
	}
}
