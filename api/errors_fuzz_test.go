package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fireworks-gateway/go-sdk/internal/redact"
)

// maxErrorText bounds Error() for a response without x-request-id: the
// method, path, status, a code of at most 32 letters, the message cut to
// maxMessageInError bytes and "…", and the attempts.
const maxErrorText = 256 + maxMessageInError

// FuzzErrorBody: any bytes as the body of any error status give an *Error
// that keeps the raw body (up to MaxErrorBody), a one-line-sized Error()
// that is valid UTF-8, and a Code that is empty or a status code name; the
// same through a Client, where the body is also redacted. Never a panic.
func FuzzErrorBody(f *testing.F) {
	for _, seed := range []struct {
		status uint16
		body   string
	}{
		{404, `{"code":5,"message":"secret not found","details":[{"@type":"x"}]}`},
		{409, `{"code":"ALREADY_EXISTS","message":"exists"}`},
		{409, `{"code":10,"message":"aborted"}`}, // ABORTED: buffered and read twice
		{403, `{"code":"permission_denied"}`},
		{401, `{"code":"16"}`},
		{503, `{"error":{"message":"down","status":"UNAVAILABLE"}}`},
		{400, `{"error":{"code":"ſtatuſ","status":"ınvalid"}}`}, // letters that ToUpper turns into ASCII
		{400, `{"code":"NOT FOUND"}`},
		{400, `{"code":"ABCDEFGHIJKLMNOPQRSTUVWXYZ_ABCDEFG"}`}, // 33 letters: too long for a code
		{400, `{"code":5.0}`},
		{400, `{"code":-1}`},
		{400, `{"code":1e400}`},
		{400, `{"code":"99999999999999999999999"}`},
		{400, `{"code":null,"message":null,"details":null,"error":null}`},
		{400, `{"code":[5],"message":{"a":1}}`}, // wrong types
		{400, `{"message":"` + strings.Repeat("é", 600) + `"}`},
		{400, "{\"message\":\"line one\\nline two\\u0000\"}"},
		{400, `{"message":"\ud800 lone surrogate"}`},
		{400, "\xff\xfe not UTF-8"},
		{500, `<html>bad gateway</html>`},
		{599, ``},
		{400, `[1,2,3]`},
		{400, `"just a string"`},
		{400, `{"value":"abcdef"}` + strings.Repeat(" ", 100)},
		{400, strings.Repeat("[", 10000)}, // deep nesting
		{400, strings.Repeat("x", MaxErrorBody+1)},
		{400, shortSecretsBody()},
	} {
		f.Add(seed.status, []byte(seed.body))
	}
	parser := newInternalClient(f, nil)
	f.Fuzz(func(t *testing.T, status uint16, body []byte) {
		status = 400 + status%200
		kept := body[:min(len(body), MaxErrorBody)]
		// The secret values the body holds are redacted; the bound holds.
		kept = redact.Bytes(kept, redact.Collect([]string{internalTestKey}, kept))
		kept = kept[:min(len(kept), MaxErrorBody)]

		// The parser itself.
		req, _ := http.NewRequest(http.MethodGet, internalTestBaseURL+"/v1/accounts/acct/secrets/sec", nil)
		resp := answer(req, int(status), nil, body)
		e := parser.p.newError(req, resp, 1)
		if e.StatusCode != int(status) || !bytes.Equal(e.Body, kept) {
			t.Fatalf("status %d, body of %d bytes: Error has status %d and a body of %d bytes, want the first %d bytes as they are",
				status, len(body), e.StatusCode, len(e.Body), len(kept))
		}
		if again, _ := io.ReadAll(e.Response.Body); !bytes.Equal(again, kept) {
			t.Fatalf("Response.Body reads %d bytes, want the %d of Body", len(again), len(kept))
		}
		checkErrorValue(t, e)

		// The same body through a Client, with its redaction.
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			return answer(req, int(status), nil, body), nil
		})
		c := newInternalClient(t, rt, WithMaxRetries(0))
		_, err := c.Secrets.Get(context.Background(), "sec", nil)
		var apiErr *Error
		if !errors.As(err, &apiErr) {
			t.Fatalf("status %d: err is %T, want *Error", status, err)
		}
		if len(apiErr.Body) > MaxErrorBody {
			t.Fatalf("Body holds %d bytes after redaction, more than MaxErrorBody", len(apiErr.Body))
		}
		checkErrorValue(t, apiErr)
	})
}

func checkErrorValue(t *testing.T, e *Error) {
	t.Helper()
	text := e.Error()
	if text == "" || len(text) > maxErrorText || !utf8.ValidString(text) {
		t.Fatalf("Error() is %d bytes long (valid UTF-8: %v), want 1 to %d", len(text), utf8.ValidString(text), maxErrorText)
	}
	if !validCode(e.Code) {
		t.Fatalf("Code = %q, want empty or a status code name", e.Code)
	}
}

// validCode reports whether c is empty or has the shape of a google.rpc
// code name: 1 to 32 upper-case ASCII letters and underscores. A name the
// SDK does not know yet is fine (the API may add codes); free text is not.
func validCode(c Code) bool {
	if c == "" {
		return true
	}
	if len(c) > 32 {
		return false
	}
	for _, r := range c {
		if (r < 'A' || r > 'Z') && r != '_' {
			return false
		}
	}
	return true
}

// shortSecretsBody is a body of exactly MaxErrorBody bytes that holds a
// 6-byte secret value (redact.MinLen) thousands of times: redaction, which
// writes the longer placeholder in its place, must not make Body longer
// than MaxErrorBody.
func shortSecretsBody() string {
	head, tail := `{"value":"abcdef","message":"`, `"}`
	fill := strings.Repeat("abcdef ", (MaxErrorBody-len(head)-len(tail))/7)
	pad := strings.Repeat(" ", MaxErrorBody-len(head)-len(tail)-len(fill))
	return head + fill + pad + tail
}
