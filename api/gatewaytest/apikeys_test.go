package gatewaytest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

const users = "/v1/accounts/acct/users"

// TestAPIKeysNestedUnderUsers: API keys live under a user, which must
// exist; a key's id is generated (keyId, its naming field); its secret
// value is generated and shown once, in the create response, then never
// (not by get, list, or a dump), though the test can read it; delete is
// the spec's POST apiKeys:delete naming the key in its body.
func TestAPIKeysNestedUnderUsers(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	keys := users + "/u1/apiKeys"
	newKey := map[string]any{"apiKey": map[string]any{"displayName": "ci"}}

	if status, body := do(t, fake, "POST", keys, newKey); status != http.StatusNotFound || !strings.Contains(string(body), "accounts/acct/users/u1 not found") {
		t.Errorf("a key of a missing user: %d %s, want 404 naming the user", status, body)
	}
	if status, body := do(t, fake, "GET", keys, nil); status != http.StatusNotFound {
		t.Errorf("the keys of a missing user: %d %s, want 404", status, body)
	}
	if status, body := do(t, fake, "POST", users+"?userId=u1", map[string]any{"role": "user"}); status != http.StatusOK {
		t.Fatalf("create user: %d %s", status, body)
	}

	status, body := do(t, fake, "POST", keys, newKey)
	if status != http.StatusOK {
		t.Fatalf("create key: %d", status)
	}
	created := decode(t, body)
	keyID, _ := created["keyId"].(string)
	secret, _ := created["key"].(string)
	if keyID == "" || secret == "" || created["displayName"] != "ci" || created["createTime"] == nil {
		t.Fatalf("created a key with keyId %q, a key: %v, displayName %v, createTime %v", keyID, secret != "", created["displayName"], created["createTime"])
	}
	name := "accounts/acct/users/u1/apiKeys/" + keyID
	if stored, _ := fake.StoredValue(name, "/key"); string(stored) != `"`+secret+`"` {
		t.Error("StoredValue does not show the key that was returned")
	}

	_, got := do(t, fake, "GET", keys+"/"+keyID, nil)
	_, listed := do(t, fake, "GET", keys, nil)
	var dump bytes.Buffer
	if err := fake.Dump(&dump); err != nil {
		t.Fatal(err)
	}
	for where, text := range map[string][]byte{"get": got, "list": listed, "dump": dump.Bytes()} {
		if bytes.Contains(text, []byte(secret)) {
			t.Errorf("the key's value is in the %s", where)
		}
	}
	if !bytes.Contains(listed, []byte(keyID)) {
		t.Errorf("list: %s", listed)
	}

	if status, body := do(t, fake, "POST", keys+":delete", map[string]any{"keyId": keyID}); status != http.StatusOK {
		t.Fatalf("delete: %d %s", status, body)
	}
	if status, _ := do(t, fake, "GET", keys+"/"+keyID, nil); status != http.StatusNotFound {
		t.Errorf("get after delete: %d, want 404", status)
	}
	if status, _ := do(t, fake, "POST", keys+":delete", map[string]any{"keyId": keyID}); status != http.StatusNotFound {
		t.Errorf("second delete: %d, want 404", status)
	}
}

// TestDeletingAParentDeletesItsChildren: evaluator versions live under
// their evaluator; once it is gone, so are they, and listing them is 404.
func TestDeletingAParentDeletesItsChildren(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	for _, name := range []string{"accounts/acct/evaluators/e1", "accounts/acct/evaluators/e1/versions/v1", "accounts/acct/evaluators/e1/versions/v2"} {
		if err := fake.Put(name, "{}"); err != nil {
			t.Fatal(err)
		}
	}
	if got := listNames(t, fake, "/v1/accounts/acct/evaluators/e1/versions", ""); strings.Join(got, " ") != "v1 v2" {
		t.Errorf("versions %v", got)
	}
	if status, body := do(t, fake, "DELETE", "/v1/accounts/acct/evaluators/e1", nil); status != http.StatusOK {
		t.Fatalf("delete: %d %s", status, body)
	}
	if _, ok := fake.Resource("accounts/acct/evaluators/e1/versions/v1"); ok {
		t.Error("a version outlived its evaluator")
	}
	if status, _ := do(t, fake, "GET", "/v1/accounts/acct/evaluators/e1/versions", nil); status != http.StatusNotFound {
		t.Errorf("list under a deleted evaluator: %d, want 404", status)
	}
	if err := fake.Put("accounts/acct/evaluators/e1/versions/v3", "{}"); err == nil {
		t.Error("Put a version of a missing evaluator")
	}
}

// TestSecretValueStaysInTheFake: a Secret's value (INPUT_ONLY) is stored
// from create and update and never returned; an update without it keeps
// it; an updateMask that names value without sending it clears it, one
// that does not name it leaves it.
func TestSecretValueStaysInTheFake(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	const s = "/v1/accounts/acct/secrets/TOKEN"
	value := func() string {
		v, ok := fake.SecretValue("acct", "TOKEN")
		if !ok {
			t.Fatal("no secret")
		}
		return v
	}
	steps := []struct {
		method, path string
		body         map[string]any
		wantValue    string
	}{
		{"POST", "/v1/accounts/acct/secrets", map[string]any{"name": "TOKEN", "keyName": "K", "value": secretValue}, secretValue},
		{"PATCH", s, map[string]any{"keyName": "K2"}, secretValue},
		{"PATCH", s + "?updateMask=keyName", map[string]any{"keyName": "K3", "value": "sk-not-masked-in"}, secretValue},
		{"PATCH", s, map[string]any{"keyName": "K4", "value": "sk-rotated-0000"}, "sk-rotated-0000"},
		{"PATCH", s + "?updateMask=key_name,value", map[string]any{"keyName": "K5"}, ""},
	}
	for i, step := range steps {
		status, body := do(t, fake, step.method, step.path, step.body)
		if status != http.StatusOK {
			t.Fatalf("step %d: %d %s", i, status, body)
		}
		if strings.Contains(string(body), `"value"`) {
			t.Errorf("step %d answered a value", i)
		}
		if got := value(); got != step.wantValue {
			t.Errorf("step %d: the stored value is not the one step %d should leave (stored: %v)", i, i, got != "")
		}
	}
	if status, body := do(t, fake, "PATCH", s+"?updateMask=noSuchField", map[string]any{"keyName": "K"}); status != http.StatusBadRequest {
		t.Errorf("an updateMask naming no field: %d %s, want 400", status, body)
	}
	var got map[string]any
	_, body := do(t, fake, "GET", s, nil)
	_ = json.Unmarshal(body, &got)
	if got["keyName"] != "K5" || got["value"] != nil {
		t.Errorf("get: %s", body)
	}
}
