// Package redact keeps secret values out of text: it finds the values of
// sensitive JSON properties (gen.SensitiveFields) in request and response
// bodies, and replaces them, wherever they appear, with a placeholder.
// The SDK's errors, the contract-test fake's journal and its error bodies
// all go through it.
package redact

import (
	"bytes"
	"encoding/json"
	"strings"

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
// at any depth, of the JSON document body. A body that is not JSON adds
// nothing.
func Collect(secrets []string, body []byte) []string {
	if len(body) == 0 || !mayHoldSensitive(body) {
		return secrets
	}
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return secrets
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				if s, ok := child.(string); ok && sensitive[k] && len(s) >= MinLen {
					secrets = append(secrets, s)
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
	return secrets
}

// mayHoldSensitive is a cheap test that skips decoding bodies that name no
// sensitive property.
func mayHoldSensitive(body []byte) bool {
	for name := range sensitive {
		if bytes.Contains(body, []byte(`"`+name+`"`)) {
			return true
		}
	}
	return false
}

// String replaces every secret in s, raw or as it would appear escaped
// inside a JSON string, with Placeholder.
func String(s string, secrets []string) string {
	for _, secret := range secrets {
		if len(secret) < MinLen {
			continue
		}
		for _, form := range forms(secret) {
			if strings.Contains(s, form) {
				s = strings.ReplaceAll(s, form, Placeholder)
			}
		}
	}
	return s
}

// Bytes is String for a byte slice; it returns b itself when there is
// nothing to replace.
func Bytes(b []byte, secrets []string) []byte {
	for _, secret := range secrets {
		if len(secret) < MinLen {
			continue
		}
		for _, form := range forms(secret) {
			if bytes.Contains(b, []byte(form)) {
				b = bytes.ReplaceAll(b, []byte(form), []byte(Placeholder))
			}
		}
	}
	return b
}

// forms returns the secret as it is, and as encoding/json writes it inside
// a string (with and without HTML escaping), when that differs.
func forms(secret string) []string {
	out := []string{secret}
	quoted, _ := json.Marshal(secret) // with HTML escaping, as encoding/json does by default
	if q := string(quoted[1 : len(quoted)-1]); q != secret {
		out = append(out, q)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(secret)
	if q := strings.TrimSuffix(buf.String(), "\n"); len(q) >= 2 {
		if q = q[1 : len(q)-1]; q != secret && q != out[len(out)-1] {
			out = append(out, q)
		}
	}
	return out
}
