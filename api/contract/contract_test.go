package contract_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/contract"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// Fixtures of the contract tests, not real credentials.
const (
	contractAPIKey = "fw-contract-test-key-0123456789"
	contractSecret = "sk-contract-mode-secret-value-7"
)

// contractServer answers every request with the status and body set for
// its method and path ("GET /v1/..."), 404 otherwise, and records what it
// received.
type contractServer struct {
	mu      sync.Mutex
	answers map[string]contractAnswer
	bodies  []string // request bodies, in order
}

type contractAnswer struct {
	status      int
	body        string
	contentType string // "": application/json
}

func (s *contractServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.bodies = append(s.bodies, string(body))
	a, ok := s.answers[r.Method+" "+r.URL.Path]
	s.mu.Unlock()
	if !ok {
		a = contractAnswer{status: http.StatusNotFound, body: `{"code":5,"message":"not found"}`}
	}
	if a.contentType == "" {
		a.contentType = "application/json"
	}
	w.Header().Set("Content-Type", a.contentType)
	if a.status != 0 {
		w.WriteHeader(a.status)
	}
	_, _ = io.WriteString(w, a.body)
}

func (s *contractServer) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

// newContractClient starts a contractServer and returns a client in
// contract mode that calls it at pathPrefix.
func newContractClient(t *testing.T, pathPrefix string, answers map[string]contractAnswer, opts ...api.ClientOption) (*api.Client, *contractServer) {
	t.Helper()
	fake := &contractServer{answers: answers}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	opts = append([]api.ClientOption{
		api.WithAPIKey(contractAPIKey),
		api.WithBaseURL(srv.URL + pathPrefix),
		api.WithHTTPClient(srv.Client()),
		api.WithAccount("acc"),
		contract.WithValidation(),
	}, opts...)
	c, err := api.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, fake
}

// wantContractError checks that err is a *ContractError with these fields,
// whose text names the problem (wantProblem) and holds neither the secret
// value nor the API key.
func wantContractError(t *testing.T, err error, operation, method, path, direction, wantProblem string) {
	t.Helper()
	var ce *api.ContractError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v (%T), want a *api.ContractError", err, err)
	}
	if ce.Operation != operation || ce.Method != method || ce.Path != path || ce.Direction != direction {
		t.Errorf("got operation %q, %s %s, direction %q; want %q, %s %s, %q",
			ce.Operation, ce.Method, ce.Path, ce.Direction, operation, method, path, direction)
	}
	if ce.Err == nil || !strings.Contains(err.Error(), wantProblem) {
		t.Errorf("the error %q does not name the problem %q", err, wantProblem)
	}
	if msg := err.Error(); strings.Contains(msg, contractSecret) || strings.Contains(msg, contractAPIKey) {
		t.Error("the secret value or the API key leaked into the ContractError")
	}
}

