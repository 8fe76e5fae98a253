package gatewaytest_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

// firstToken lists path with pageSize=1 and returns the page token.
func firstToken(t *testing.T, fake *gatewaytest.Server, path, query string) string {
	t.Helper()
	status, body := do(t, fake, "GET", path+"?pageSize=1"+query, nil)
	tok, _ := decode(t, body)["nextPageToken"].(string)
	if status != http.StatusOK || tok == "" {
		t.Fatalf("GET %s: %d %s, want a page with a nextPageToken", path, status, body)
	}
	return tok
}

// wantInvalidPageToken: the listing refuses the token with 400
// INVALID_ARGUMENT.
func wantInvalidPageToken(t *testing.T, fake *gatewaytest.Server, what, path, query, tok string) {
	t.Helper()
	status, body := do(t, fake, "GET", path+"?pageSize=1"+query+"&pageToken="+tok, nil)
	if code, _ := decode(t, body)["code"].(float64); status != http.StatusBadRequest || code != 3 {
		t.Errorf("%s: %d %s, want 400 INVALID_ARGUMENT", what, status, body)
	}
}

// TestPageTokensCannotBeForged: a page token is good for the next page of
// the listing that issued it only; one of another collection, another
// account, another filter or showDeleted, one another fake issued, one
// made up, and one edited are all 400 INVALID_ARGUMENT.
func TestPageTokensCannotBeForged(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	other, _ := gatewaytest.Start(t)
	for _, f := range []*gatewaytest.Server{fake, other} {
		for _, account := range []string{"acct", "acct2"} {
			for _, id := range []string{"a1", "a2", "a3"} {
				if err := f.AddSecret(account, id, "K_"+id, "secret-"+id); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for _, id := range []string{"d1", "d2"} {
		if status, body := do(t, fake, "POST", "/v1/accounts/acct/deployments?deploymentId="+id, map[string]any{"baseModel": "m"}); status != http.StatusOK {
			t.Fatalf("create deployment: %d %s", status, body)
		}
	}
	const secrets, secrets2, deployments = "/v1/accounts/acct/secrets", "/v1/accounts/acct2/secrets", "/v1/accounts/acct/deployments"
	tok := firstToken(t, fake, secrets, "")

	status, body := do(t, fake, "GET", secrets+"?pageSize=2&pageToken="+tok, nil)
	if status != http.StatusOK || !strings.Contains(string(body), "secrets/a2") || strings.Contains(string(body), "secrets/a1") {
		t.Errorf("the next page of the same listing (another pageSize): %d %s", status, body)
	}

	wantInvalidPageToken(t, fake, "a token of another collection", deployments, "", tok)
	wantInvalidPageToken(t, fake, "a token of another account", secrets2, "", tok)
	wantInvalidPageToken(t, fake, "a token of another filter", secrets, "&filter=keyName%3D%22K_a2%22", tok)
	wantInvalidPageToken(t, fake, "a token of another showDeleted", secrets, "&showDeleted=true", tok)
	wantInvalidPageToken(t, fake, "a token of another fake", secrets, "", firstToken(t, other, secrets, ""))
	wantInvalidPageToken(t, fake, "a deployments token on secrets", secrets, "", firstToken(t, fake, deployments, ""))

	payload, mac, ok := strings.Cut(tok, ".")
	if !ok {
		t.Fatalf("token %q has no signature part", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		t.Fatalf("token payload: %v", err)
	}
	edited := strings.Replace(string(raw), `"a1"`, `"a2"`, 1)
	if edited == string(raw) {
		t.Fatalf("token payload %s does not name the last item a1", raw)
	}
	wantInvalidPageToken(t, fake, "an edited token", secrets, "", base64.RawURLEncoding.EncodeToString([]byte(edited))+"."+mac)
	wantInvalidPageToken(t, fake, "a token without its signature", secrets, "", payload)
	wantInvalidPageToken(t, fake, "a token with a made-up signature", secrets, "", payload+".AAAAAAAAAAAAAAAAAAAAAA")
	wantInvalidPageToken(t, fake, "a token with a signature cut short", secrets, "", payload+"."+mac[:len(mac)-2])
	wantInvalidPageToken(t, fake, "a made-up token", secrets, "", base64.RawURLEncoding.EncodeToString([]byte(`{"c":"accounts/{account_id}/secrets/{secret_id}","p":"accounts/acct","o":"name","i":"a1"}`)))
}
