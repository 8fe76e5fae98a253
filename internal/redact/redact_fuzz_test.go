package redact_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fireworks-gateway/go-sdk/internal/redact"
)

// FuzzCollect: on any bytes, Collect never panics and only returns
// values of at least MinLen; on a JSON document it finds every value that
// decoding the whole document finds; and on any prefix of a document (a
// body cut short) it finds exactly the first values it finds on the whole,
// in the same order.
func FuzzCollect(f *testing.F) {
	// testdata/fuzz/FuzzCollect: what the first Collect missed.
	for _, seed := range []string{
		`{"value":"sk-secret-1"}`,
		`{"keyName":"K","value":"short"}`, // shorter than MinLen: not a secret
		`{"a":{"b":[{"apiKey":"fw-key-123456"},{"key":"k-0123456"}]},"accessSecret":"aws-secret-9"}`,
		`{"value":"first-value","value":"second-value"}`, // duplicate names: both
		`{"value":"sk-\u00e4\ud83d\udd11-escaped"}`,
		`{"value":12345678,"key":true,"apiKey":null,"accessSecret":{"value":"nested-under"}}`,
		`[{"value":"in-an-array"},"value","not-a-secret"]`, // "value" as an array element is no name
		`{"value":"cut-short-secret`,
		`{"value":"kept-secret","message":"cut short`,
		`not JSON "value":"looks-like-one"`,
		``,
		strings.Repeat(`{"value":`, 1000),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got := redact.Collect(nil, body)
		for _, s := range got {
			if len(s) < redact.MinLen {
				t.Fatalf("Collect returned a value of %d bytes, shorter than MinLen", len(s))
			}
		}
		if json.Valid(body) {
			for _, s := range collectByDecoding(body) {
				if !slices.Contains(got, s) {
					t.Fatalf("Collect missed a sensitive value (%d bytes) that decoding the document finds", len(s))
				}
			}
		}
		// Every cut of a short body, and 64 cuts of a long one.
		for n := 0; n < len(body); n += max(1, len(body)/64) {
			if cut := redact.Collect(nil, body[:n]); len(cut) > len(got) || !slices.Equal(cut, got[:len(cut)]) {
				t.Fatalf("on the first %d of %d bytes, Collect found %d values that are not the first of the %d it finds on the whole", n, len(body), len(cut), len(got))
			}
		}
	})
}

// collectByDecoding is the obvious Collect: decode the whole document and
// walk it. It needs a complete document, and keeps only the last of
// duplicate names.
func collectByDecoding(body []byte) []string {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return nil
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				if s, ok := child.(string); ok && redact.IsSensitiveField(k) && len(s) >= redact.MinLen {
					out = append(out, s)
				}
				walk(child)
			}
		case []any:
			for _, child := range v {
				walk(child)
			}
		}
	}
	walk(doc)
	return out
}

// How FuzzRedact writes the secret into the text.
const (
	writeRaw            = iota
	writeGoJSON         // encoding/json: escapes <, > and & too
	writeJSONNoHTML     // encoding/json with SetEscapeHTML(false)
	writeASCIIOnly      // every non-ASCII character as \uxxxx (Python, PHP)
	writeASCIIOnlyUpper // the same with upper-case hex digits (\uXXXX)
	writeSlashEscaped   // '/' as "\/" (PHP)
	writeAllEscaped     // every character as \uxxxx
	writeAlternate      // every other character as \uxxxx, the rest as they are
	writeTwice          // JSON quoted in JSON: ASCII-only, then encoding/json again
	writeModes          // the number of modes
)

const (
	// neutralSecret stands for the secret in FuzzRedact's reference run.
	neutralSecret = "neutral-0"
	// minRealisticSecret is the length from which FuzzRedact checks that
	// no trace of a secret is left; see its comment.
	minRealisticSecret = 8
)