func TestContractValidCallsPass(t *testing.T) {
	const secret = "/v1/accounts/acc/secrets/s1"
	c, fake := newContractClient(t, "", map[string]contractAnswer{
		"GET " + secret:                 {body: `{"name":"accounts/acc/secrets/s1","keyName":"K"}`},
		"PATCH " + secret:               {body: `{"name":"accounts/acc/secrets/s1","keyName":"K2"}`},
		"DELETE " + secret:              {body: `{}`},
		"GET /v1/accounts/acc/secrets":  {body: `{"secrets":[{"name":"accounts/acc/secrets/s1","keyName":"K"}],"totalSize":1}`},
		"POST /v1/accounts/acc/secrets": {body: `{"name":"accounts/acc/secrets/s2","keyName":"K"}`},
	})
	ctx := context.Background()
	value := contractSecret

	got, err := c.Secrets.Get(ctx, "s1", nil)
	if err != nil {
		t.Fatal(err)
	}
	// The response body was read for validation; it must still decode.
	if got.Name != "accounts/acc/secrets/s1" {
		t.Errorf("GetSecret decoded %+v", got)
	}
	updated, err := c.Secrets.Update(ctx, "s1", gen.UpdateSecretBody{KeyName: "K2", Value: &value})
	if err != nil {
		t.Fatal(err)
	}
	if updated.KeyName != "K2" {
		t.Errorf("UpdateSecret decoded %+v", updated)
	}
	created, err := c.Secrets.Create(ctx, gen.Secret{Name: "s2", KeyName: "K", Value: &value})
	if err != nil {
		t.Fatal(err)
	}
	if created.Name != "accounts/acc/secrets/s2" {
		t.Errorf("CreateSecret decoded %+v", created)
	}
	pageSize := int32(10)
	list, err := c.Secrets.List(ctx, &gen.ListSecretsParams{PageSize: &pageSize})
	if err != nil {
		t.Fatal(err)
	}
	if list.Secrets == nil || len(*list.Secrets) != 1 {
		t.Errorf("ListSecrets decoded %+v", list)
	}
	if err := c.Secrets.Delete(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	// The request body, read for validation, still reached the server.
	if bodies := fake.received(); len(bodies) != 5 || !strings.Contains(bodies[1], `"keyName":"K2"`) {
		t.Errorf("the server received %d requests; the update's body was not sent whole", len(bodies))
	}
}

func TestContractResponseViolation(t *testing.T) {
	const secret = "/v1/accounts/acc/secrets/s1"
	c, _ := newContractClient(t, "", map[string]contractAnswer{
		"GET " + secret:                    {body: `{"keyName":"K"}`}, // a Secret without its required name
		"DELETE " + secret:                 {status: http.StatusNoContent},
		"GET /v1/accounts/acc/secrets":     {body: `{"secrets":[{"name":"n","keyName":"K"}],"totalSize":"1"}`},
		"PATCH " + secret:                  {body: `{"name":["` + contractSecret + `"],"keyName":"K","value":"` + contractSecret + `"}`},
		"GET /v1/accounts/acc/datasets/d1": {body: `{"name":"accounts/acc/datasets/d1","averageTurnCount":3.5e38}`},
	})
	ctx := context.Background()

	// A float beyond float32 fails here, as a ContractError, rather than in
	// the decoder of whoever reads it.
	_, err := c.Datasets.Get(ctx, "d1", nil)
	wantContractError(t, err, "GetDataset", "GET", "/v1/accounts/acc/datasets/d1", api.ContractResponse, "response body at /averageTurnCount: out of the float range")

	resp, err := c.Secrets.Get(ctx, "s1", nil)
	if resp != nil {
		t.Error("a response that breaks the spec was returned")
	}
	wantContractError(t, err, "GetSecret", "GET", secret, api.ContractResponse, "response body at /name: required property is missing")

	_, err = c.Secrets.List(ctx, nil)
	wantContractError(t, err, "ListSecrets", "GET", "/v1/accounts/acc/secrets", api.ContractResponse, "response body at /totalSize: got string, want integer")

	err = c.Secrets.Delete(ctx, "s1")
	wantContractError(t, err, "DeleteSecret", "DELETE", secret, api.ContractResponse, "response status: 204 is not declared")

	// A response that echoes the secret value, in a field of the wrong type.
	value := contractSecret
	_, err = c.Secrets.Update(ctx, "s1", gen.UpdateSecretBody{KeyName: "K", Value: &value})
	wantContractError(t, err, "UpdateSecret", "PATCH", secret, api.ContractResponse, "response body at /name: got array, want string")
}

func TestContractRequestViolationIsNotSent(t *testing.T) {
	const secret = "/v1/accounts/acc/secrets/s1"
	c, fake := newContractClient(t, "", map[string]contractAnswer{
		"PATCH " + secret:              {body: `{"name":"accounts/acc/secrets/s1","keyName":"K"}`},
		"GET /v1/accounts/acc/secrets": {body: `{}`},
	})
	ctx := context.Background()

	// The *WithBody variants send whatever they are given.
	_, err := c.Raw().UpdateSecretWithBodyWithResponse(ctx, "acc", "s1", "application/json",
		strings.NewReader(`{"keyName":5,"value":"`+contractSecret+`"}`))
	wantContractError(t, err, "UpdateSecret", "PATCH", secret, api.ContractRequest, "request body at /keyName: got number, want string")

	_, err = c.Raw().UpdateSecretWithBodyWithResponse(ctx, "acc", "s1", "application/json",
		strings.NewReader(`{"value":"`+contractSecret+`"}`))
	wantContractError(t, err, "UpdateSecret", "PATCH", secret, api.ContractRequest, "request body at /keyName: required property is missing")

	_, err = c.Raw().UpdateSecretWithBodyWithResponse(ctx, "acc", "s1", "text/plain", strings.NewReader(`{"keyName":"K"}`))
	wantContractError(t, err, "UpdateSecret", "PATCH", secret, api.ContractRequest, "header Content-Type: want application/json")

	// A body that cannot be rewound (no GetBody) is checked too.
	_, err = c.Raw().UpdateSecretWithBodyWithResponse(ctx, "acc", "s1", "application/json",
		io.MultiReader(strings.NewReader(`{"keyName":`), strings.NewReader(`true}`)))
	wantContractError(t, err, "UpdateSecret", "PATCH", secret, api.ContractRequest, "request body at /keyName: got boolean, want string")

	// Request editors can break a request the typed method built well.
	badPageSize := func(_ context.Context, req *http.Request) error {
		req.URL.RawQuery = "pageSize=" + contractSecret
		return nil
	}
	_, err = c.Raw().ListSecretsWithResponse(ctx, "acc", nil, badPageSize)
	wantContractError(t, err, "ListSecrets", "GET", "/v1/accounts/acc/secrets", api.ContractRequest, "query parameter pageSize: not an integer")

	offTheSpec := func(_ context.Context, req *http.Request) error {
		req.URL.Path += "/s1/extra"
		return nil
	}
	_, err = c.Raw().ListSecretsWithResponse(ctx, "acc", nil, offTheSpec)
	wantContractError(t, err, "", "GET", "/v1/accounts/acc/secrets/s1/extra", api.ContractRequest, "no operation matches the path")

	// A dot segment that a proxy would resolve to another resource.
	dotDot := func(_ context.Context, req *http.Request) error {
		req.URL.Path = "/v1/accounts/acc/secrets/.."
		req.URL.RawPath = "/v1/accounts/acc/secrets/%2e%2E"
		return nil
	}
	_, err = c.Raw().UpdateSecretWithResponse(ctx, "acc", "s1", gen.UpdateSecretBody{KeyName: "K"}, dotDot)
	wantContractError(t, err, "UpdateSecret", "PATCH", "/v1/accounts/acc/secrets/..", api.ContractRequest, "path parameter secret_id: a dot segment")

	if got := fake.received(); len(got) != 0 {
		t.Errorf("%d requests that break the spec were sent", len(got))
	}
}

// TestContractChecksErrorAnswers: an error answer of the Gateway (JSON) is
// held to the spec's default response, google.rpc.Status: one that passes
// comes back as the *api.Error it is, with its sentinel; one of another
// shape (a code name for a number, a body that is not JSON) is a
// ContractError. An answer that is not JSON (a proxy's page) is no answer
// of the Gateway's, and comes back as *api.Error, unchecked.
func TestContractChecksErrorAnswers(t *testing.T) {
	const secrets = "/v1/accounts/acc/secrets/"
	c, _ := newContractClient(t, "", map[string]contractAnswer{
		"GET " + secrets + "code-name": {status: http.StatusNotFound, body: `{"code":"NOT_FOUND","message":"no secret ` + contractSecret + `"}`},
		"GET " + secrets + "not-json":  {status: http.StatusForbidden, body: `not even JSON ` + contractSecret},
		"GET " + secrets + "details":   {status: http.StatusBadRequest, body: `{"code":3,"message":"bad","details":"` + contractSecret + `"}`},
		"GET " + secrets + "status":    {status: http.StatusConflict, body: `{"code":6,"message":"exists","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"R"}]}`},
		"GET " + secrets + "proxy":     {status: http.StatusBadGateway, body: `<html>` + contractSecret + `</html>`, contentType: "text/html"},
		"GET " + secrets + "empty":     {status: http.StatusServiceUnavailable, contentType: "text/plain"},
		"GET " + secrets + "problem":   {status: http.StatusTooManyRequests, body: `{"type":"about:blank","status":"429"}`, contentType: "application/problem+json"},
		"GET " + secrets + "charset":   {status: http.StatusNotFound, body: `{"code":"5"}`, contentType: "application/json; charset=utf-8"},
	}, api.WithMaxRetries(0))
	ctx := context.Background()

	_, err := c.Secrets.Get(ctx, "code-name", nil)
	wantContractError(t, err, "GetSecret", "GET", secrets+"code-name", api.ContractResponse, "response body at /code: got string, want integer")
	_, err = c.Secrets.Get(ctx, "not-json", nil)
	wantContractError(t, err, "GetSecret", "GET", secrets+"not-json", api.ContractResponse, "response body: not valid JSON")
	_, err = c.Secrets.Get(ctx, "details", nil)
	wantContractError(t, err, "GetSecret", "GET", secrets+"details", api.ContractResponse, "response body at /details: got string, want array")
	_, err = c.Secrets.Get(ctx, "charset", nil)
	wantContractError(t, err, "GetSecret", "GET", secrets+"charset", api.ContractResponse, "response body at /code: got string, want integer")

	for _, tc := range []struct {
		id     string
		status int
		is     error
	}{
		{"missing", http.StatusNotFound, api.ErrNotFound}, // the server's default answer: a google.rpc.Status
		{"status", http.StatusConflict, api.ErrAlreadyExists},
		{"proxy", http.StatusBadGateway, nil},
		{"empty", http.StatusServiceUnavailable, api.ErrUnavailable},
		{"problem", http.StatusTooManyRequests, api.ErrRateLimited},
	} {
		_, err := c.Secrets.Get(ctx, tc.id, nil)
		var apiErr *api.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status {
			t.Errorf("GetSecret %s: got %v, want the server's %d as an *api.Error", tc.id, err, tc.status)
			continue
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("GetSecret %s: %v is not %v", tc.id, err, tc.is)
		}
	}
}

// A retried call sends the same body again: validation reads the body
// through GetBody and leaves the request's own body to the retry loop.
func TestContractKeepsRetriesWorking(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		first := len(bodies) == 1
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if first {
			w.Header().Set("Retry-After-Ms", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, `{"name":"accounts/acc/secrets/s1","keyName":"K"}`)
	}))
	defer srv.Close()
	c, err := api.New(api.WithAPIKey(contractAPIKey), api.WithBaseURL(srv.URL), api.WithHTTPClient(srv.Client()),
		api.WithAccount("acc"), contract.WithValidation(), api.WithRetryNonIdempotent())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Secrets.Update(context.Background(), "s1", gen.UpdateSecretBody{KeyName: "K"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 2 || bodies[0] != bodies[1] || bodies[0] == "" {
		t.Errorf("the server received %q; want the same body twice", bodies)
	}
}

func TestContractWithBaseURLPath(t *testing.T) {
	c, _ := newContractClient(t, "/gateway", map[string]contractAnswer{
		"GET /gateway/v1/accounts/acc/secrets/s1": {body: `{"keyName":"K"}`},
	})
	_, err := c.Secrets.Get(context.Background(), "s1", nil)
	wantContractError(t, err, "GetSecret", "GET", "/gateway/v1/accounts/acc/secrets/s1", api.ContractResponse, "response body at /name: required property is missing")
}

// Check calls against the spec in tests: a server that drifted from it is
// caught at the call, with the operation and the JSON pointer of the
// problem.
func ExampleWithValidation() {
	// A server that forgets the Secret's required name.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"keyName":"WOLFRAM_ALPHA_API_KEY"}`)
	}))
	defer srv.Close()

	client, err := api.New(
		api.WithAPIKey("fw-example-key"),
		api.WithBaseURL(srv.URL),
		api.WithHTTPClient(srv.Client()),
		api.WithAccount("my-account"),
		contract.WithValidation(),
	)
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Secrets.Get(context.Background(), "wolfram", nil)
	var ce *api.ContractError
	if errors.As(err, &ce) {
		fmt.Println(ce.Operation, ce.Direction)
		fmt.Println(err)
	}
	// Output:
	// GetSecret response
	// GET /v1/accounts/my-account/secrets/wolfram (GetSecret): response breaks the Gateway spec: response body at /name: required property is missing
}

