package redact_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/internal/redact"
)

// The fixtures are made-up values; the failure messages name cases, and
// never print a secret that should have been redacted.

func TestStringFindsEveryWayASecretIsWritten(t *testing.T) {
	const p = redact.Placeholder
	cases := []struct {
		name, secret, text, want string
	}{
		{"as it is", "sk-secret-1", "bad value sk-secret-1!", "bad value " + p + "!"},
		{"every occurrence", "sk-secret-1", "sk-secret-1 and sk-secret-1", p + " and " + p},
		{"Go's HTML escaping", "sk-<a>&b-1", `{"m":"sk-\u003ca\u003e\u0026b-1"}`, `{"m":"` + p + `"}`},
		{"quote and backslash escaped", `sk-"q"\b-1`, `{"m":"sk-\"q\"\\b-1"}`, `{"m":"` + p + `"}`},
		{"ASCII-only, lower-case hex", "pässwörd-1", `{"m":"p\u00e4ssw\u00f6rd-1"}`, `{"m":"` + p + `"}`},
		{"ASCII-only, upper-case hex", "pässwörd-1", `{"m":"p\u00E4ssw\u00F6rd-1"}`, `{"m":"` + p + `"}`},
		{"surrogate pair", "key-🔑-1", `{"m":"key-\ud83d\udd11-1"}`, `{"m":"` + p + `"}`},
		{"slash escaped", "a/b/c/d-1", `{"m":"a\/b\/c\/d-1"}`, `{"m":"` + p + `"}`},
		{"every character escaped", "abcdef", `"\u0061\u0062\u0063\u0064\u0065\u0066"`, `"` + p + `"`},
		{"JSON quoted in JSON", "pä\"ss-1", `{"m":"{\"v\":\"p\\u00e4\\\"ss-1\"}"}`, `{"m":"{\"v\":\"` + p + `\"}"}`},
		{"invalid UTF-8 as encoding/json sends it", "bad\xffvalue", `{"m":"bad\ufffdvalue"}`, `{"m":"` + p + `"}`},
		{"a secret that looks like an escape", `sk-\u0041-1`, `sk-\u0041-1 and sk-\\u0041-1`, p + " and " + p},
		{"overlapping occurrences become one", "abcabcab", "x abcabcabcab y", "x " + p + " y"},
		{"shorter than MinLen: left alone", "abcde", "abcde", "abcde"},
		{"no secret: unchanged", "sk-secret-1", `C:\new\path "quoted"`, `C:\new\path "quoted"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := redact.String(tc.text, []string{tc.secret}); got != tc.want {
				t.Errorf("String gave %d bytes (placeholders: %d), not the %d expected", len(got), strings.Count(got, p), len(tc.want))
			}
			if got := redact.Bytes([]byte(tc.text), []string{tc.secret}); string(got) != tc.want {
				t.Error("Bytes disagrees with the expected text")
			}
		})
	}
}

func TestOverlappingSecretsLeaveNoTail(t *testing.T) {
	// The API key and a value that shares its end: replacing one after the
	// other would leave "-tail" or "fw-key-" behind.
	secrets := []string{"fw-key-0123456789", "0123456789-tail"}
	if got := redact.String("x fw-key-0123456789-tail y", secrets); got != "x "+redact.Placeholder+" y" {
		t.Errorf("got %d placeholders and %d bytes; want one placeholder for the two overlapping secrets", strings.Count(got, redact.Placeholder), len(got))
	}
}

func TestCollect(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"sensitive properties at any depth", `{"value":"secret-1","a":[{"apiKey":"secret-2"}],"keyName":"not-a-secret"}`, []string{"secret-1", "secret-2"}},
		{"shorter than MinLen", `{"value":"abc"}`, nil},
		{"not strings", `{"value":12345678,"key":{"value":"nested-1"}}`, []string{"nested-1"}},
		{"duplicate names: both", `{"value":"first-1","value":"second-1"}`, []string{"first-1", "second-1"}},
		{"a name spelled with escapes", `{"v\u0061lue":"escaped-1"}`, []string{"escaped-1"}},
		{"a value with escapes, decoded", `{"value":"p\u00e4ss-1"}`, []string{"päss-1"}},
		{"cut short: what came before", `{"value":"kept-1","other":"x","key":"cut-sho`, []string{"kept-1"}},
		{"garbage after a document", `{"value":"kept-1"} <html>`, []string{"kept-1"}},
		{"not JSON", `value: "secret-1"`, nil},
		{"a string array element is no name", `["value","not-a-secret"]`, nil},
		{"every string of a sensitive array", `{"directRouteApiKeys":["key-aaaaaaaa","key-bbbbbbbb"],"names":["not-a-secret"]}`, []string{"key-aaaaaaaa", "key-bbbbbbbb"}},
		{"only the sensitive array's own strings", `{"directRouteApiKeys":[{"name":"not-a-secret","key":"nested-key-1"}],"after":"not-a-secret"}`, []string{"nested-key-1"}},
		{"session tokens", `{"token":"jwt-aaaa.bbbb","refreshToken":"refresh-1234"}`, []string{"jwt-aaaa.bbbb", "refresh-1234"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := redact.Collect(nil, []byte(tc.body)); !slices.Equal(got, tc.want) {
				t.Errorf("Collect found %d values, want %d", len(got), len(tc.want))
			}
		})
	}
}

// TestRedactionTakesLinearTime: the text comes from a server, so texts
// built to make a matcher backtrack must not slow redaction down. A
// matcher that tried every reading at every position took 37 s on the
// backslash case; the bound is far above what a linear one takes, even
// under -race on a busy machine.
func TestRedactionTakesLinearTime(t *testing.T) {
	cases := []struct{ name, text, secret string }{
		{"periodic text", strings.Repeat("a", 64<<10), strings.Repeat("a", 1000)},
		{"backslashes", strings.Repeat(`\`, 64<<10), strings.Repeat(`\`, 100)},
		{"escapes", strings.Repeat(`\u0061`, 10<<10), strings.Repeat("a", 500)},
	}
	for _, tc := range cases {
		start := time.Now()
		_ = redact.String(tc.text, []string{tc.secret})
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("%s: %v", tc.name, took)
		}
	}
}
