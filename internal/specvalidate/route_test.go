package specvalidate

import (
	"errors"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/rawspec"
)

func mustLoad(t testing.TB) *Spec {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestLoadReturnsTheSameSpec(t *testing.T) {
	a, b := mustLoad(t), mustLoad(t)
	if a != b {
		t.Error("Load compiled the spec twice")
	}
}

// fillTemplate puts values into a path template, each escaped with escape.
func fillTemplate(op gen.OperationInfo, value func(name string) string, escape func(string) string) (string, map[string]string) {
	path := op.Path
	want := make(map[string]string)
	for _, name := range op.PathParams {
		v := value(name)
		want[name] = v
		path = strings.Replace(path, "{"+name+"}", escape(v), 1)
	}
	return path, want
}

// escapeSegment escapes a path segment the way the router expects: as
// url.PathEscape does, and ':' too, which url.PathEscape leaves alone but
// which selects a custom method in the last segment.
func escapeSegment(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
}

func TestEveryOperationRoutesBackToItself(t *testing.T) {
	s := mustLoad(t)
	spec, err := rawspec.Read("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(gen.Operations) != len(spec.Operations) || len(gen.Operations) == 0 {
		t.Errorf("gen.Operations has %d entries, openapi.yaml %d", len(gen.Operations), len(spec.Operations))
	}
	values := map[string]func(string) string{
		"plain":   func(name string) string { return "x-" + name },
		"escaped": func(name string) string { return name + " /:%?#é\x7f" },
		"literal": func(string) string { return "secrets" }, // a value that is also a literal segment
	}
	for kind, value := range values {
		for _, op := range gen.Operations {
			path, want := fillTemplate(op, value, escapeSegment)
			r, err := s.FindRoute(op.Method, path)
			if err != nil {
				t.Errorf("%s (%s values): FindRoute(%s, %s): %v", op.ID, kind, op.Method, path, err)
				continue
			}
			if r.Operation.ID != op.ID {
				t.Errorf("%s (%s values): %s %s routed to %s", op.ID, kind, op.Method, path, r.Operation.ID)
			}
			if !maps.Equal(r.PathParams, want) {
				t.Errorf("%s (%s values): path params %q, want %q", op.ID, kind, r.PathParams, want)
			}
		}
	}
}

func TestCustomMethods(t *testing.T) {
	s := mustLoad(t)
	tests := []struct {
		method, path, wantID string
		wantParams           map[string]string
	}{
		{"POST", "/v1/accounts/acc/deployments/dep:undelete", "UndeleteDeployment", map[string]string{"account_id": "acc", "deployment_id": "dep"}},
		{"GET", "/v1/accounts/acc/deployments/dep", "GetDeployment", map[string]string{"account_id": "acc", "deployment_id": "dep"}},
		{"PATCH", "/v1/accounts/acc/deployments/dep:scale", "ScaleDeployment", map[string]string{"account_id": "acc", "deployment_id": "dep"}},
		{"POST", "/v1/accounts/acc/users/u1/apiKeys:delete", "DeleteApiKey", map[string]string{"account_id": "acc", "user_id": "u1"}},
		{"POST", "/v1/accounts/acc/users/u1/apiKeys", "CreateApiKey", map[string]string{"account_id": "acc", "user_id": "u1"}},
		{"GET", "/v1/accounts/acc/users/u1/apiKeys/k1", "GetApiKey", map[string]string{"account_id": "acc", "user_id": "u1", "keyId": "k1"}},
		{"POST", "/v1/accounts/acc/evaluators:previewEvaluator", "PreviewEvaluator", map[string]string{"account_id": "acc"}},
		{"GET", "/v1/accounts/acc/models/m/versions:count", "GetModelVersionCount", map[string]string{"account_id": "acc", "model_id": "m"}},
		{"POST", "/v1/accounts/acc:testeval", "TestEvaluation", map[string]string{"account_id": "acc"}},
		{"POST", "/v1/creditCodes:redeem", "RedeemCreditCode", map[string]string{}},
		// An escaped ':' is part of the value, not a custom method.
		{"GET", "/v1/accounts/acc/deployments/dep%3Aundelete", "GetDeployment", map[string]string{"account_id": "acc", "deployment_id": "dep:undelete"}},
		// An escaped literal is the literal (RFC 3986, section 6.2.2.2).
		{"GET", "/v1/accounts/acc/secr%65ts", "ListSecrets", map[string]string{"account_id": "acc"}},
	}
	for _, tt := range tests {
		r, err := s.FindRoute(tt.method, tt.path)
		if err != nil {
			t.Errorf("%s %s: %v", tt.method, tt.path, err)
			continue
		}
		if r.Operation.ID != tt.wantID || !maps.Equal(r.PathParams, tt.wantParams) {
			t.Errorf("%s %s: got %s %q, want %s %q", tt.method, tt.path, r.Operation.ID, r.PathParams, tt.wantID, tt.wantParams)
		}
	}
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	s := mustLoad(t)
	tests := []struct {
		method, path string
		want         error
		allowed      []string
	}{
		{"GET", "", ErrNotFound, nil},
		{"GET", "v1/accounts", ErrNotFound, nil},
		{"GET", "/", ErrNotFound, nil},
		{"GET", "/v2/accounts", ErrNotFound, nil},
		{"GET", "/V1/accounts", ErrNotFound, nil},
		{"GET", "/v1/accounts/", ErrNotFound, nil},
		{"GET", "/v1/accounts//secrets", ErrNotFound, nil},
		{"GET", "/v1/accounts/acc/secrets/s/extra", ErrNotFound, nil},
		{"GET", "/v1/accounts/acc/secrets/%zz", ErrNotFound, nil},
		{"GET", "/v1/accounts/acc/secrets/s:undelete", ErrNotFound, nil},
		{"POST", "/v1/accounts/acc/deployments/dep:nosuchverb", ErrNotFound, nil},
		{"POST", "/v1/accounts/acc/deployments/:undelete", ErrNotFound, nil},
		{"GET", strings.Repeat("/a", 40), ErrNotFound, nil},
		{"PUT", "/v1/accounts/acc/secrets/s", ErrMethodNotAllowed, []string{"DELETE", "GET", "PATCH"}},
		{"get", "/v1/accounts/acc/secrets/s", ErrMethodNotAllowed, []string{"DELETE", "GET", "PATCH"}},
		{"HEAD", "/v1/accounts/acc/secrets", ErrMethodNotAllowed, []string{"GET", "POST"}},
		{"GET", "/v1/accounts/acc/deployments/dep:undelete", ErrMethodNotAllowed, []string{"POST"}},
		{"DELETE", "/v1/accounts/acc/users/u1/apiKeys:delete", ErrMethodNotAllowed, []string{"POST"}},
	}
	for _, tt := range tests {
		r, err := s.FindRoute(tt.method, tt.path)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s %q: got route %v, error %v; want %v", tt.method, tt.path, r, err, tt.want)
			continue
		}
		var re *RouteError
		if !errors.As(err, &re) {
			t.Errorf("%s %q: %T is not a *RouteError", tt.method, tt.path, err)
			continue
		}
		if !slices.Equal(re.Allowed, tt.allowed) {
			t.Errorf("%s %q: allowed %v, want %v", tt.method, tt.path, re.Allowed, tt.allowed)
		}
		if strings.Contains(err.Error(), "acc") {
			t.Errorf("%s %q: the error quotes the path: %v", tt.method, tt.path, err)
		}
	}
}