// TestContractRefusesWriteOnlyValues: a 2xx answer that carries a value
// the spec says is never returned (a Secret's INPUT_ONLY value, writeOnly
// by the overlay) is a ContractError that names the field by its JSON
// pointer and never shows its value: not in Error(), not in %+v or %#v,
// not in the Client's logs. The call gives no result.
func TestContractRefusesWriteOnlyValues(t *testing.T) {
	const secret = "/v1/accounts/acc/secrets/s1"
	returned := `{"name":"accounts/acc/secrets/s1","keyName":"K","value":"` + contractSecret + `"}`
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := newContractClient(t, "", map[string]contractAnswer{
		"GET " + secret:                 {body: returned},
		"GET " + secret + "-cased":      {body: `{"name":"accounts/acc/secrets/s1-cased","keyName":"K","Value":"` + contractSecret + `"}`},
		"PATCH " + secret:               {body: returned},
		"POST /v1/accounts/acc/secrets": {body: returned},
		"GET /v1/accounts/acc/secrets":  {body: `{"secrets":[{"name":"n","keyName":"K"},{"name":"m","keyName":"K","value":"` + contractSecret + `"}]}`},
	}, api.WithLogger(logger))
	ctx := context.Background()
	value := "sk-sent-by-the-caller-0001"

	got, err := c.Secrets.Get(ctx, "s1", nil)
	if got != nil {
		t.Error("GetSecret returned the answer that carries the value")
	}
	wantContractError(t, err, "GetSecret", "GET", secret, api.ContractResponse, "response body at /value: writeOnly property")
	for _, text := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		if strings.Contains(text, contractSecret) {
			t.Errorf("the formatted error holds the returned value: %q", strings.ReplaceAll(text, contractSecret, "<VALUE>"))
		}
	}

	// encoding/json would decode "Value" into the value field: refused too.
	_, err = c.Secrets.Get(ctx, "s1-cased", nil)
	wantContractError(t, err, "GetSecret", "GET", secret+"-cased", api.ContractResponse, "response body at /Value: writeOnly property")
	_, err = c.Secrets.Update(ctx, "s1", gen.UpdateSecretBody{KeyName: "K", Value: &value})
	wantContractError(t, err, "UpdateSecret", "PATCH", secret, api.ContractResponse, "response body at /value: writeOnly property")
	_, err = c.Secrets.Create(ctx, gen.Secret{Name: "s1", KeyName: "K", Value: &value})
	wantContractError(t, err, "CreateSecret", "POST", "/v1/accounts/acc/secrets", api.ContractResponse, "response body at /value: writeOnly property")
	_, err = c.Secrets.List(ctx, nil)
	wantContractError(t, err, "ListSecrets", "GET", "/v1/accounts/acc/secrets", api.ContractResponse, "response body at /secrets/1/value: writeOnly property")
	for _, err := range c.Secrets.ListAll(ctx, nil) {
		wantContractError(t, err, "ListSecrets", "GET", "/v1/accounts/acc/secrets", api.ContractResponse, "response body at /secrets/1/value: writeOnly property")
		break
	}

	if logs.Len() == 0 {
		t.Fatal("the Client logged nothing: the logs were not checked")
	}
	if strings.Contains(logs.String(), contractSecret) || strings.Contains(logs.String(), value) {
		t.Error("a secret value reached the Client's logs")
	}
}

