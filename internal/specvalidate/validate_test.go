package specvalidate

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/gen"
)

// Fixtures, not real credentials. Tests check that they never reach an
// error, and never print them when they do.
const (
	testToken       = "fw-test-token-0123456789"
	testSecretValue = "sk-contract-test-secret-value-42"
)

// newRequest builds a request with a valid bearer token, and with
// Content-Type application/json when body is not empty.
func newRequest(method, target, body string) *http.Request {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	req.Header.Set("Authorization", "Bearer "+testToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// validate routes and validates req, as the fake Gateway will.
func validate(t *testing.T, s *Spec, req *http.Request, body string) error {
	t.Helper()
	r, err := s.FindRoute(req.Method, req.URL.EscapedPath())
	if err != nil {
		return err
	}
	return s.ValidateRequest(r, req, []byte(body))
}

func TestValidateRequest(t *testing.T) {
	s := mustLoad(t)
	const (
		secret     = "/v1/accounts/acc/secrets/s1"
		secrets    = "/v1/accounts/acc/secrets"
		usage      = "/v1/accounts/acc/billingUsage?startTime=2024-01-01T00:00:00Z&endTime=2024-02-01T00:00:00Z"
		deployment = "/v1/accounts/acc/deployments"
	)
	tests := []struct {
		name       string
		req        *http.Request
		body       string
		wantErr    error // nil: valid
		wantReason string
	}{
		{"update secret", newRequest("PATCH", secret, `{"keyName":"K","value":"v"}`), `{"keyName":"K","value":"v"}`, nil, ""},
		{"charset parameter", func() *http.Request {
			r := newRequest("PATCH", secret, `{"keyName":"K"}`)
			r.Header.Set("Content-Type", "application/json; charset=utf-8")
			return r
		}(), `{"keyName":"K"}`, nil, ""},
		{"wrong type", newRequest("PATCH", secret, `{"keyName":5}`), `{"keyName":5}`, ErrInvalid, "request body at /keyName: got number, want string"},
		{"missing required", newRequest("PATCH", secret, `{"value":"v"}`), `{"value":"v"}`, ErrInvalid, "request body at /keyName: required property is missing"},
		{"two problems", newRequest("POST", secrets, `{"value":1}`), `{"value":1}`, ErrInvalid, "request body at /keyName: required property is missing (and 2 more problems)"},
		{"not an object", newRequest("PATCH", secret, `[]`), `[]`, ErrInvalid, "request body: got array, want object"},
		{"not JSON", newRequest("PATCH", secret, `{"keyName":`), `{"keyName":`, ErrInvalid, "request body: not valid JSON (truncated)"},
		{"trailing data", newRequest("PATCH", secret, `{"keyName":"K"}{}`), `{"keyName":"K"}{}`, ErrInvalid, "request body: not valid JSON: data after the JSON value"},
		{"missing body", newRequest("PATCH", secret, ""), "", ErrInvalid, "request body: required, missing"},
		{"body on a GET", newRequest("GET", secret, `{}`), `{}`, ErrInvalid, "request body: the operation takes no request body"},
		{"wrong content type", func() *http.Request {
			r := newRequest("PATCH", secret, `{"keyName":"K"}`)
			r.Header.Set("Content-Type", "text/plain")
			return r
		}(), `{"keyName":"K"}`, ErrInvalid, "header Content-Type: want application/json"},
		{"no content type", func() *http.Request {
			r := newRequest("PATCH", secret, `{"keyName":"K"}`)
			r.Header.Del("Content-Type")
			return r
		}(), `{"keyName":"K"}`, ErrInvalid, "header Content-Type: want application/json"},
		{"int32 out of range", newRequest("POST", deployment, `{"baseModel":"m","acceleratorCount":3000000000}`), `{"baseModel":"m","acceleratorCount":3000000000}`, ErrInvalid, "request body at /acceleratorCount: out of the int32 range"},
		{"int32 as an exponent, out of range", newRequest("POST", deployment, `{"baseModel":"m","acceleratorCount":3e9}`), `{"baseModel":"m","acceleratorCount":3e9}`, ErrInvalid, "request body at /acceleratorCount: out of the int32 range"},
		{"int32 beyond a double", newRequest("POST", deployment, `{"baseModel":"m","acceleratorCount":1e400}`), `{"baseModel":"m","acceleratorCount":1e400}`, ErrInvalid, "request body at /acceleratorCount: out of the int32 range"},
		{"int32 at its bound", newRequest("POST", deployment, `{"baseModel":"m","acceleratorCount":2147483647}`), `{"baseModel":"m","acceleratorCount":2147483647}`, nil, ""},
		{"float beyond float32", newRequest("PATCH", "/v1/accounts/acc/datasets/d1", `{"averageTurnCount":3.5e38}`), `{"averageTurnCount":3.5e38}`, ErrInvalid, "request body at /averageTurnCount: out of the float range"},
		{"float at float32's bound", newRequest("PATCH", "/v1/accounts/acc/datasets/d1", `{"averageTurnCount":3.4028234e38}`), `{"averageTurnCount":3.4028234e38}`, nil, ""},
		{"double overflow", newRequest("PATCH", "/v1/accounts/acc/quotas/q1", `{"usage":1e400}`), `{"usage":1e400}`, ErrInvalid, "request body at /usage: out of the double range"},
		{"double negative overflow", newRequest("PATCH", "/v1/accounts/acc/quotas/q1", `{"usage":-1e400}`), `{"usage":-1e400}`, ErrInvalid, "request body at /usage: out of the double range"},
		{"double underflow is zero", newRequest("PATCH", "/v1/accounts/acc/quotas/q1", `{"usage":1e-400}`), `{"usage":1e-400}`, nil, ""},
		{"int64 string", newRequest("POST", "/v1/accounts/acc/datasets/d1:getUploadEndpoint", `{"filenameToSize":{"a.jsonl":"9223372036854775807"}}`), `{"filenameToSize":{"a.jsonl":"9223372036854775807"}}`, nil, ""},
		{"int64 string out of range", newRequest("POST", "/v1/accounts/acc/datasets/d1:getUploadEndpoint", `{"filenameToSize":{"a.jsonl":"9223372036854775808"}}`), `{"filenameToSize":{"a.jsonl":"9223372036854775808"}}`, ErrInvalid, "request body at /filenameToSize/a.jsonl: out of the int64 range"},
		{"int64 string not a number", newRequest("POST", "/v1/accounts/acc/datasets/d1:getUploadEndpoint", `{"filenameToSize":{"a.jsonl":"12 bytes"}}`), `{"filenameToSize":{"a.jsonl":"12 bytes"}}`, ErrInvalid, "request body at /filenameToSize/a.jsonl: not a decimal integer (format int64)"},
		{"dot-dot path parameter", newRequest("DELETE", "/v1/accounts/acc/deployments/..", ""), "", ErrInvalid, "path parameter deployment_id: a dot segment (. or ..), which a server or proxy resolves to another resource"},
		{"dot path parameter", newRequest("GET", "/v1/accounts/./secrets/s1", ""), "", ErrInvalid, "path parameter account_id: a dot segment (. or ..), which a server or proxy resolves to another resource"},
		{"percent-encoded dot-dot", newRequest("DELETE", "/v1/accounts/acc/deployments/%2e%2E", ""), "", ErrInvalid, "path parameter deployment_id: a dot segment (. or ..), which a server or proxy resolves to another resource"},
		{"percent-encoded dot before a verb", newRequest("POST", "/v1/accounts/acc/deployments/%2E:undelete", "{}"), "{}", ErrInvalid, "path parameter deployment_id: a dot segment (. or ..), which a server or proxy resolves to another resource"},
		{"dots inside an id", newRequest("GET", "/v1/accounts/acc/secrets/a..b", ""), "", nil, ""},
		{"bad date-time", newRequest("POST", deployment, `{"baseModel":"m","expireTime":"tomorrow"}`), `{"baseModel":"m","expireTime":"tomorrow"}`, ErrInvalid, "request body at /expireTime: not a valid date-time"},
		{"bad enum", newRequest("POST", deployment, `{"baseModel":"m","precision":"FP3"}`), `{"baseModel":"m","precision":"FP3"}`, ErrInvalid, "request body at /precision: not one of the allowed values: PRECISION_UNSPECIFIED, FP16, FP8, FP8_MM, FP8_AR, FP8_MM_KV_ATTN, FP8_KV, FP8_MM_V2, and 7 more"},
		{"list", newRequest("GET", secrets+"?pageSize=10&pageToken=t&unknown=1", ""), "", nil, ""},
		{"bad int32 query", newRequest("GET", secrets+"?pageSize=abc", ""), "", ErrInvalid, "query parameter pageSize: not an integer"},
		{"int32 query out of range", newRequest("GET", secrets+"?pageSize=2147483648", ""), "", ErrInvalid, "query parameter pageSize: out of the int32 range"},
		{"empty int32 query", newRequest("GET", secrets+"?pageSize=", ""), "", ErrInvalid, "query parameter pageSize: empty value"},
		{"repeated query", newRequest("GET", secrets+"?pageSize=1&pageSize=2", ""), "", ErrInvalid, "query parameter pageSize: repeated, but it takes one value"},
		{"malformed query", newRequest("GET", secrets+"?pageSize=%zz", ""), "", ErrInvalid, "query parameter: malformed query string"},
		{"required date-time queries", newRequest("GET", usage, ""), "", nil, ""},
		{"missing required query", newRequest("GET", "/v1/accounts/acc/billingUsage?startTime=2024-01-01T00:00:00Z", ""), "", ErrInvalid, "query parameter endTime: required, missing"},
		{"bad date-time query", newRequest("GET", "/v1/accounts/acc/billingUsage?startTime=2024-02-30T00:00:00Z&endTime=2024-02-01T00:00:00Z", ""), "", ErrInvalid, "query parameter startTime: not a valid date-time"},
		{"enum query", newRequest("GET", usage+"&usageType=SERVERLESS", ""), "", nil, ""},
		{"bad enum query", newRequest("GET", usage+"&usageType=serverless", ""), "", ErrInvalid, "query parameter usageType: not one of the allowed values: USAGE_TYPE_UNSPECIFIED, SERVERLESS, DEDICATED_DEPLOYMENT"},
		{"array query", newRequest("GET", usage+"&groupBy=a&groupBy=b", ""), "", nil, ""},
		{"bad boolean query", newRequest("GET", "/v1/accounts/acc/deployments?showDeleted=maybe", ""), "", ErrInvalid, "query parameter showDeleted: not a boolean"},
		{"no credentials", func() *http.Request {
			r := newRequest("GET", secrets, "")
			r.Header.Del("Authorization")
			return r
		}(), "", ErrUnauthenticated, "header Authorization: missing"},
		{"basic credentials", func() *http.Request {
			r := newRequest("GET", secrets, "")
			r.Header.Set("Authorization", "Basic "+testToken)
			return r
		}(), "", ErrUnauthenticated, "header Authorization: not a Bearer credential"},
		{"lower-case scheme", func() *http.Request {
			r := newRequest("GET", secrets, "")
			r.Header.Set("Authorization", "bearer "+testToken)
			return r
		}(), "", nil, ""},
		{"empty token", func() *http.Request {
			r := newRequest("GET", secrets, "")
			r.Header.Set("Authorization", "Bearer ")
			return r
		}(), "", ErrUnauthenticated, "header Authorization: empty bearer token"},
		{"token with a space", func() *http.Request {
			r := newRequest("GET", secrets, "")
			r.Header.Set("Authorization", "Bearer "+testToken+" x")
			return r
		}(), "", ErrUnauthenticated, "header Authorization: the bearer token holds characters that a token cannot (RFC 6750, section 2.1)"},
		{"two credentials", func() *http.Request {
			r := newRequest("GET", secrets, "")
			r.Header.Add("Authorization", "Bearer other")
			return r
		}(), "", ErrUnauthenticated, "header Authorization: sent more than once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validate(t, s, tt.req, tt.body)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got %v, want an error that is %v", err, tt.wantErr)
			}
			// The two kinds never overlap, whichever was wanted.
			other := ErrUnauthenticated
			if tt.wantErr == ErrUnauthenticated {
				other = ErrInvalid
			}
			if errors.Is(err, other) {
				t.Errorf("%v is also %v", err, other)
			}
			if err.Error() != tt.wantReason {
				t.Errorf("got  %q\nwant %q", err.Error(), tt.wantReason)
			}
		})
	}
}

