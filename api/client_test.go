package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/rawspec"
)

// upstreamSpecSHA256 is the sha256 of the published Gateway spec 4.259.0
// (../shared/spec/README.md), the version first vendored.
const upstreamSpecSHA256 = "a8ee64a0000fe92f64d96157745e3c460df2ecfbd2caa7cff2a371faa86834fc"

// TestOpenAPIYAMLIsWhatWasVendored: openapi.yaml is byte for byte what
// `make update-spec` last wrote, whose sha256 the newest entry of
// CHANGELOG-spec.md records; and at version 4.259.0, upstream's document.
// A hand edit fails here: defects are fixed in gen/overlay.yaml.
func TestOpenAPIYAMLIsWhatWasVendored(t *testing.T) {
	raw, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	got := hex.EncodeToString(sum[:])
	changelog, err := os.ReadFile("../CHANGELOG-spec.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(changelog), "openapi.yaml sha256: `")
	recorded, _, _ := strings.Cut(after, "`")
	if !ok || got != recorded {
		t.Errorf("openapi.yaml has sha256 %s, CHANGELOG-spec.md's newest entry records %q: openapi.yaml was edited by hand", got, recorded)
	}
	if api.SpecVersion == "4.259.0" && got != upstreamSpecSHA256 {
		t.Errorf("openapi.yaml has sha256 %s, want upstream's %s", got, upstreamSpecSHA256)
	}
}

// TestSpecVersionIsOpenAPIYAMLs: the version constant and the User-Agent
// come from openapi.yaml's info.version, not from a hand-typed string.
func TestSpecVersionIsOpenAPIYAMLs(t *testing.T) {
	raw, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Info struct{ Version string } `yaml:"info"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if api.SpecVersion != doc.Info.Version { // api.SpecVersion is gen.SpecVersion
		t.Errorf("SpecVersion = %q, openapi.yaml says %q", api.SpecVersion, doc.Info.Version)
	}
	rt := script(step{status: 200, body: secretJSON})
	c := newClient(t, rt, api.WithUserAgent("my-app/1.0"))
	if _, err := c.Secrets.Get(context.Background(), "sec", nil); err != nil {
		t.Fatal(err)
	}
	ua := rt.Calls()[0].header.Get("User-Agent")
	for _, want := range []string{"my-app/1.0 ", "fireworks-gateway-go/" + api.Version, "gateway-spec " + doc.Info.Version} {
		if !strings.Contains(ua, want) {
			t.Errorf("User-Agent %q lacks %q", ua, want)
		}
	}
}

// TestEveryOperationIsCallableThroughItsService calls each of the spec's
// operations through its service method (by reflection, from the
// generated table of calls), and checks that it reaches its own method and
// path, on the Client's account, with the credentials.
func TestEveryOperationIsCallableThroughItsService(t *testing.T) {
	spec, err := rawspec.Read("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(gen.Operations) != len(spec.Operations) || len(gen.Operations) == 0 {
		t.Errorf("gen.Operations has %d operations, openapi.yaml %d", len(gen.Operations), len(spec.Operations))
	}
	if len(serviceCalls) != len(gen.Operations) {
		t.Errorf("%d service methods for %d operations", len(serviceCalls), len(gen.Operations))
	}
	rt := script(step{status: 200, body: `{}`})
	c := newClient(t, rt)
	byID := map[string]gen.OperationInfo{}
	for _, op := range gen.Operations {
		byID[op.ID] = op
	}
	for i, sc := range serviceCalls {
		op := byID[sc.ID]
		m, ok := serviceMethod(c, sc.Call)
		if !ok {
			t.Errorf("%s: no method for %s", sc.ID, sc.Call)
			continue
		}
		args, wantPath := argsFor(m.Type(), op, "acct")
		out := m.Call(args)
		if err, _ := out[len(out)-1].Interface().(error); err != nil {
			t.Errorf("%s: %v", op.ID, err)
			continue
		}
		if len(out) == 2 && out[0].IsNil() {
			t.Errorf("%s: a nil result with a nil error", op.ID)
		}
		got := rt.Calls()[i]
		u, _ := url.Parse(got.url)
		if got.method != op.Method || u.EscapedPath() != wantPath {
			t.Errorf("%s sent %s %s, want %s %s", op.ID, got.method, u.EscapedPath(), op.Method, wantPath)
		}
		if got.header.Get("Authorization") != "Bearer "+testAPIKey {
			t.Errorf("%s was sent without the API key", op.ID)
		}
	}
}

// serviceMethod finds the method of a call as the generated table writes
// it: "client.Secrets.Update(ctx, secretID, body)".
func serviceMethod(c *api.Client, call string) (reflect.Value, bool) {
	name, _, _ := strings.Cut(strings.TrimPrefix(call, "client."), "(")
	svc, method, ok := strings.Cut(name, ".")
	if !ok {
		return reflect.Value{}, false
	}
	field := reflect.ValueOf(c).Elem().FieldByName(svc)
	if !field.IsValid() {
		return reflect.Value{}, false
	}
	m := field.MethodByName(method)
	return m, m.IsValid()
}

// argsFor builds arguments for a service method: a context, a value per
// path parameter other than the account, a params struct with only its
// required fields set (see filledParams) and a zero body; and the path
// they address on account.
func argsFor(mt reflect.Type, op gen.OperationInfo, account string) ([]reflect.Value, string) {
	args := []reflect.Value{reflect.ValueOf(context.Background())}
	path := strings.Replace(op.Path, "{account_id}", account, 1)
	var params []string
	for _, p := range op.PathParams {
		if p != "account_id" {
			params = append(params, p)
		}
	}
	for i := 1; i < mt.NumIn(); i++ {
		in := mt.In(i)
		switch {
		case mt.IsVariadic() && i == mt.NumIn()-1:
		case in.Kind() == reflect.String:
			v := fmt.Sprintf("v%d", i)
			path = strings.Replace(path, "{"+params[i-1]+"}", v, 1)
			args = append(args, reflect.ValueOf(v))
		case in.Kind() == reflect.Pointer:
			args = append(args, filledParams(in.Elem()))
		case in.Kind() == reflect.Struct:
			args = append(args, filledParams(in).Elem()) // a body, its required strings set
		default:
			args = append(args, reflect.Zero(in))
		}
	}
	return args, path
}

// TestNewReadsOptionsThenEnvironment: options win over FIREWORKS_API_KEY
// and FIREWORKS_BASE_URL, which win over the default.
func TestNewReadsOptionsThenEnvironment(t *testing.T) {
	t.Setenv(api.EnvAPIKey, "env-key-0123456789")
	t.Setenv(api.EnvBaseURL, "https://env.fireworks.test")
	c, err := api.New()
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "https://env.fireworks.test" {
		t.Errorf("BaseURL = %q, want the environment's", c.BaseURL())
	}
	c, err = api.New(api.WithBaseURL("https://opt.fireworks.test"))
	if err != nil || c.BaseURL() != "https://opt.fireworks.test" {
		t.Errorf("BaseURL = %q (%v), want the option's", c.BaseURL(), err)
	}
	t.Setenv(api.EnvBaseURL, "")
	c, err = api.New()
	if err != nil || c.BaseURL() != api.DefaultBaseURL {
		t.Errorf("BaseURL = %q (%v), want the default", c.BaseURL(), err)
	}

	rt := script(step{status: 200, body: secretJSON})
	t.Setenv(api.EnvAccountID, "env-account")
	c, err = api.New(api.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Account() != "env-account" {
		t.Errorf("Account = %q, want the environment's", c.Account())
	}
	if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
		t.Fatal(err)
	}
	if rt.Calls()[0].header.Get("Authorization") != "Bearer env-key-0123456789" {
		t.Error("the environment's API key was not sent")
	}
	if got := rt.Calls()[0].url; !strings.HasSuffix(got, "/v1/accounts/env-account/secrets/s") {
		t.Errorf("sent to %s, want the environment's account", got)
	}
	c, err = api.New(api.WithHTTPClient(&http.Client{Transport: rt}), api.WithAccount("opt-account"))
	if err != nil || c.Account() != "opt-account" {
		t.Errorf("Account = %q (%v), want the option's", c.Account(), err)
	}
}

// TestNewRefusesBadConfiguration: each bad setting fails at construction
// with a clear error that never quotes the key.
func TestNewRefusesBadConfiguration(t *testing.T) {
	t.Setenv(api.EnvAPIKey, "")
	t.Setenv(api.EnvBaseURL, "")
	const keyWithNewline = "fw-key-with-newline\n"
	cases := []struct {
		name string
		opts []api.ClientOption
		want string
	}{
		{"no key", nil, "FIREWORKS_API_KEY"},
		{"empty key option", []api.ClientOption{api.WithAPIKey("")}, "FIREWORKS_API_KEY"},
		{"key with a newline", []api.ClientOption{api.WithAPIKey(keyWithNewline)}, "white space"},
		{"plain http to a remote host", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("http://api.fireworks.ai")}, "plain http"},
		{"another scheme", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("ftp://api.fireworks.ai")}, "scheme must be https (want https://host[:port], such as https://api.fireworks.ai) (from WithBaseURL)"},
		{"no host", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("https://")}, "no host"},
		{"credentials in the URL", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("https://user:hunter2-password@api.fireworks.ai")}, "credentials"},
		{"credentials in a URL of another scheme", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("ftp://user:hunter2-password@api.fireworks.ai")}, "credentials"},
		{"credentials in an unparsable URL", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("https://user:hunter2-password@host:port:bad")}, "not a valid URL"},
		{"a key too short to redact", []api.ClientOption{api.WithAPIKey("abc")}, "shorter than"},
		{"a query", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("https://api.fireworks.ai?x=1")}, "query"},
		{"negative retries", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithMaxRetries(-1)}, "negative"},
		{"zero timeout", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithTimeout(0)}, "not positive"},
		{"nil http client", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithHTTPClient(nil)}, "nil"},
		{"budget without a window", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithRetryBudget(api.RetryBudget{Percent: 20})}, "Window"},
		{"budget that allows nothing", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithRetryBudget(api.RetryBudget{Window: time.Second})}, "no retry"},
		{"negative budget", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithRetryBudget(api.RetryBudget{Percent: -1, Window: time.Second})}, "negative"},
		{"empty account", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithAccount("")}, "account_id: empty value"},
		{"an account with a space", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithAccount("team a")}, "white space"},
		{"an inference URL", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("https://api.fireworks.ai/inference/v1")}, "inference URL; the Gateway's base URL is the host alone (https://api.fireworks.ai)"},
		{"a base URL ending in /v1", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("https://api.fireworks.ai/v1/")}, "the SDK adds /v1/... to every path itself: use https://api.fireworks.ai"},
		{"a fragment", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("https://api.fireworks.ai#top")}, "fragment"},
		{"an empty query", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("https://api.fireworks.ai?")}, "query"},
		{"a bad port, with a password", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("https://user:hunter2-password@api.fireworks.ai:44x3")}, "the port is not a number"},
		{"a bad escape in the password", []api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("https://user:hunter2-password%zz@api.fireworks.ai")}, "not followed by two hexadecimal digits"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := api.New(tc.opts...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one that mentions %q", err, tc.want)
			}
			if strings.Contains(err.Error(), testAPIKey) || strings.Contains(err.Error(), strings.TrimSpace(keyWithNewline)) {
				t.Error("the error quotes the API key")
			}
			if strings.Contains(err.Error(), "hunter2-password") {
				t.Error("the error quotes the base URL's password")
			}
		})
	}
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:1234", "http://[::1]:99", "https://proxy.example.test/fireworks-gateway"} {
		if _, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(ok)); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

// TestNewNamesTheVariableThatHoldsWhiteSpace: a value read from the
// environment with white space (a trailing newline from a file or a shell)
// is refused by New, in one line that names the variable and never quotes
// the value; nothing is sent.
func TestNewNamesTheVariableThatHoldsWhiteSpace(t *testing.T) {
	for _, tc := range []struct{ env, value, want string }{
		{api.EnvAccountID, "my-account\n", "FIREWORKS_ACCOUNT_ID: contains white space or a control character"},
		{api.EnvAccountID, "team a", "FIREWORKS_ACCOUNT_ID: contains white space or a control character"},
		{api.EnvAccountID, "team/a", "FIREWORKS_ACCOUNT_ID: invalid path parameter account_id: contains '/'"},
		{api.EnvAPIKey, "fw-key-from-a-file-0123\n", "FIREWORKS_API_KEY: contains white space or a control character"},
		{api.EnvBaseURL, "https://api.fireworks.ai\n", "FIREWORKS_BASE_URL: contains white space or a control character"},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Setenv(api.EnvAPIKey, testAPIKey)
			t.Setenv(api.EnvAccountID, "")
			t.Setenv(api.EnvBaseURL, "")
			t.Setenv(tc.env, tc.value)
			_, err := api.New()
			if err == nil {
				t.Fatalf("New took %s with white space", tc.env)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("err = %q, want one line that says %q", msg, tc.want)
			}
			if tc.env == api.EnvAPIKey && strings.Contains(msg, strings.TrimSpace(tc.value)) {
				t.Error("the error quotes the API key")
			}
		})
	}
}

// TestCloseIdleConnections: a Client's own connection pool can be closed,
// so that a program making many Clients does not keep their connections.
func TestCloseIdleConnections(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, secretJSON)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(srv.URL), api.WithAccount("acct"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Secrets.Get(context.Background(), "sec", nil); err != nil {
		t.Fatal(err)
	}
	c.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for conns.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if conns.Load() != 1 {
		t.Error("the idle connection was not closed")
	}
}

// filledParams returns a new params struct of type t whose required query
// parameters are set: oapi-codegen makes them the fields that are not
// pointers; the optional ones stay nil.
func filledParams(t reflect.Type) reflect.Value {
	v := reflect.New(t)
	for i := 0; i < t.NumField(); i++ {
		f := v.Elem().Field(i)
		switch {
		case f.Type() == reflect.TypeFor[time.Time]():
			f.Set(reflect.ValueOf(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)))
		case f.Kind() == reflect.String:
			f.SetString("q")
		}
	}
	return v
}