// roundTripFunc answers requests in memory, so that a test runs in a
// synctest bubble (no network).
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestContractLeavesACancelledCallsErrorAlone: when the caller's context
// ends while the call waits to retry, the call's error is the
// TransportError of the cancellation, even if the last attempt's answer
// (its Last) is an error body that breaks the spec: only the answer a call
// ends on is judged.
func TestContractLeavesACancelledCallsErrorAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{
				StatusCode: http.StatusServiceUnavailable,
				Header:     http.Header{"Content-Type": {"application/json"}, "Retry-After": {"20"}},
				Body:       io.NopCloser(strings.NewReader(`{"code":"UNAVAILABLE"}`)),
				Request:    r,
			}, nil
		})
		c, err := api.New(api.WithAPIKey(contractAPIKey), api.WithBaseURL("https://gateway.example"),
			api.WithHTTPClient(&http.Client{Transport: rt}), api.WithAccount("acc"), contract.WithValidation(),
			api.WithMaxRetries(3), api.WithMaxRetryWait(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		time.AfterFunc(time.Second, cancel) // during the wait the server asked for
		_, err = c.Secrets.Get(ctx, "s1", nil)
		var te *api.TransportError
		var ce *api.ContractError
		if !errors.As(err, &te) || errors.As(err, &ce) || !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v (%T), want the TransportError of the cancellation", err, err)
		}
		var last *api.Error
		if !errors.As(te.Last, &last) || last.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("Last = %v, want the 503", te.Last)
		}
	})
}
