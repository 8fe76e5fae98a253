package gatewaytest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// serve sends one request straight to a handler and returns the answer.
func serve(t *testing.T, h http.Handler, method, target, contentType string, body io.Reader, length int64) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	req.ContentLength = length
	req.Header.Set("Authorization", "Bearer "+gatewaytest.APIKey)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// padded is a valid Create secret body followed by n bytes of spaces and
// then tail.
func padded(n int, tail string) []byte {
	head := []byte(`{"name":"S","keyName":"K","value":"v"}`)
	out := make([]byte, 0, len(head)+n+len(tail))
	out = append(out, head...)
	out = append(out, bytes.Repeat([]byte(" "), n)...)
	return append(out, tail...)
}

// TestTheWholeBodyIsJudged: valid JSON followed by 9 MiB of spaces and
// then junk is refused as invalid JSON (400), not judged on a prefix and
// stored; a body up to MaxRequestBody is read whole and taken.
func TestTheWholeBodyIsJudged(t *testing.T) {
	h, err := gatewaytest.NewHandler()
	if err != nil {
		t.Fatal(err)
	}
	junk := padded(9<<20, "junk")
	rec := serve(t, h, http.MethodPost, "/v1/accounts/acct/secrets", "application/json", bytes.NewReader(junk), int64(len(junk)))
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("JSON, 9 MiB of spaces, junk: %d %.200s, want 400", rec.Code, rec.Body)
	}
	if _, ok := h.SecretValue("acct", "S"); ok {
		t.Error("the secret of a body with junk after 9 MiB was stored")
	}
	full := padded(gatewaytest.MaxRequestBody-len(padded(0, "")), "")
	rec = serve(t, h, http.MethodPost, "/v1/accounts/acct/secrets", "application/json", bytes.NewReader(full), int64(len(full)))
	if rec.Code != http.StatusOK {
		t.Fatalf("a body of exactly MaxRequestBody bytes: %d %.200s, want 200", rec.Code, rec.Body)
	}
}

// TestABodyBeyondTheLimitIs413: a body one byte longer than
// MaxRequestBody is refused with 413 and a Gateway error of code
// RESOURCE_EXHAUSTED, whether it declares its length or is chunked, and
// nothing is stored; the journal records the request without its body.
func TestABodyBeyondTheLimitIs413(t *testing.T) {
	over := padded(gatewaytest.MaxRequestBody-len(padded(0, ""))+1, "")
	for name, length := range map[string]int64{"declared": int64(len(over)), "chunked": -1} {
		t.Run(name, func(t *testing.T) {
			h, err := gatewaytest.NewHandler()
			if err != nil {
				t.Fatal(err)
			}
			rec := serve(t, h, http.MethodPost, "/v1/accounts/acct/secrets", "application/json", bytes.NewReader(over), length)
			var status struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
				Details []any  `json:"details"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &status); err != nil || rec.Code != http.StatusRequestEntityTooLarge || status.Code != 8 || status.Details == nil {
				t.Fatalf("answer %d %s, want 413 with a google.rpc.Status of code 8", rec.Code, rec.Body)
			}
			if _, ok := h.SecretValue("acct", "S"); ok {
				t.Error("the secret of a body beyond the limit was stored")
			}
			entries := h.Requests(gen.OpCreateSecret)
			if len(entries) != 1 || len(entries[0].Body) > 100 {
				t.Errorf("the journal has %d CreateSecret entries (want 1, without the body)", len(entries))
			}
		})
	}
}

// TestJournalKeepsNoBodyItCannotRedact: a secret sent in a body that is
// not JSON (a form, as curl -d sends; malformed JSON; plain text) never
// reaches the journal, nor the answer; a form's secret (even beside a
// malformed pair) is also redacted where the query repeats it.
func TestJournalKeepsNoBodyItCannotRedact(t *testing.T) {
	const secret = "sk-form-secret-0123456789"
	cases := []struct{ name, contentType, body string }{
		{"form", "application/x-www-form-urlencoded", "keyName=K&value=" + secret},
		{"form as JSON", "application/json", "value=" + secret},
		{"form with a malformed pair", "application/x-www-form-urlencoded", "a=%zz&value=" + secret},
		{"unquoted names", "application/json", `{keyName:"K",value:"` + secret + `"}`},
		{"cut short", "application/json", `{"keyName":"K","val`},
		{"plain text", "text/plain", secret},
		{"no content type", "", `value: ` + secret},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, err := gatewaytest.NewHandler()
			if err != nil {
				t.Fatal(err)
			}
			rec := serve(t, h, http.MethodPost, "/v1/accounts/acct/secrets?filter=value%3D"+secret, tc.contentType, strings.NewReader(tc.body), int64(len(tc.body)))
			if rec.Code != http.StatusBadRequest {
				t.Errorf("answer %d, want 400", rec.Code)
			}
			if strings.Contains(rec.Body.String(), secret) {
				t.Error("the answer holds the secret value")
			}
			entries := h.Journal()
			if len(entries) != 1 {
				t.Fatalf("%d journal entries, want 1", len(entries))
			}
			e := entries[0]
			if strings.Contains(e.Body, secret) || (strings.Contains(tc.body, "val") && strings.Contains(e.Body, tc.body)) {
				t.Errorf("the journal keeps the body: %s", hide(e.Body, secret))
			}
			if strings.HasPrefix(tc.name, "form") && strings.Contains(e.Query, secret) {
				t.Errorf("the journal's query holds the form's secret: %s", hide(e.Query, secret))
			}
		})
	}
}

// TestAdminBodiesAreJudgedWhole: the fake's admin endpoints judge their
// whole body too: data after the JSON value is 400, a body beyond their
// limit 413 (the state's limit is the seed's, 64 MiB).
func TestAdminBodiesAreJudgedWhole(t *testing.T) {
	h, err := gatewaytest.NewHandler()
	if err != nil {
		t.Fatal(err)
	}
	junk := `{"duration":"90s"}` + strings.Repeat(" ", 2<<10) + "junk"
	if rec := serve(t, h, http.MethodPost, "/_gatewaytest/advance", "application/json", strings.NewReader(junk), int64(len(junk))); rec.Code != http.StatusBadRequest {
		t.Errorf("advance with junk after its JSON: %d %s, want 400", rec.Code, rec.Body)
	}
	big := `{"duration":"90s"}` + strings.Repeat(" ", 1<<20)
	if rec := serve(t, h, http.MethodPost, "/_gatewaytest/advance", "application/json", strings.NewReader(big), -1); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("advance with a body beyond 1 MiB: %d %s, want 413", rec.Code, rec.Body)
	}
	seed := `{"resources":[]}`
	if rec := serve(t, h, http.MethodPost, "/_gatewaytest/state", "application/json", strings.NewReader(seed), 64<<20+1); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a state declaring more than 64 MiB: %d %s, want 413", rec.Code, rec.Body)
	}
	if rec := serve(t, h, http.MethodPost, "/_gatewaytest/state", "application/json", strings.NewReader(seed), int64(len(seed))); rec.Code != http.StatusOK {
		t.Errorf("a small state: %d %s, want 200", rec.Code, rec.Body)
	}
}
