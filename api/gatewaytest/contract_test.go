package gatewaytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/lifecycle"
)

// TestEveryOperationAgainstTheFake calls each of the 198 operations
// through the bare generated client, with a request body synthesized from
// its schema, each against a fake of its own holding the resources its
// path names (seeded by rule from Collections, in the state the operation
// acts from): every request the generated code builds must validate at the
// fake, and every response the fake gives (the engine's or a synthesized
// one) must validate (or the fake fails this test) and decode into the
// generated type.
func TestEveryOperationAgainstTheFake(t *testing.T) {
	auth := gen.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+gatewaytest.APIKey)
		return nil
	})
	hc := &http.Client{}
	defer hc.CloseIdleConnections()
	for _, op := range gen.Operations {
		t.Run(op.ID, func(t *testing.T) {
			fake, _ := gatewaytest.Start(t)
			c, err := gen.NewClientWithResponses(fake.URL, gen.WithHTTPClient(hc), auth)
			if err != nil {
				t.Fatal(err)
			}
			seedPathResources(t, fake, op)
			m := reflect.ValueOf(c).MethodByName(op.GoName + "WithResponse")
			args, err := argsFor(m.Type(), op)
			if err != nil {
				t.Fatal(err)
			}
			withIssuedRefreshToken(fake, args)
			out := m.Call(args)
			if err, _ := out[1].Interface().(error); err != nil {
				t.Fatalf("%v", err)
			}
			resp := out[0].Elem()
			status := resp.FieldByName("HTTPResponse").Interface().(*http.Response).StatusCode
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, resp.FieldByName("Body").Bytes())
			}
			if resp.FieldByName("JSON200").IsNil() {
				t.Errorf("the 200 response did not decode: %s", resp.FieldByName("Body").Bytes())
			}
			if n := len(fake.Requests(gen.OperationID(op.ID))); n != 1 {
				t.Errorf("the fake saw %d requests of %s, want 1", n, op.ID)
			}
		})
	}
}

// seedPathResources stores the resources that op's path names (the
// generated arguments are v1, v2... in the order of the path parameters),
// parents first, in the state op acts from; and, for op's
// ":validateUpload", uploads the file the resource declares.
func seedPathResources(t *testing.T, fake *gatewaytest.Server, op gen.OperationInfo) {
	t.Helper()
	values := map[string]string{}
	for i, p := range op.PathParams {
		values[p] = fmt.Sprintf("v%d", i+1)
	}
	base, verb, _ := strings.Cut(strings.TrimPrefix(op.Path, "/v1/"), ":")
	if i := strings.LastIndex(base, "}:"); i >= 0 {
		base, verb = base[:i+1], base[i+2:]
	}
	fill := func(pattern string) string {
		for name, v := range values {
			pattern = strings.ReplaceAll(pattern, "{"+name+"}", v)
		}
		return pattern
	}
	for _, c := range gatewaytest.Collections() { // sorted by pattern: parents first
		if base != c.Pattern && !strings.HasPrefix(base, c.Pattern+"/") {
			if verb == "delete" && base == c.Pattern[:strings.LastIndexByte(c.Pattern, '/')] {
				// POST .../apiKeys:delete names the key in its body, "x".
				mustPut(t, fake, fill(base)+"/x", c)
			}
			continue
		}
		name := fill(c.Pattern)
		mustPut(t, fake, name, c)
		if base != c.Pattern || c.States == nil {
			continue
		}
		m := lifecycle.NewMachine(c.States)
		switch verb {
		case "cancel":
			fake.SetState(name, m.Created, "")
		case "resume":
			fake.SetState(name, m.Failed, "the test failed it")
		case "undelete":
			fake.SetState(name, m.Deleted, "")
		}
	}
	if verb == "validateUpload" {
		uploadFile(t, fake, "/v1/"+fill(base), "data.jsonl", []byte("{}\n"))
	}
}

func mustPut(t *testing.T, fake *gatewaytest.Server, name string, c gatewaytest.Collection) {
	t.Helper()
	if err := fake.Put(name, "{}"); err != nil {
		t.Fatalf("seeding %s (%s): %v", name, c.Schema, err)
	}
}

// argsFor builds the arguments of a generated method: path parameters
// v1, v2, ...; empty query params; a body synthesized from the request
// schema (through JSON into the generated body type).
func argsFor(mt reflect.Type, op gen.OperationInfo) ([]reflect.Value, error) {
	args := []reflect.Value{reflect.ValueOf(context.Background())}
	for i := 1; i < mt.NumIn(); i++ {
		in := mt.In(i)
		switch {
		case mt.IsVariadic() && i == mt.NumIn()-1:
		case in.Kind() == reflect.String:
			args = append(args, reflect.ValueOf(fmt.Sprintf("v%d", i)))
		case in.Kind() == reflect.Pointer: // query params
			args = append(args, reflect.New(in.Elem()))
		default: // the body
			body := reflect.New(in)
			raw, err := gatewaytest.SynthesizeRequest(gen.OperationID(op.ID))
			if err != nil {
				return nil, err
			}
			if err := json.Unmarshal(raw, body.Interface()); err != nil {
				return nil, fmt.Errorf("the synthesized body does not decode into %s: %w", in, err)
			}
			args = append(args, body.Elem())
		}
	}
	return args, nil
}

