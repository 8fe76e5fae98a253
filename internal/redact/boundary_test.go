package redact_test

import (
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/internal/redact"
)

// Boundary inputs: texts that end in the middle of an escape, secrets
// found out of order or side by side. A one-character mistake in the
// matcher's bounds panics or leaks on them; the failure messages name the
// case and never print the secret.

// loneSurrogateBody is a request body whose secret value ends in a lone
// high surrogate escape, which encoding/json decodes to U+FFFD.
const loneSurrogateBody = `{"keyName":"K","value":"sk-secret-\ud83d"}`

// TestLoneSurrogateEscapeAtTheEndIsRedacted: a server that echoes the
// value as it was sent (a lone \ud83d, as Python writes it) at the very
// end of its text, or before a cut escape, has it redacted; a valid pair
// is another character, and another value.
func TestLoneSurrogateEscapeAtTheEndIsRedacted(t *testing.T) {
	secrets := redact.Collect(nil, []byte(loneSurrogateBody))
	if len(secrets) != 1 || secrets[0] != "sk-secret-\uFFFD" {
		t.Fatalf("Collect found %d values, want the one value ending in U+FFFD", len(secrets))
	}
	const p = redact.Placeholder
	cases := []struct{ name, text, want string }{
		{"at the very end", `bad value sk-secret-\ud83d`, "bad value " + p},
		{"inside a JSON string", `{"message":"bad value sk-secret-\ud83d"}`, `{"message":"bad value ` + p + `"}`},
		{"then a lone backslash at the end", `bad value sk-secret-\ud83d\`, "bad value " + p + `\`},
		{"then a cut escape", `sk-secret-\ud83d\u`, p + `\u`},
		{"then a cut low surrogate", `sk-secret-\ud83d\ude`, p + `\ude`},
		{"then another lone surrogate", `sk-secret-\ud83d\ud83d`, p + `\ud83d`},
		{"a valid pair is another value", `sk-secret-\ud83d\ude00`, `sk-secret-\ud83d\ude00`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := redact.String(tc.text, secrets)
			if got != tc.want {
				t.Errorf("String gave %d bytes with %d placeholders, want %d bytes with %d", len(got), strings.Count(got, p), len(tc.want), strings.Count(tc.want, p))
			}
			if b := redact.Bytes([]byte(tc.text), secrets); string(b) != got {
				t.Error("Bytes disagrees with String")
			}
		})
	}
}

// TestTextsEndingInsideAnEscape: a text cut anywhere in an escape (the
// last byte a backslash, a \u with fewer than four digits, half a
// surrogate pair) is read without a panic, and a secret before the cut
// is still redacted, in any reading.
func TestTextsEndingInsideAnEscape(t *testing.T) {
	const secret = "sk-päss-1"
	escaped := `sk-p\u00e4ss-1` // the secret, ASCII-only
	for _, tail := range []string{``, `\`, `\u`, `\u0`, `\u00`, `\u00e`, `\ud83d`, `\ud83d\`, `\ud83d\u`, `\ud83d\ude0`, `\"`, `\\`} {
		for _, head := range []string{secret, escaped} {
			text := "x " + head + " " + tail
			got := redact.String(text, []string{secret})
			if want := "x " + redact.Placeholder + " " + tail; got != want {
				t.Errorf("secret written %s, text ending in %q: got %d bytes, want %q", map[bool]string{true: "as it is", false: "escaped"}[head == secret], tail, len(got), want)
			}
		}
	}
}

// TestEveryJSONEscapeIsDecoded: a secret holding each character that
// JSON writes with a short escape is found when written that way.
func TestEveryJSONEscapeIsDecoded(t *testing.T) {
	for _, tc := range []struct{ name, secret, escaped string }{
		{"backspace", "sk-a\bb-1", `sk-a\bb-1`},
		{"form feed", "sk-a\fb-1", `sk-a\fb-1`},
		{"newline", "sk-a\nb-1", `sk-a\nb-1`},
		{"carriage return", "sk-a\rb-1", `sk-a\rb-1`},
		{"tab", "sk-a\tb-1", `sk-a\tb-1`},
		{"slash", "sk-a/b-1", `sk-a\/b-1`},
		{"quote", `sk-a"b-1`, `sk-a\"b-1`},
		{"backslash", `sk-a\b-1`, `sk-a\\b-1`},
	} {
		got := redact.String(`{"m":"`+tc.escaped+`"}`, []string{tc.secret})
		if got != `{"m":"`+redact.Placeholder+`"}` {
			t.Errorf("%s: the secret written with its escape was not redacted (%d bytes left)", tc.name, len(got))
		}
	}
}

// TestSecretsFoundOutOfOrderAreAllRedacted: secrets are searched one
// after another, and each in several readings; where they are found in
// another order than the text's, every one is still replaced.
func TestSecretsFoundOutOfOrderAreAllRedacted(t *testing.T) {
	const p = redact.Placeholder
	cases := []struct {
		name    string
		secrets []string
		text    string
		want    string
	}{
		{"the second secret comes first", []string{"a-secret-1", "b-secret-2"}, "b-secret-2 then a-secret-1", p + " then " + p},
		{"three, in reverse", []string{"a-secret-1", "b-secret-2", "c-secret-3"}, "c-secret-3, b-secret-2, a-secret-1", p + ", " + p + ", " + p},
		{"an escaped occurrence before a plain one", []string{"päss-word-1"}, `päss-word-1 and p\u00e4ss-word-1`, p + " and " + p},
		{"a plain occurrence after an escaped one", []string{"päss-word-1"}, `p\u00e4ss-word-1 and päss-word-1`, p + " and " + p},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := redact.String(tc.text, tc.secrets); got != tc.want {
				t.Errorf("String left %d bytes with %d placeholders, want %d placeholders", len(got), strings.Count(got, p), strings.Count(tc.want, p))
			}
		})
	}
}

