package gatewaytest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// TestHandlerReturningASecretValueIsRefused: a test's handler whose 2xx
// answer carries a value the spec says is never returned (a Secret's
// INPUT_ONLY value, writeOnly by the overlay) is held to the same rule as
// the fake's own answers: reported once, naming the field and never its
// value, and answered with 500.
func TestHandlerReturningASecretValueIsRefused(t *testing.T) {
	rep := &recordingReporter{}
	fake, c := gatewaytest.Start(t, gatewaytest.WithReporter(rep))
	fake.HandleFunc(gen.OpGetSecret, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"name":"accounts/%s/secrets/%s","keyName":"K","value":%q}`, r.PathValue("account_id"), r.PathValue("secret_id"), secretValue)
	})
	got, err := c.Secrets.Get(context.Background(), "s1", nil, api.WithMaxRetries(0))
	var apiErr *api.Error
	if got != nil || !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusInternalServerError {
		t.Fatalf("got %v, %v; want the fake's 500", got, err)
	}
	if strings.Contains(err.Error(), secretValue) || strings.Contains(string(apiErr.Body), secretValue) {
		t.Error("the client's error holds the secret value")
	}
	msgs := reports(rep)
	if len(msgs) != 1 || !strings.Contains(msgs[0], "/value: writeOnly property") {
		t.Errorf("reported %q, want one report naming /value", msgs)
	}
	for _, m := range msgs {
		if strings.Contains(m, secretValue) {
			t.Error("the report holds the secret value")
		}
	}
}

// TestFakeNeverReturnsASecretValue: the fake stores a Secret's value and
// answers create, update, get and list without it, under the rule it holds
// every answer to (a report would fail this test through t).
func TestFakeNeverReturnsASecretValue(t *testing.T) {
	_, c := gatewaytest.Start(t)
	ctx := context.Background()
	value := secretValue
	raw := c.Raw()
	created, err := raw.CreateSecretWithResponse(ctx, "acct", gen.Secret{Name: "s1", KeyName: "K", Value: &value})
	if err != nil {
		t.Fatal(err)
	}
	updated, err := raw.UpdateSecretWithResponse(ctx, "acct", "s1", gen.UpdateSecretBody{KeyName: "K2", Value: &value})
	if err != nil {
		t.Fatal(err)
	}
	got, err := raw.GetSecretWithResponse(ctx, "acct", "s1", nil)
	if err != nil {
		t.Fatal(err)
	}
	list, err := raw.ListSecretsWithResponse(ctx, "acct", nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{"create": created.Body, "update": updated.Body, "get": got.Body, "list": list.Body} {
		if len(body) == 0 || strings.Contains(string(body), `"value"`) || strings.Contains(string(body), secretValue) {
			t.Errorf("the fake's %s answer carries the value (or is empty)", name)
		}
	}
}

// TestHandlerErrorAnswersAreValidated: a test's handler's error answer is
// held to the spec's default response, the Gateway's google.rpc.Status: a
// Status passes as it is (with its code for errors.Is), a body of another
// shape is reported once and answered with 500.
func TestHandlerErrorAnswersAreValidated(t *testing.T) {
	rep := &recordingReporter{}
	fake, c := gatewaytest.Start(t, gatewaytest.WithReporter(rep))
	ctx := context.Background()

	fake.HandleFunc(gen.OpGetSecret, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"code":5,"message":"no such secret","details":[]}`)
	})
	_, err := c.Secrets.Get(ctx, "s1", nil, api.WithMaxRetries(0))
	if msgs := reports(rep); !errors.Is(err, api.ErrNotFound) || len(msgs) != 0 {
		t.Fatalf("a google.rpc.Status 404: got %v, reports %q; want ErrNotFound and no report", err, msgs)
	}

	for _, bad := range []struct {
		name, contentType, body, want string
	}{
		{"code name", "application/json", `{"code":"NOT_FOUND","message":"no such secret"}`, "response body at /code: got string, want integer"},
		{"text", "text/plain; charset=utf-8", "404 page not found\n", "header Content-Type: want application/json"},
	} {
		rep.mu.Lock()
		rep.msgs = nil
		rep.mu.Unlock()
		fake.HandleFunc(gen.OpGetSecret, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", bad.contentType)
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, bad.body)
		})
		_, err := c.Secrets.Get(ctx, "s1", nil, api.WithMaxRetries(0))
		var apiErr *api.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusInternalServerError {
			t.Errorf("%s: got %v, want the fake's 500", bad.name, err)
		}
		if msgs := reports(rep); len(msgs) != 1 || !strings.Contains(msgs[0], bad.want) {
			t.Errorf("%s: reported %q, want one report naming %q", bad.name, msgs, bad.want)
		}
	}
}

// reports returns what rep has collected so far.
func reports(rep *recordingReporter) []string {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	return append([]string(nil), rep.msgs...)
}

// TestGeneratedClientDecodesErrorAnswers: the generated client of package
// gen, used alone (as a third-party program would), decodes the fake's
// error answers into JSONDefault, the Gateway's google.rpc.Status that the
// overlay declares for every operation.
func TestGeneratedClientDecodesErrorAnswers(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	bearer := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+gatewaytest.APIKey)
		return nil
	}
	raw, err := gen.NewClientWithResponses(fake.URL, gen.WithRequestEditorFn(bearer))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	got, err := raw.GetSecretWithResponse(ctx, "acct", "never-created", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.StatusCode() != http.StatusNotFound || got.JSON200 != nil || got.JSONDefault == nil {
		t.Fatalf("GetSecret of nothing: %d, JSON200 %v, JSONDefault %v; want a decoded 404", got.StatusCode(), got.JSON200, got.JSONDefault)
	}
	if s := got.JSONDefault; s.Code == nil || *s.Code != 5 || s.Message == nil || *s.Message == "" || s.Details == nil {
		t.Errorf("the 404's google.rpc.Status decoded as %+v, want code 5, a message and details", *s)
	}

	// A request the fake refuses (a page size beyond int32) is a 400 with
	// code INVALID_ARGUMENT.
	bad, err := raw.ListSecrets(ctx, "acct", nil, func(_ context.Context, req *http.Request) error {
		req.URL.RawQuery = "pageSize=99999999999"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := gen.ParseListSecretsRawResponse(bad)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.StatusCode() != http.StatusBadRequest || parsed.JSONDefault == nil || parsed.JSONDefault.Code == nil || *parsed.JSONDefault.Code != 3 {
		t.Errorf("a refused request: %d, JSONDefault %+v; want a decoded 400 with code 3", parsed.StatusCode(), parsed.JSONDefault)
	}
}