// FuzzRedact: a secret collected from a request body, in a text written
// in any of the ways JSON encoders write strings, with any text around it,
// is gone from String's and Bytes' result in all of those ways; Bytes and
// String agree; and a text that holds no secret comes back unchanged. In
// the JSON modes the whole text is encoded, as an encoder writes it (a
// lone backslash right before an escape is not something encoders write).
//
// Secrets shorter than MinLen are left alone by design (they turn up by
// chance in any text). The leak check takes secrets of at least 8 bytes,
// and skips one that the result would hold anyway: the reference run, with
// neutralSecret in its place, holds it (it is in the fuzzer's own text
// next to the placeholder, such as "TED]" after "[REDACTED]").
func FuzzRedact(f *testing.F) {
	// testdata/fuzz/FuzzRedact: what the first String and Bytes missed
	// (missed-*), and corner cases of the matcher that replaced them
	// (corner-*: runs of backslashes, which a matcher trying every reading
	// took seconds over; overlapping occurrences).
	for _, seed := range []struct {
		secret, prefix, suffix string
		mode                   uint8
	}{
		{"sk-super-secret-value-42", "bad value ", " for key", writeRaw},
		{`sk-<tricky>&"quoted"-value`, `{"message":"`, `"}`, writeGoJSON},
		{`sk-<tricky>&"quoted"-value`, "", "", writeJSONNoHTML},
		{"plain-ascii-secret", "", "", writeAlternate},
		{`back\slash\n-not-newline`, "", "", writeGoJSON}, // a literal backslash, and "\\n" read as an escape
		{`\\\\\\\\\\\\\\\\`, `\`, `\`, writeGoJSON},       // backslashes only: every reading at once
		{"line1\nline2\ttab\u2028", "", "", writeGoJSON},
		{"bad\xffutf8-value", "", "", writeGoJSON}, // invalid UTF-8 is sent as U+FFFD
		{"TED]TED]", "", "TED]", writeRaw},         // formed by the placeholder and the text after it: skipped
		{"short", "a short one stays", "", writeRaw},
		{"secret-at-the-end", `\`, `\u`, writeRaw},  // a stray backslash and a cut escape around it
		{"sk-\\u00e4-literal", "", "", writeGoJSON}, // a secret that looks like an escape
	} {
		f.Add(seed.secret, seed.prefix, seed.suffix, seed.mode)
	}
	f.Fuzz(func(t *testing.T, secret, prefix, suffix string, mode uint8) {
		mode %= writeModes
		// The secret as a request body carries it, and as the server
		// received it.
		body, _ := json.Marshal(map[string]string{"keyName": "K", "value": secret})
		var sent struct{ Value string }
		if err := json.Unmarshal(body, &sent); err != nil {
			t.Fatalf("the request body does not decode: %v", err)
		}
		secrets := redact.Collect(nil, body)
		if len(sent.Value) < redact.MinLen {
			if len(secrets) != 0 {
				t.Fatalf("Collect took a value of %d bytes, shorter than MinLen", len(sent.Value))
			}
			text := prefix + sent.Value + suffix
			if got := redact.String(text, []string{sent.Value}); got != text {
				t.Fatal("String changed a text for a secret shorter than MinLen")
			}
			return
		}
		if len(secrets) != 1 || secrets[0] != sent.Value {
			t.Fatalf("Collect found %d values, want the one value of %d bytes", len(secrets), len(sent.Value))
		}

		text := write(prefix+sent.Value+suffix, mode)
		got := redact.String(text, secrets)
		if b := redact.Bytes([]byte(text), secrets); string(b) != got {
			t.Fatal("Bytes and String disagree")
		}
		if !strings.Contains(got, redact.Placeholder) {
			t.Fatalf("String left no placeholder where the secret (mode %d) was", mode)
		}
		if plain := write(prefix+suffix, mode); !strings.Contains(plain, `\`) && !strings.Contains(plain, sent.Value) {
			if redact.String(plain, secrets) != plain {
				t.Fatal("String changed a text that holds no secret")
			}
		}

		if len(secret) < minRealisticSecret {
			return
		}
		reference := redact.String(write(prefix+neutralSecret+suffix, mode), []string{neutralSecret})
		for m := range uint8(writeModes) {
			form := write(sent.Value, m)
			if strings.Contains(got, form) && !strings.Contains(reference, form) {
				t.Fatalf("the secret (%d bytes, written in mode %d) is still in the result, written in mode %d", len(secret), mode, m)
			}
		}
	})
}

// write returns s as a JSON string's contents, without the quotes,
// written as mode says.
func write(s string, mode uint8) string {
	switch mode {
	case writeRaw:
		return s
	case writeGoJSON, writeJSONNoHTML, writeSlashEscaped, writeASCIIOnly, writeASCIIOnlyUpper:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(mode != writeJSONNoHTML)
		_ = enc.Encode(s)
		q := strings.TrimSuffix(buf.String(), "\n")
		q = q[1 : len(q)-1]
		switch mode {
		case writeSlashEscaped:
			return strings.ReplaceAll(q, "/", `\/`)
		case writeASCIIOnly, writeASCIIOnlyUpper:
			return escapeEach(q, mode == writeASCIIOnlyUpper, func(i int, r rune) bool { return r >= utf8.RuneSelf })
		}
		return q
	case writeAllEscaped:
		return escapeEach(s, false, func(int, rune) bool { return true })
	case writeAlternate:
		return escapeEach(s, false, func(i int, r rune) bool { return i%2 == 0 || r == '"' || r == '\\' || r < ' ' })
	case writeTwice:
		return write(write(s, writeASCIIOnly), writeGoJSON)
	}
	panic(fmt.Sprintf("no mode %d", mode))
}

// escapeEach writes the i-th character r of s as \uxxxx when escape(i, r),
// and as it is otherwise.
func escapeEach(s string, upper bool, escape func(i int, r rune) bool) string {
	format := `\u%04x`
	if upper {
		format = `\u%04X`
	}
	var b strings.Builder
	i := 0
	for _, r := range s {
		switch {
		case !escape(i, r):
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, format+format, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, format, r)
		}
		i++
	}
	return b.String()
}
