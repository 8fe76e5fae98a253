package gatewaytest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

// FuzzJournalRedaction: a secret value sent as a Secret's value, and also
// placed anywhere else in the request (another body field, the query, a
// header, the path), never appears in the fake's journal or in its answer,
// whatever the body's encoding (where / 5: JSON, a form as curl -d sends
// it, JSON with junk after it, JSON sent as text/plain).
// Secrets shorter than 8 bytes, or that the fixed text of a request already
// holds, are skipped: they cannot be told apart from that text; so are
// invalid UTF-8 strings, which a JSON body cannot carry.
func FuzzJournalRedaction(f *testing.F) {
	for _, seed := range []struct {
		secret string
		where  uint8
	}{
		{"sk-1234567890abcdef", 0},
		{"sk-1234567890abcdef", 1},
		{"sk-1234567890abcdef", 2},
		{"sk-1234567890abcdef", 3},
		{"sk-1234567890abcdef", 4},
		{`quote"and\backslash`, 1},
		{"<html>&amp;secret", 2},
		{"ünïcödé-sécret", 3},
		{"with space and/slash", 4},
		{"%2F%2e%2e-encoded", 2},
		{"sk-form-secret-value", 5},
		{"sk-form-secret-value", 7},
		{"sk-form-secret-value", 8},
		{"with space&and=form", 6},
		{"sk-malformed-json-1", 10},
		{"sk-malformed-json-1", 13},
		{"sk-as-plain-text-12", 15},
		{"sk-as-plain-text-12", 18},
		{`quote"and\backslash`, 12},
	} {
		f.Add(seed.secret, seed.where)
	}
	fake, err := gatewaytest.NewHandler()
	if err != nil {
		f.Fatal(err)
	}
	// Secret S exists before any input, so that each create answers 409
	// whatever ran before it in this process (the fuzzer hands inputs to
	// its workers in any order): a create that succeeded would rightly
	// echo a keyName that holds the secret.
	if err := fake.AddSecret("acct", "S", "K", "existing-value"); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, secret string, where uint8) {
		if len(secret) < 8 || !utf8.ValidString(secret) {
			t.Skip() // a JSON body cannot carry invalid UTF-8: it would be another value
		}
		build := func(secret string) (string, string, http.Header) {
			body := map[string]any{"name": "S", "keyName": "K", "value": secret}
			target := "/v1/accounts/acct/secrets"
			header := http.Header{"Authorization": {"Bearer test-key"}, "Content-Type": {"application/json"}}
			switch where % 5 {
			case 1:
				body["keyName"] = "K-" + secret
			case 2:
				target += "?" + url.Values{"filter": {"value=" + secret}}.Encode()
			case 3:
				header.Set("X-Trace", "t "+secret)
			case 4:
				target = "/v1/accounts/" + url.PathEscape(secret) + "/secrets"
			}
			raw, _ := json.Marshal(body)
			switch where / 5 % 4 {
			case 1:
				form := url.Values{}
				for k, v := range body {
					form.Set(k, v.(string))
				}
				header.Set("Content-Type", "application/x-www-form-urlencoded")
				return form.Encode(), target, header
			case 2:
				return string(raw) + "}junk", target, header
			case 3:
				header.Set("Content-Type", "text/plain")
			}
			return string(raw), target, header
		}
		// The request's own fixed text, with a neutral value in the
		// secret's places: a secret found there is not one to look for.
		nb, nt, nh := build("\x01")
		if strings.Contains(nb+nt+fmt.Sprint(nh)+"[REDACTED]", secret) {
			t.Skip()
		}
		raw, target, header := build(secret)
		fake.ResetJournal()
		req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(raw))
		req.Header = header
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, req)

		if strings.Contains(rec.Body.String(), secret) && where%5 != 4 {
			t.Error("the fake's answer holds the secret value")
		}
		for _, e := range fake.Journal() {
			for part, text := range map[string]string{"body": e.Body, "query": e.Query, "path": e.Path, "header": fmt.Sprint(e.Header)} {
				if strings.Contains(text, secret) {
					t.Errorf("the journal's %s holds the secret value (placed in location %d)", part, where%5)
				}
			}
		}
	})
}
