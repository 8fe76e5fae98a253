// Package redact keeps secret values out of text: it finds the values of
// sensitive JSON properties (gen.SensitiveFields) in request and response
// bodies, and replaces them, wherever they appear, with a placeholder.
// The SDK's errors, the contract-test fake's journal and its error bodies
// all go through it.
package redact

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/fireworks-gateway/go-sdk/gen"
)

// Placeholder replaces every secret value.
const Placeholder = "[REDACTED]"

// MinLen is the shortest value that is redacted: a shorter one appears by
// chance in almost any text, so replacing it would garble the text without
// hiding anything.
const MinLen = 6

var sensitive = func() map[string]bool {
	m := make(map[string]bool, len(gen.SensitiveFields))
	for _, f := range gen.SensitiveFields {
		m[f] = true
	}
	return m
}()

// IsSensitiveField reports whether a JSON property of this name carries a
// secret value.
func IsSensitiveField(name string) bool { return sensitive[name] }

// Collect appends to secrets the string values of sensitive properties,
// at any depth, of the JSON text body. It reads body as a stream of
// tokens and keeps what it found before the first syntax error, so that
// a body cut short (an error body kept up to its first 64 KiB, a request
// body read up to a limit) still gives the secrets of its first part.
// Text that is not JSON adds nothing.
func Collect(secrets []string, body []byte) []string {
	if len(body) == 0 || !MayHoldSensitive(body) {
		return secrets
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	// open holds the open containers, innermost last. In an object,
	// strings alternate between property names and values; an array that
	// is the value of a sensitive property (a list of API keys) holds
	// secrets itself.
	type container struct{ object, sensitive bool }
	var open []container
	inObject := func() bool { return len(open) > 0 && open[len(open)-1].object }
	inSensitiveArray := func() bool { return len(open) > 0 && !open[len(open)-1].object && open[len(open)-1].sensitive }
	atName := false         // the next token, if a string, is a property name
	sensitiveValue := false // the next token is the value of a sensitive property
	for {
		tok, err := dec.Token()
		if err != nil {
			return secrets // the end, or where the text stops being JSON
		}
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{':
				open = append(open, container{object: true})
				atName = true
			case '[':
				open = append(open, container{sensitive: sensitiveValue || inSensitiveArray()})
				atName = false
			default: // '}' or ']' ends a value of the enclosing container
				if len(open) > 0 {
					open = open[:len(open)-1]
				}
				atName = inObject()
			}
			sensitiveValue = false
		case string:
			if atName {
				sensitiveValue, atName = sensitive[tok], false
				continue
			}
			if (sensitiveValue || inSensitiveArray()) && len(tok) >= MinLen {
				secrets = append(secrets, tok)
			}
			sensitiveValue = false
			atName = inObject()
		default: // a number, true, false or null
			sensitiveValue = false
			atName = inObject()
		}
	}
}

// MayHoldSensitive reports whether body may name a sensitive property: a
// cheap test that lets callers skip bodies holding no secret value. A body
// with a backslash may spell a name with JSON escapes ("v\u0061lue"), so
// it always may.
func MayHoldSensitive(body []byte) bool {
	if bytes.IndexByte(body, '\\') >= 0 {
		return true
	}
	for name := range sensitive {
		if bytes.Contains(body, []byte(`"`+name+`"`)) {
			return true
		}
	}
	return false
}

