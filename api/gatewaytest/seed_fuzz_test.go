package gatewaytest_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

// FuzzSeed: any file Seed is given is stored or refused, never a panic. A
// secret placed (where the file says SECRET) only in sensitive fields (a
// Secret's value, an API key's key) never reaches an error or the dump;
// and a file Seed takes dumps to a file that seeds a fresh fake to the
// same dump.
func FuzzSeed(f *testing.F) {
	f.Add(fixtures, secretValue)
	f.Add(`{"resources":[{"name":"accounts/a/secrets/s","resource":{"keyName":"K","value":"SECRET"}}]}`, "sk-fuzz-secret-value")
	f.Add(`{"resources":[{"name":"accounts/a/users/u","resource":{"role":"r"}},{"name":"accounts/a/users/u/apiKeys/k","resource":{"key":"SECRET"}}]}`, "fw-fuzz-key-value")
	f.Add(`{"resources":[{"name":"accounts/a/secrets/s","resource":{"keyName":5,"value":"SECRET"}}]}`, "sk-fuzz-secret-value")
	f.Add(`{"resources":[{"name":"accounts/a/deployments/d","resource":{"baseModel":"m","state":"DELETED"}}]}`, "sk-fuzz-secret-value")
	f.Add(`{"resources":null}`, "sk-fuzz-secret-value")
	f.Add(`[]`, "sk-fuzz-secret-value")
	f.Fuzz(func(t *testing.T, template, secret string) {
		if len(secret) < 8 || strings.ContainsAny(secret, "\"\\<>&") || strings.Contains(template, secret) {
			return // too short to tell apart, not a plain JSON string, or in the template's own text
		}
		guarded := onlyInSensitiveFields(template)
		file := strings.ReplaceAll(template, "SECRET", secret)
		h, err := gatewaytest.NewHandler()
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Seed(strings.NewReader(file)); err != nil {
			if guarded && strings.Contains(err.Error(), secret) {
				t.Fatalf("the error quotes a sensitive value: %s", hide(err.Error(), secret))
			}
			return
		}
		var dump bytes.Buffer
		if err := h.Dump(&dump); err != nil {
			t.Fatal(err)
		}
		if guarded && strings.Contains(dump.String(), secret) {
			t.Fatalf("the dump holds the value of a sensitive field:\n%s", hide(dump.String(), secret))
		}
		again, err := gatewaytest.NewHandler()
		if err != nil {
			t.Fatal(err)
		}
		if err := again.Seed(bytes.NewReader(dump.Bytes())); err != nil {
			t.Fatalf("the dump does not seed: %v\n%s", err, dump.String())
		}
		var dump2 bytes.Buffer
		if err := again.Dump(&dump2); err != nil {
			t.Fatal(err)
		}
		if dump.String() != dump2.String() {
			t.Fatalf("round trip differs:\n%s\nwant\n%s", dump2.String(), dump.String())
		}
	})
}

// onlyInSensitiveFields reports whether every SECRET of a fixtures
// template is the whole value of a Secret's value or of an API key's key.
func onlyInSensitiveFields(template string) bool {
	var f gatewaytest.Fixtures
	if json.Unmarshal([]byte(template), &f) != nil {
		return false
	}
	placed := 0
	for _, fx := range f.Resources {
		var r map[string]any
		if json.Unmarshal(fx.Resource, &r) != nil {
			return false
		}
		switch {
		case strings.Contains(fx.Name, "/secrets/") && r["value"] == "SECRET":
			placed++
		case strings.Contains(fx.Name, "/apiKeys/") && r["key"] == "SECRET":
			placed++
		}
	}
	return placed > 0 && placed == strings.Count(template, "SECRET")
}
