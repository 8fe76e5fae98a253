package gatewaytest_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

// fixtures is a seed file as a team in another language writes it.
const fixtures = `{"resources": [
  {"name": "accounts/acct/secrets/TOKEN", "resource": {"keyName": "SERVICE_TOKEN", "value": "` + secretValue + `"}},
  {"name": "accounts/acct/deployments/d1", "resource": {"baseModel": "accounts/fireworks/models/m", "state": "FAILED", "status": {"code": "UNKNOWN", "message": "out of capacity"}}},
  {"name": "accounts/acct/users/u1", "resource": {"role": "admin", "createTime": "2025-01-02T03:04:05Z"}},
  {"name": "accounts/acct/users/u1/apiKeys/k1", "resource": {"displayName": "ci", "key": "fw-seeded-key-0123456789"}}
]}`

// TestSeedAndDump: a fixtures file seeds resources (state, times and
// sensitive values included) that the API then serves; Dump writes them
// back without any sensitive value, and seeding a fresh fake from the
// dump gives the same dump.
func TestSeedAndDump(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	if err := fake.Seed(strings.NewReader(fixtures)); err != nil {
		t.Fatal(err)
	}
	if v, _ := fake.SecretValue("acct", "TOKEN"); v != secretValue {
		t.Error("the seeded secret value was not stored")
	}
	_, body := do(t, fake, "GET", deployments+"/d1", nil)
	if got := decode(t, body); got["state"] != "FAILED" || !strings.Contains(string(body), "out of capacity") {
		t.Errorf("seeded deployment: %s", body)
	}
	_, body = do(t, fake, "GET", users+"/u1", nil)
	if got := decode(t, body); got["createTime"] != "2025-01-02T03:04:05Z" || got["state"] != "READY" {
		t.Errorf("seeded user: %s", body)
	}

	var dump bytes.Buffer
	if err := fake.Dump(&dump); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{secretValue, "fw-seeded-key-0123456789"} {
		if strings.Contains(dump.String(), secret) {
			t.Error("the dump holds a sensitive value")
		}
	}
	again, _ := gatewaytest.Start(t)
	if err := again.Seed(bytes.NewReader(dump.Bytes())); err != nil {
		t.Fatalf("seed from the dump: %v", err)
	}
	var dump2 bytes.Buffer
	if err := again.Dump(&dump2); err != nil {
		t.Fatal(err)
	}
	if dump.String() != dump2.String() {
		t.Errorf("dump of a fake seeded from a dump differs:\n%s\nwant\n%s", hide(dump2.String(), secretValue), hide(dump.String(), secretValue))
	}
}

// TestSeedErrors: a fixture that the spec refuses stops the seed with an
// error that names the fixture and the place, never a value (and, as
// TestSeedIsAtomic shows, stores none of the file).
func TestSeedErrors(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"not JSON", `{"resources": [` + secretValue, "not valid JSON"},
		{"an unknown envelope field", `{"resource": []}`, "not a fixtures file"},
		{"an unknown property", `{"resources": [{"name": "accounts/a/secrets/s", "resource": {"keyName": "K", "valu": "` + secretValue + `"}}]}`, "resource 0 (accounts/a/secrets/s): /valu: not a property of gen.Secret"},
		{"a wrong type", `{"resources": [{"name": "accounts/a/secrets/s", "resource": {"keyName": ["` + secretValue + `"]}}]}`, "resource 0 (accounts/a/secrets/s): does not match gen.Secret: response body at /keyName: got array, want string"},
		{"a state not of the enum", `{"resources": [{"name": "accounts/a/deployments/d", "resource": {"baseModel": "m", "state": "ALIVE"}}]}`, "state: not a state of gen.Deployment"},
		{"no such collection", `{"resources": [{"name": "accounts/a/nothings/n", "resource": {}}]}`, "not the name of a resource of any collection"},
		{"a missing parent", `{"resources": [{"name": "accounts/a/users/u/apiKeys/k", "resource": {}}]}`, "its parent accounts/a/users/u does not exist"},
		{"a duplicate", `{"resources": [{"name": "accounts/a/secrets/s", "resource": {"keyName": "K"}}, {"name": "accounts/a/secrets/s", "resource": {"keyName": "K"}}]}`, "resource 1 (accounts/a/secrets/s): it exists already"},
		{"a dot id", `{"resources": [{"name": "accounts/a/secrets/..", "resource": {"keyName": "K"}}]}`, "secret_id: the id must be"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := gatewaytest.NewHandler()
			if err != nil {
				t.Fatal(err)
			}
			err = h.Seed(strings.NewReader(tc.file))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one with %q", hide(fmt.Sprint(err), secretValue), tc.want)
			}
			if strings.Contains(err.Error(), secretValue) {
				t.Error("the error quotes the secret value")
			}
		})
	}
}