func TestSkipAuth(t *testing.T) {
	s := mustLoad(t)
	r, err := s.FindRoute("GET", "/v1/accounts/acc/secrets")
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/v1/accounts/acc/secrets", nil)
	if err := s.ValidateRequestWith(r, req, nil, RequestOptions{SkipAuth: true}); err != nil {
		t.Errorf("with SkipAuth: %v", err)
	}
	if err := s.ValidateRequest(r, req, nil); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("without SkipAuth: got %v, want ErrUnauthenticated", err)
	}
}

// TestRejectUnknownProperties: with the option, a body property that the
// schema does not declare is refused where the schema is closed (an id
// sent in the body where the spec has a query parameter, a typo in a
// nested object), and still taken by maps and free-form objects; without
// it, OpenAPI's default, it is taken.
func TestRejectUnknownProperties(t *testing.T) {
	s := mustLoad(t)
	const deployments = "/v1/accounts/acc/deployments"
	tests := []struct {
		name, method, target, body string
		want                       string // "": valid in strict mode
	}{
		{"declared properties", "POST", deployments, `{"baseModel":"m","displayName":"d"}`, ""},
		{"id in the body instead of the query", "POST", deployments, `{"baseModel":"m","deploymentId":"d1"}`, "request body at /deploymentId: property not declared by the schema (a proto-JSON server drops it silently)"},
		{"typo in a nested object", "POST", deployments, `{"baseModel":"m","autoscalingPolicy":{"scaleUpWindw":"1s"}}`, "request body at /autoscalingPolicy/scaleUpWindw: property not declared by the schema (a proto-JSON server drops it silently)"},
		{"any key of a map", "POST", deployments, `{"baseModel":"m","annotations":{"team":"ml","any-key":"v"}}`, ""},
		{"the first unknown, by key", "POST", deployments, `{"zz":1,"baseModel":"m","aa":2}`, "request body at /aa: property not declared by the schema (a proto-JSON server drops it silently)"},
		{"wrapping body", "POST", "/v1/accounts/acc/datasets", `{"dataset":{"displayName":"d","datasetID":"x"},"datasetId":"d1"}`, "request body at /dataset/datasetID: property not declared by the schema (a proto-JSON server drops it silently)"},
		{"map of sizes", "POST", "/v1/accounts/acc/datasets/d1:getUploadEndpoint", `{"filenameToSize":{"a.jsonl":"12","b.jsonl":"3"}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest(tt.method, tt.target, tt.body)
			r, err := s.FindRoute(req.Method, req.URL.EscapedPath())
			if err != nil {
				t.Fatal(err)
			}
			if err := s.ValidateRequest(r, req, []byte(tt.body)); err != nil {
				t.Fatalf("without the option: %v, want no error", err)
			}
			err = s.ValidateRequestWith(r, req, []byte(tt.body), RequestOptions{RejectUnknownProperties: true})
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("strict: %v, want no error", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want || !errors.Is(err, ErrInvalid)):
				t.Errorf("strict: got %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestRouteBuiltByHand(t *testing.T) {
	s := mustLoad(t)
	found, err := s.FindRoute("PATCH", "/v1/accounts/acc/secrets/s1")
	if err != nil {
		t.Fatal(err)
	}
	byHand := &Route{Operation: found.Operation, PathParams: found.PathParams}
	req := newRequest("PATCH", "/v1/accounts/acc/secrets/s1", `{"keyName":5}`)
	if err := s.ValidateRequest(byHand, req, []byte(`{"keyName":5}`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("got %v, want ErrInvalid", err)
	}
	byHand.Operation.ID = "NoSuchOperation"
	if err := s.ValidateRequest(byHand, req, nil); err == nil {
		t.Error("an unknown operation validated")
	}
	if err := s.ValidateResponse(nil, 200, nil, nil); err == nil {
		t.Error("a nil route validated")
	}
}

func TestValidateResponse(t *testing.T) {
	s := mustLoad(t)
	getSecret, err := s.FindRoute("GET", "/v1/accounts/acc/secrets/s1")
	if err != nil {
		t.Fatal(err)
	}
	deleteSecret, err := s.FindRoute("DELETE", "/v1/accounts/acc/secrets/s1")
	if err != nil {
		t.Fatal(err)
	}
	listSecrets, err := s.FindRoute("GET", "/v1/accounts/acc/secrets")
	if err != nil {
		t.Fatal(err)
	}
	getDataset, err := s.FindRoute("GET", "/v1/accounts/acc/datasets/d1")
	if err != nil {
		t.Fatal(err)
	}
	updateSecret, err := s.FindRoute("PATCH", "/v1/accounts/acc/secrets/s1")
	if err != nil {
		t.Fatal(err)
	}
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name       string
		route      *Route
		status     int
		header     http.Header
		body       string
		wantReason string // "": valid
	}{
		{"secret", getSecret, 200, jsonHeader, `{"name":"accounts/acc/secrets/s1","keyName":"K"}`, ""},
		{"deleted", deleteSecret, 200, jsonHeader, `{}`, ""},
		{"list", listSecrets, 200, jsonHeader, `{"secrets":[{"name":"n","keyName":"K"}],"nextPageToken":"","totalSize":1}`, ""},
		{"list item without name", listSecrets, 200, jsonHeader, `{"secrets":[{"name":"n","keyName":"K"},{"keyName":"K"}]}`, "response body at /secrets/1/name: required property is missing"},
		{"totalSize not an integer", listSecrets, 200, jsonHeader, `{"secrets":[],"totalSize":1.5}`, "response body at /totalSize: got number, want integer"},
		{"secret without name", getSecret, 200, jsonHeader, `{"keyName":"K"}`, "response body at /name: required property is missing"},
		// The default response (the overlay's) is the Gateway's error body,
		// for error statuses only: a success status the operation does not
		// name is undeclared, although OpenAPI's default would cover it.
		{"undeclared status", getSecret, 201, jsonHeader, `{"name":"n","keyName":"K"}`, "response status: 201 is not declared by the operation (declared: 200, default (for 4XX and 5XX))"},
		{"undeclared no content", deleteSecret, 204, http.Header{}, ``, "response status: 204 is not declared by the operation (declared: 200, default (for 4XX and 5XX))"},
		{"redirect", getSecret, 302, http.Header{}, ``, "response status: 302 is not declared by the operation (declared: 200, default (for 4XX and 5XX))"},
		// Error answers are the Gateway's google.rpc.Status.
		{"error answer", getSecret, 404, jsonHeader, `{"code":5,"message":"not found","details":[]}`, ""},
		{"error answer with details", getSecret, 400, jsonHeader, `{"code":3,"message":"m","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest"}]}`, ""},
		{"server error answer", deleteSecret, 503, jsonHeader, `{"code":14,"message":"unavailable"}`, ""},
		{"error answer with a code name", getSecret, 404, jsonHeader, `{"code":"NOT_FOUND","message":"not found"}`, "response body at /code: got string, want integer"},
		{"error answer with a code beyond int32", getSecret, 404, jsonHeader, `{"code":4294967301}`, "response body at /code: out of the int32 range"},
		{"error answer with a numeric message", getSecret, 500, jsonHeader, `{"code":13,"message":13}`, "response body at /message: got number, want string"},
		{"error answer with details not a list", getSecret, 400, jsonHeader, `{"code":3,"details":{"a":1}}`, "response body at /details: got object, want array"},
		{"error answer not JSON", getSecret, 502, http.Header{"Content-Type": {"text/html"}}, `<html>`, "header Content-Type: want application/json"},
		// A writeOnly property (the Secret's INPUT_ONLY value, which the
		// overlay marks writeOnly) is never in a response.
		{"secret value returned", getSecret, 200, jsonHeader, `{"name":"n","keyName":"K","value":"sk-returned"}`, "response body at /value: writeOnly property: the spec says it is never returned"},
		{"secret value returned escaped", getSecret, 200, jsonHeader, `{"name":"n","keyName":"K","val\u0075e":"sk-returned"}`, "response body at /value: writeOnly property: the spec says it is never returned"},
		// Go's decoder takes "Value" for the value field: as good as returned.
		{"secret value returned in another case", getSecret, 200, jsonHeader, `{"name":"n","keyName":"K","VALUE":"sk-returned"}`, "response body at /VALUE: writeOnly property: the spec says it is never returned"},
		{"secret value returned empty", getSecret, 200, jsonHeader, `{"name":"n","keyName":"K","value":""}`, "response body at /value: writeOnly property: the spec says it is never returned"},
		{"secret values listed", listSecrets, 200, jsonHeader, `{"secrets":[{"name":"n","keyName":"K"},{"name":"m","keyName":"K","value":"a"},{"name":"o","keyName":"K","value":"b"}]}`, "response body at /secrets/1/value: writeOnly property: the spec says it is never returned (and 1 more problem)"},
		{"secret value returned by update", updateSecret, 200, jsonHeader, `{"name":"n","keyName":"K","value":"sk-returned"}`, "response body at /value: writeOnly property: the spec says it is never returned"},
		{"no content type", getSecret, 200, http.Header{}, `{"name":"n","keyName":"K"}`, "header Content-Type: want application/json"},
		{"empty body", getSecret, 200, jsonHeader, ``, "response body: empty, want a JSON value"},
		{"not JSON", getSecret, 200, jsonHeader, `<html>`, "response body: not valid JSON (syntax error at byte 1)"},
		{"float beyond float32", getDataset, 200, jsonHeader, `{"averageTurnCount":3.5e38}`, "response body at /averageTurnCount: out of the float range"},
		{"int32 beyond a double", listSecrets, 200, jsonHeader, `{"secrets":[],"totalSize":1e400}`, "response body at /totalSize: out of the int32 range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.ValidateResponse(tt.route, tt.status, tt.header, []byte(tt.body))
			if tt.wantReason == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want an error that is ErrInvalid", err)
			}
			if err.Error() != tt.wantReason {
				t.Errorf("got  %q\nwant %q", err.Error(), tt.wantReason)
			}
		})
	}
}

// TestErrorsNeverQuoteValues sends the secret value where each check
// fails, and the API key in malformed credentials: neither may reach the
// error text.
func TestErrorsNeverQuoteValues(t *testing.T) {
	s := mustLoad(t)
	withAuth := func(value string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("Authorization", value) }
	}
	tests := []struct {
		name, method, target, body string
		edit                       func(*http.Request)
	}{
		{"secret of the wrong type", "PATCH", "/v1/accounts/acc/secrets/s1", `{"keyName":["` + testSecretValue + `"],"value":"` + testSecretValue + `"}`, nil},
		{"secret missing its key name", "POST", "/v1/accounts/acc/secrets", `{"value":"` + testSecretValue + `"}`, nil},
		{"secret as a date-time", "POST", "/v1/accounts/acc/deployments", `{"baseModel":"m","expireTime":"` + testSecretValue + `"}`, nil},
		{"secret as an enum", "POST", "/v1/accounts/acc/deployments", `{"baseModel":"m","precision":"` + testSecretValue + `"}`, nil},
		{"secret as a property name", "POST", "/v1/accounts/acc/deployments", `{"baseModel":"m","precision":{"` + testSecretValue + `":1}}`, nil},
		{"secret in broken JSON", "PATCH", "/v1/accounts/acc/secrets/s1", `{"keyName":"K","value":"` + testSecretValue + `"`, nil},
		{"secret after the JSON", "PATCH", "/v1/accounts/acc/secrets/s1", `{"keyName":"K"}` + testSecretValue, nil},
		{"secret as a JSON syntax error", "PATCH", "/v1/accounts/acc/secrets/s1", `{"keyName":` + testSecretValue + `}`, nil},
		{"secret as an int32 query", "GET", "/v1/accounts/acc/secrets?pageSize=" + testSecretValue, "", nil},
		{"secret as an enum query", "GET", "/v1/accounts/acc/billingUsage?startTime=2024-01-01T00:00:00Z&endTime=2024-01-01T00:00:00Z&usageType=" + testSecretValue, "", nil},
		{"secret as a date-time query", "GET", "/v1/accounts/acc/billingUsage?endTime=2024-01-01T00:00:00Z&startTime=" + testSecretValue, "", nil},
		{"secret as the content type", "PATCH", "/v1/accounts/acc/secrets/s1", `{"keyName":"K"}`, func(r *http.Request) { r.Header.Set("Content-Type", testSecretValue) }},
		{"key with a space", "GET", "/v1/accounts/acc/secrets", "", withAuth("Bearer " + testToken + " " + testSecretValue)},
		{"key without a scheme", "GET", "/v1/accounts/acc/secrets", "", withAuth(testSecretValue)},
		{"key with another scheme", "GET", "/v1/accounts/acc/secrets", "", withAuth(testSecretValue + " " + testToken)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest(tt.method, tt.target, tt.body)
			if tt.edit != nil {
				tt.edit(req)
			}
			err := validate(t, s, req, tt.body)
			if err == nil {
				t.Fatal("the request validated; the test needs one that fails")
			}
			if msg := err.Error(); strings.Contains(msg, testSecretValue) || strings.Contains(msg, testToken) {
				t.Error("the secret value or the API key leaked into the error text")
			}
		})
	}

	getSecret, err := s.FindRoute("GET", "/v1/accounts/acc/secrets/s1")
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{
		`{"name":"n","keyName":5,"value":"` + testSecretValue + `"}`,
		`{"name":["` + testSecretValue + `"],"keyName":"K"}`,
		`{"keyName":"` + testSecretValue + `"`,
	} {
		err := s.ValidateResponse(getSecret, 200, http.Header{"Content-Type": {"application/json"}}, []byte(body))
		if err == nil {
			t.Error("a response validated; the test needs one that fails")
		} else if strings.Contains(err.Error(), testSecretValue) {
			t.Error("the secret value leaked into a response error")
		}
	}
}

// TestTheRefreshCallNeedsNoToken: the overlay empties the security of
// RefreshSessionToken (its body's refresh token is its credential), and
// the route says so; every other operation asks for the Bearer token, and
// a request without one is refused.
func TestTheRefreshCallNeedsNoToken(t *testing.T) {
	s := mustLoad(t)
	refresh, err := s.FindRoute("POST", "/v1/auth/refresh")
	if err != nil || refresh.RequiresToken() {
		t.Fatalf("refresh: %v, requires a token: %v", err, err == nil && refresh.RequiresToken())
	}
	req := httptest.NewRequest("POST", "/v1/auth/refresh", strings.NewReader(`{"refreshToken":"r"}`))
	req.Header.Set("Content-Type", "application/json")
	if err := s.ValidateRequest(refresh, req, []byte(`{"refreshToken":"r"}`)); err != nil {
		t.Errorf("a refresh without Authorization: %v", err)
	}
	get, err := s.FindRoute("GET", "/v1/accounts/a/secrets/s")
	if err != nil || !get.RequiresToken() {
		t.Fatalf("GetSecret: %v, requires no token", err)
	}
	if err := s.ValidateRequest(get, httptest.NewRequest("GET", "/v1/accounts/a/secrets/s", nil), nil); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("GetSecret without Authorization: %v, want ErrUnauthenticated", err)
	}
	for _, op := range gen.Operations {
		if op.ID != string(gen.OpRefreshSessionToken) && !s.byID[op.ID].requireToken {
			t.Errorf("%s needs no token", op.ID)
		}
	}
}