// TestTouchingSecretsBecomeOnePlaceholder: secrets side by side, with
// nothing between them, are one placeholder, as overlapping ones are.
func TestTouchingSecretsBecomeOnePlaceholder(t *testing.T) {
	got := redact.String("x secret-one-1secret-two-2 y", []string{"secret-one-1", "secret-two-2"})
	if want := "x " + redact.Placeholder + " y"; got != want {
		t.Errorf("got %d placeholders in %d bytes, want one placeholder for the two touching secrets", strings.Count(got, redact.Placeholder), len(got))
	}
	got = redact.String("x secret-one-1 secret-two-2 y", []string{"secret-one-1", "secret-two-2"})
	if want := "x " + redact.Placeholder + " " + redact.Placeholder + " y"; got != want {
		t.Errorf("got %d placeholders in %d bytes, want two for secrets a space apart", strings.Count(got, redact.Placeholder), len(got))
	}
}

// TestMayHoldSensitive: a body names a sensitive property plainly, or
// may spell it with escapes as soon as it holds a backslash, wherever
// that backslash is.
func TestMayHoldSensitive(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       bool
	}{
		{"a sensitive name", `{"value":"x"}`, true},
		{"another sensitive name", `{"apiKey":1}`, true},
		{"no sensitive name", `{"keyName":"K","message":"no secret here"}`, false},
		{"a name without quotes", `value: x`, false},
		{"nothing", ``, false},
		{"the only backslash first", `\u0076alue":"sk-secret-1"`, true},
		{"a name spelled with an escape", `{"v\u0061lue":"x"}`, true},
		{"a backslash last", `x\`, true},
	} {
		if got := redact.MayHoldSensitive([]byte(tc.body)); got != tc.want {
			t.Errorf("%s: MayHoldSensitive = %v, want %v", tc.name, got, tc.want)
		}
	}
}