// TestSeedIsAtomic: a fixtures file that fails midway, whether a
// resource breaks its schema or only its place in the store does (a
// missing parent, a duplicate), stores none of its resources; what was
// stored before the seed stays.
func TestSeedIsAtomic(t *testing.T) {
	const good = `{"name": "accounts/acct/users/u1", "resource": {"role": "user"}},
	  {"name": "accounts/acct/users/u1/apiKeys/k1", "resource": {"displayName": "ci"}},
	  {"name": "accounts/acct/secrets/NEW", "resource": {"keyName": "K"}},`
	for name, bad := range map[string]string{
		"a schema error":   `{"name": "accounts/acct/secrets/BAD", "resource": {"keyName": 42}}`,
		"a missing parent": `{"name": "accounts/acct/users/u9/apiKeys/k1", "resource": {}}`,
		"a duplicate":      `{"name": "accounts/acct/secrets/NEW", "resource": {"keyName": "K"}}`,
		"an existing name": `{"name": "accounts/acct/secrets/OLD", "resource": {"keyName": "K"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			fake, _ := gatewaytest.Start(t)
			if err := fake.Put("accounts/acct/secrets/OLD", `{"keyName": "K"}`); err != nil {
				t.Fatal(err)
			}
			before := dump(t, fake)
			if err := fake.Seed(strings.NewReader(`{"resources": [` + good + bad + `]}`)); err == nil || !strings.Contains(err.Error(), "resource 3") {
				t.Fatalf("seed: %v, want an error naming resource 3", err)
			}
			if after := dump(t, fake); !bytes.Equal(before, after) {
				t.Errorf("a failed seed changed the store:\n%s\nwant\n%s", after, before)
			}
			if status, body := do(t, fake, "GET", users+"/u1", nil); status != http.StatusNotFound {
				t.Errorf("a user of the failed seed: %d %s, want 404", status, body)
			}
			if err := fake.Seed(strings.NewReader(`{"resources": [` + strings.TrimSuffix(good, ",") + `]}`)); err != nil {
				t.Errorf("the good part of the file, seeded after the failure: %v", err)
			}
		})
	}
}

// TestAdminEndpoints: the fake's own endpoints let a test in any language
// seed, dump, reset, force a state and step the clock.
func TestAdminEndpoints(t *testing.T) {
	fake, _ := gatewaytest.Start(t, gatewaytest.RequireAPIKey(gatewaytest.APIKey), gatewaytest.WithSettleAfter(60_000_000_000))
	steps := []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/_gatewaytest/state", fixtures, 200},
		{"POST", "/_gatewaytest/setState", `{"name": "accounts/acct/deployments/d1", "state": "CREATING"}`, 200},
		{"POST", "/_gatewaytest/setState", `{"name": "accounts/acct/deployments/d1", "state": "ALIVE"}`, 400},
		{"POST", "/_gatewaytest/advance", `{"duration": "1m"}`, 200},
		{"POST", "/_gatewaytest/advance", `{"duration": "soon"}`, 400},
		{"GET", "/_gatewaytest/nothing", "", 404},
	}
	for _, s := range steps {
		var body any
		if s.body != "" {
			body = []byte(s.body)
		}
		if status, resp := do(t, fake, s.method, s.path, body); status != s.want {
			t.Errorf("%s %s: %d %s, want %d", s.method, s.path, status, resp, s.want)
		}
	}
	if st := fake.State("accounts/acct/deployments/d1"); st != "READY" {
		t.Errorf("after setState CREATING and a minute: %s, want READY", st)
	}
	status, dump := do(t, fake, "GET", "/_gatewaytest/state", nil)
	if status != http.StatusOK || !strings.Contains(string(dump), "accounts/acct/users/u1/apiKeys/k1") || strings.Contains(string(dump), secretValue) {
		t.Errorf("dump: %d %s", status, hide(string(dump), secretValue))
	}
	req, _ := http.NewRequest("GET", fake.URL+"/_gatewaytest/state", nil)
	req.Header.Set("Authorization", "Bearer another-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the dump with another key: %d, want 401", resp.StatusCode)
	}
	if status, _ := do(t, fake, "DELETE", "/_gatewaytest/state", nil); status != http.StatusOK {
		t.Fatal("reset")
	}
	if _, ok := fake.Resource("accounts/acct/secrets/TOKEN"); ok {
		t.Error("a resource outlived the reset")
	}
}