// withIssuedRefreshToken gives a body that carries a refreshToken (the
// fake refuses one it did not issue) the refresh token of a new session.
func withIssuedRefreshToken(fake *gatewaytest.Server, args []reflect.Value) {
	for i, a := range args {
		if a.Kind() != reflect.Struct {
			continue
		}
		if f := a.FieldByName("RefreshToken"); f.IsValid() && f.Type() == reflect.TypeFor[*string]() {
			body := reflect.New(a.Type()).Elem()
			body.Set(a)
			tok := fake.NewSession().RefreshToken
			body.FieldByName("RefreshToken").Set(reflect.ValueOf(&tok))
			args[i] = body
		}
	}
}

// TestInvalidRequestsGet400WithoutValues: a request that breaks the schema
// is answered 400 with a Gateway error that names the problem and never
// echoes the secret value it carried.
func TestInvalidRequestsGet400WithoutValues(t *testing.T) {
	fake, c := gatewaytest.Start(t)
	ctx := context.Background()
	for name, body := range map[string]string{
		"missing required keyName": `{"value":"` + secretValue + `"}`,
		"wrong type of keyName":    `{"keyName":42,"value":"` + secretValue + `"}`,
		"not JSON":                 `{"keyName":"K","value":"` + secretValue,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.Raw().UpdateSecretWithBody(ctx, "acct", "s", "application/json", strings.NewReader(body))
			var apiErr *api.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Code != api.CodeInvalidArgument {
				t.Fatalf("err = %v, want a 400 INVALID_ARGUMENT", err)
			}
			if !strings.Contains(apiErr.Message, "request body") {
				t.Errorf("message %q does not name the problem", apiErr.Message)
			}
			if strings.Contains(string(apiErr.Body), secretValue) {
				t.Error("the fake's error body echoes the secret value")
			}
		})
	}
	_, err := c.Raw().UpdateSecretWithBody(ctx, "acct", "s", "text/plain", strings.NewReader(`{"keyName":"K"}`))
	if !errors.Is(err, api.ErrNotFound) && !strings.Contains(fmt.Sprint(err), "Content-Type") {
		t.Errorf("wrong content type: err = %v, want a 400 naming Content-Type", err)
	}
	for _, e := range fake.Journal() {
		if strings.Contains(e.Body, secretValue) {
			t.Error("the journal holds the secret value")
		}
	}
}

// TestMissingOrMalformedBearerGets401: no Authorization, another scheme,
// or an empty token is UNAUTHENTICATED; with RequireAPIKey, another key too.
func TestMissingOrMalformedBearerGets401(t *testing.T) {
	fake, _ := gatewaytest.Start(t, gatewaytest.RequireAPIKey("the-only-key"))
	for name, header := range map[string]string{
		"no header":    "",
		"basic auth":   "Basic dXNlcjpwYXNz",
		"empty bearer": "Bearer ",
		"wrong key":    "Bearer another-key",
	} {
		req, _ := http.NewRequest(http.MethodGet, fake.URL+"/v1/accounts/acct/secrets", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != 401 || !strings.Contains(string(body), `"code":16`) {
			t.Errorf("%s: %d %s, want 401 with code 16", name, resp.StatusCode, body)
		}
	}
	http.DefaultClient.CloseIdleConnections()
}

// TestUnknownRoutes: an unknown path is 404; a known path with another
// method is 405 with an Allow header.
func TestUnknownRoutes(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	defer http.DefaultClient.CloseIdleConnections()
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/v1/nothing/here", 404},
		{"PUT", "/v1/accounts/acct/secrets/s", 405},
		{"GET", "/v1/accounts/acct/deployments/d:undelete", 405},
	} {
		req, _ := http.NewRequest(tc.method, fake.URL+tc.path, nil)
		req.Header.Set("Authorization", "Bearer k")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != tc.want || (tc.want == 405 && resp.Header.Get("Allow") == "") {
			t.Errorf("%s %s: %d (Allow %q), want %d", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Allow"), tc.want)
		}
	}
}

// recordingReporter collects the fake's failures instead of failing.
type recordingReporter struct {
	mu   sync.Mutex
	msgs []string
}

func (r *recordingReporter) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

// TestHandlersAreValidatedToo: a test's handler answers its operation with
// the path parameters at hand, and a response of it that breaks the spec
// is reported and turned into a 500: the fake cannot lie.
func TestHandlersAreValidatedToo(t *testing.T) {
	rep := &recordingReporter{}
	fake, c := gatewaytest.Start(t, gatewaytest.WithReporter(rep))
	fake.HandleFunc(gen.OpGetAccount, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"name":"accounts/%s","displayName":"Acme","email":"a@example.com"}`, r.PathValue("account_id"))
	})
	resp, err := c.Raw().GetAccountWithResponse(context.Background(), "acme", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.JSON200.Name == nil || *resp.JSON200.Name != "accounts/acme" {
		t.Errorf("the handler's answer did not come through: %s", resp.Body)
	}

	fake.HandleFunc(gen.OpGetSecret, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"keyName":"K"}`) // name is required
	})
	_, err = c.Raw().GetSecretWithResponse(context.Background(), "acct", "s", nil, api.Editor(api.WithMaxRetries(0)))
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
		t.Errorf("err = %v, want the fake's 500", err)
	}
	if len(rep.msgs) != 1 || !strings.Contains(rep.msgs[0], "does not match the spec") {
		t.Errorf("reported %q, want one spec mismatch", rep.msgs)
	}
}