// String replaces every secret in s with Placeholder. A secret is found as
// it is, and as JSON encoders write it inside a string: the text is also
// searched with its JSON escapes decoded (\", \\, \/, \n, \u00e4, surrogate
// pairs), once, and twice for JSON quoted inside a JSON string, since
// encoders differ (Go escapes <, > and &; Python and PHP escape everything
// outside ASCII; PHP escapes '/'). A secret with invalid UTF-8 is also
// found as encoding/json sends it, with U+FFFD for each invalid byte. Text
// where secrets overlap, or where one secret overlaps itself ("abcabcab" in
// "abcabcabcab"), becomes a single Placeholder, so that no tail of a
// secret is left behind.
//
// The search takes time linear in the text for each secret and reading,
// whatever the text (it comes from a server).
func String(s string, secrets []string) string {
	found := matches(s, secrets)
	if len(found) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, m := range found {
		b.WriteString(s[last:m.start])
		b.WriteString(Placeholder)
		last = m.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// Bytes is String for a byte slice; it returns b itself when there is
// nothing to replace.
func Bytes(b []byte, secrets []string) []byte {
	found := matches(string(b), secrets)
	if len(found) == 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	last := 0
	for _, m := range found {
		out = append(out, b[last:m.start]...)
		out = append(out, Placeholder...)
		last = m.end
	}
	return append(out, b[last:]...)
}

// span is the byte range [start, end) of a text.
type span struct{ start, end int }

// maxUnescapes is how many times the text is read with its JSON escapes
// decoded: once for a JSON body, twice for JSON quoted inside one.
const maxUnescapes = 2

// matches returns the ranges of text that hold a secret, in any reading,
// merged where they overlap or touch, in order.
func matches(text string, secrets []string) []span {
	readings := []reading{{text: text}}
	for len(readings) <= maxUnescapes {
		next, ok := readings[len(readings)-1].unescaped()
		if !ok {
			break
		}
		readings = append(readings, next)
	}
	var found []span
	for _, secret := range secrets {
		if len(secret) < MinLen {
			continue
		}
		targets := []string{secret}
		if sent := asEncodingJSONSends(secret); sent != secret {
			targets = append(targets, sent)
		}
		for _, target := range targets {
			for _, r := range readings {
				// Every occurrence, overlapping ones too.
				for from := 0; ; {
					i := strings.Index(r.text[from:], target)
					if i < 0 {
						break
					}
					found = append(found, r.source(from+i, from+i+len(target)))
					from += i + 1
				}
			}
		}
	}
	if len(found) == 0 {
		return nil
	}
	slices.SortFunc(found, func(a, b span) int { return a.start - b.start })
	merged := found[:1]
	for _, m := range found[1:] {
		if last := &merged[len(merged)-1]; m.start <= last.end {
			last.end = max(last.end, m.end)
		} else {
			merged = append(merged, m)
		}
	}
	return merged
}

// reading is the text as it is, or with its JSON escapes decoded. from and
// to map each byte of a decoded reading back to the range of the original
// text it was read from; they are nil for the text as it is.
type reading struct {
	text     string
	from, to []int32
}

// source returns the range of the original text that r.text[start:end]
// was read from.
func (r reading) source(start, end int) span {
	if r.from == nil {
		return span{start, end}
	}
	return span{int(r.from[start]), int(r.to[end-1])}
}

// unescaped returns r with its JSON escapes decoded, from left to right as
// a JSON decoder reads them; a backslash that starts no valid escape is
// kept as it is. ok is false when r has no escape to decode.
func (r reading) unescaped() (next reading, ok bool) {
	if strings.IndexByte(r.text, '\\') < 0 {
		return r, false
	}
	var b strings.Builder
	b.Grow(len(r.text))
	next.from = make([]int32, 0, len(r.text))
	next.to = make([]int32, 0, len(r.text))
	for j := 0; j < len(r.text); {
		c, width := decodeEscape(r.text, j)
		if width == 0 { // a byte as it is
			width = 1
			b.WriteByte(r.text[j])
		} else {
			ok = true
			b.WriteRune(c)
		}
		src := r.source(j, j+width)
		for b.Len() > len(next.from) {
			next.from = append(next.from, int32(src.start))
			next.to = append(next.to, int32(src.end))
		}
		j += width
	}
	next.text = b.String()
	return next, ok
}

// asEncodingJSONSends returns s as encoding/json encodes it, before
// escaping: each byte that is not valid UTF-8 becomes U+FFFD.
func asEncodingJSONSends(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r) // RuneError, for an invalid byte
		i += size
	}
	return b.String()
}

// decodeEscape decodes the JSON escape at text[j], returning the character
// and the escape's length in bytes, or a length of 0 when there is none. A
// UTF-16 surrogate pair is one character; a lone surrogate is U+FFFD, as
// encoding/json decodes it.
func decodeEscape(text string, j int) (rune, int) {
	if j+1 >= len(text) || text[j] != '\\' {
		return 0, 0
	}
	switch text[j+1] {
	case '"', '\\', '/':
		return rune(text[j+1]), 2
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		r1, ok := hex4(text, j+2)
		if !ok {
			return 0, 0
		}
		if !utf16.IsSurrogate(r1) {
			return r1, 6
		}
		if j+7 < len(text) && text[j+6] == '\\' && text[j+7] == 'u' {
			if r2, ok := hex4(text, j+8); ok {
				if r := utf16.DecodeRune(r1, r2); r != utf8.RuneError {
					return r, 12
				}
			}
		}
		return utf8.RuneError, 6
	}
	return 0, 0
}

// hex4 decodes the four hexadecimal digits at text[j], in either case.
func hex4(text string, j int) (rune, bool) {
	if j+4 > len(text) {
		return 0, false
	}
	var r rune
	for n := j; n < j+4; n++ {
		switch c := text[n]; {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