// TestJournalRedactsCredentialsAndSecrets: the journal keeps what a test
// asserts on (operation, method, path, attempt) and nothing secret.
func TestJournalRedactsCredentialsAndSecrets(t *testing.T) {
	fake, c := gatewaytest.Start(t)
	ctx := context.Background()
	if _, err := c.Raw().CreateSecretWithResponse(ctx, "acct", gen.Secret{Name: "S", KeyName: "K", Value: api.Ptr(secretValue)}); err != nil {
		t.Fatal(err)
	}
	entries := fake.Requests(gen.OpCreateSecret)
	if len(entries) != 1 {
		t.Fatalf("%d CreateSecret entries, want 1", len(entries))
	}
	e := entries[0]
	if e.Method != "POST" || e.Path != "/v1/accounts/acct/secrets" || e.Attempt != 1 {
		t.Errorf("entry %s %s attempt %d", e.Method, e.Path, e.Attempt)
	}
	if e.Header.Get("Authorization") != "Bearer [REDACTED]" || strings.Contains(fmt.Sprint(e.Header), gatewaytest.APIKey) {
		t.Error("the journal holds the API key")
	}
	if strings.Contains(e.Body, secretValue) || !strings.Contains(e.Body, `"keyName":"K"`) {
		t.Errorf("the journal body is not redacted as expected (holds the value: %v)", strings.Contains(e.Body, secretValue))
	}
}

// TestConcurrentClients: 64 goroutines share the fake (and one client)
// for the Secrets lifecycle without an error or a race.
func TestConcurrentClients(t *testing.T) {
	fake, c := gatewaytest.Start(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 64 {
		wg.Go(func() {
			id := fmt.Sprintf("g%02d", g)
			for i := range 5 {
				value := fmt.Sprintf("sk-%s-%d-value", id, i)
				if _, err := c.Raw().CreateSecretWithResponse(ctx, "acct", gen.Secret{Name: id, KeyName: "K", Value: &value}); err != nil {
					errs <- err
					return
				}
				if _, err := c.Raw().UpdateSecretWithResponse(ctx, "acct", id, gen.UpdateSecretBody{KeyName: "K2", Value: &value}); err != nil {
					errs <- err
					return
				}
				for _, err := range c.Secrets.ListAll(ctx, &gen.ListSecretsParams{PageSize: api.Ptr(int32(7))}) {
					if err != nil {
						errs <- err
						return
					}
				}
				if _, err := c.Raw().DeleteSecretWithResponse(ctx, "acct", id); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(fake.Requests(gen.OpCreateSecret)); n != 64*5 {
		t.Errorf("%d creates recorded, want %d", n, 64*5)
	}
}

// TestJournalKeepsTheNewestRequests: a long-running fake keeps only the
// newest requests, so its memory does not grow without bound.
func TestJournalKeepsTheNewestRequests(t *testing.T) {
	fake, c := gatewaytest.Start(t, gatewaytest.WithJournalLimit(5))
	for range 12 {
		if _, err := c.Raw().ListSecretsWithResponse(context.Background(), "acct", nil); err != nil {
			t.Fatal(err)
		}
	}
	entries := fake.Journal()
	if len(entries) != 5 || entries[4].Attempt != 12 || entries[0].Attempt != 8 {
		t.Errorf("%d entries, attempts %d..%d; want the newest 5 (8..12)", len(entries), entries[0].Attempt, entries[len(entries)-1].Attempt)
	}
}
