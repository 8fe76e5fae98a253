package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"unicode/utf8"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// Fuzz targets of the wrapper's public surface. Their seeds run under plain
// go test; `make fuzz` runs each of them for FUZZTIME. Inputs that once
// failed, and corner cases worth keeping, are in testdata/fuzz/<FuzzName>/.

// pathParamOperation is one operation whose path parameter FuzzPathParams
// fills with the fuzzer's string.
type pathParamOperation struct {
	name  string
	param string // the parameter's name in the spec
	// segments is the escaped path the request must have, split at '/';
	// "{}" stands for the parameter.
	segments []string
	call     func(ctx context.Context, c *api.Client, value string) error
}

var pathParamOperations = []pathParamOperation{
	{
		name: "GetSecret", param: "secret_id",
		segments: []string{"", "v1", "accounts", "acct", "secrets", "{}"},
		call: func(ctx context.Context, c *api.Client, value string) error {
			_, err := c.Secrets.Get(ctx, value, nil)
			return err
		},
	},
	{
		name: "ListSecrets", param: "account_id",
		segments: []string{"", "v1", "accounts", "{}", "secrets"},
		call: func(ctx context.Context, c *api.Client, value string) error {
			_, err := c.Secrets.List(ctx, nil, api.WithAccount(value))
			return err
		},
	},
}

// FuzzPathParams: whatever string a caller passes as a path parameter, the
// call is either refused before anything is sent, with an
// *api.InvalidParamError naming the parameter, or the request that reaches
// the transport has exactly the intended shape: the base URL's host, no
// query or fragment, the template's literal segments, and one segment that
// unescapes back to the value. No value moves the request to another
// resource, host or query.
func FuzzPathParams(f *testing.F) {
	for _, v := range badPathValues { // input_test.go: each must be refused
		f.Add(v)
	}
	for _, v := range []string{
		"my-secret", "...", ".hidden", "a.", // dots that are not dot segments
		"a?b", "?", "a#b", "#frag", "?x=1#y", // would start a query or fragment unescaped
		"a;b", "a,b", "a&b=c", "a+b", "a=b", "a@b", "@evil.test", "~user", "$", "!*'()",
		"\u2215", "\uff0f", "\u2024\u2024", "\uff0e\uff0e", // look-alikes of '/' and ".."
		"\u200b", "\ufeff", "\u202e", // invisible and bidi formatting characters: escaped, not refused
		"\u00a0", "\u2028", "\u0085", // Unicode white space and NEL: refused
		"\xc0\xae\xc0\xae", "\xed\xa0\x80", // overlong '.' and a UTF-16 surrogate: invalid UTF-8
		"\x7f", "a\x1bb", // DEL and ESC
		"ключ", "🔑", "a\u0301", // letters outside ASCII, combining marks
		"//evil.test", "http://evil.test/x", "\\\\evil.test\\x",
		strings.Repeat("a", 4096),
	} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, value string) {
		for _, op := range pathParamOperations {
			checkPathParam(t, op, value)
		}
	})
}

func checkPathParam(t *testing.T, op pathParamOperation, value string) {
	t.Helper()
	rt := script(step{status: 200, body: secretJSON})
	c := newClient(t, rt)
	err := op.call(context.Background(), c, value)
	calls := rt.Calls()
	if err != nil {
		var pe *api.InvalidParamError
		if !errors.As(err, &pe) || pe.Param != op.param {
			t.Fatalf("%s(%q): err = %v (%T), want nil or an *api.InvalidParamError naming %s", op.name, value, err, err, op.param)
		}
		if len(calls) != 0 {
			t.Fatalf("%s(%q) was refused, yet %d requests were sent", op.name, value, len(calls))
		}
		if isPlainID(value) {
			t.Fatalf("%s refused the plain id %q: %v", op.name, value, err)
		}
		return
	}
	if len(calls) != 1 {
		t.Fatalf("%s(%q): %d requests sent, want 1", op.name, value, len(calls))
	}
	u, perr := url.Parse(calls[0].url)
	if perr != nil {
		t.Fatalf("%s(%q): the transport got a URL that does not parse: %v", op.name, value, perr)
	}
	base, _ := url.Parse(testBaseURL)
	if u.Scheme != base.Scheme || u.Host != base.Host || u.User != nil || u.Opaque != "" {
		t.Fatalf("%s(%q) was sent to %s://%s (user %v, opaque %q), want %s", op.name, value, u.Scheme, u.Host, u.User, u.Opaque, testBaseURL)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(u.RequestURI(), "?#") {
		t.Fatalf("%s(%q) was sent with a query or fragment: %s", op.name, value, u.RequestURI())
	}
	got := strings.Split(u.EscapedPath(), "/")
	if len(got) != len(op.segments) {
		t.Fatalf("%s(%q) was sent to %s: %d segments, want %d", op.name, value, u.EscapedPath(), len(got), len(op.segments))
	}
	for i, want := range op.segments {
		if want != "{}" {
			if got[i] != want {
				t.Fatalf("%s(%q) was sent to %s: segment %d is %q, want %q", op.name, value, u.EscapedPath(), i, got[i], want)
			}
			continue
		}
		if unescaped, err := url.PathUnescape(got[i]); err != nil || unescaped != value {
			t.Fatalf("%s(%q) was sent to %s: the parameter's segment %q unescapes to %q (%v)", op.name, value, u.EscapedPath(), got[i], unescaped, err)
		}
	}
}

// isPlainID reports whether s has the shape of the ids the API hands out
// (ASCII letters, digits, '-', '_', '.', '~'), which must never be refused.
func isPlainID(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return false
		}
	}
	return true
}

// Where FuzzRedaction's fake server echoes the secret value it received:
// a bit set of these.
const (
	echoInMessage      = 1 << iota // {"message": "<prefix><secret><suffix>"}
	echoInDetailsValue             // "details": [{"value": "<secret>"}], a sensitive property
	echoInDetailsOther             // "details": [{"echo": "<prefix><secret><suffix>"}], a property of no special name
	echoAsCode                     // {"code": "<secret>"} and error.status: a name-shaped secret becomes Error.Code
	echoInErrorObject              // {"error": {"message": ..., "status": ...}} instead of the top-level shape
	echoInRequestID                // the x-request-id header
	echoInOtherHeader              // an x-echo header
	echoASCIIOnly                  // the body escapes every non-ASCII character as \uXXXX (Python's json.dumps)
	echoSlashEscaped               // the body writes '/' as "\/" (PHP's json_encode)
	echoNoHTMLEscape               // the body leaves <, > and & as they are (encoding/json with SetEscapeHTML(false))
	echoPlainText                  // the body is text/plain "<prefix><secret><suffix>", not JSON
	echoRetried                    // the first answer is a 503 with Retry-After: 1, so the call is retried once
	echoBigRequest                 // the request's keyName is over 1 MiB, so the value comes after the first MiB
)

// neutralSecret stands for the secret in FuzzRedaction's reference run: it
// shows what the outputs hold whatever the secret is.
const neutralSecret = "neutral-value-0"

// FuzzRedaction: a secret value sent as the value of UpdateSecret, and
// echoed by the server anywhere in its error response (message, details,
// code, JSON-escaped in several ways, headers), never appears in the
// error's text, %+v, any field the error holds (including its Response's
// headers and body), or a log line of WithLogger.
//
// The secrets are realistic ones, as redact.MinLen intends: redaction
// leaves values shorter than redact.MinLen (6 bytes) alone, because they
// turn up by chance in any text; this target asks for at least 8 bytes,
// and skips a secret that its outputs would hold anyway (the reference run
// with neutralSecret holds it: the method, path, status text, a log key,
// JSON punctuation, the fuzzer's own text around it, or that text next to
// the placeholder, such as "TED]" after "[REDACTED]").
func FuzzRedaction(f *testing.F) {
	// testdata/fuzz/FuzzRedaction holds the leaks this target found in the
	// first version of the redaction, one file each, named after the leak.
	f.Add(`sk-<tricky>&"quoted"-value`, "", "", uint16(400), uint32(echoInMessage|echoInDetailsValue|echoInDetailsOther))
	f.Add(`sk-<tricky>&"quoted"-value`, "", "", uint16(422), uint32(echoInDetailsOther|echoNoHTMLEscape))
	f.Add("abcabcab", "", "cabcab", uint16(400), uint32(echoInMessage|echoInDetailsOther)) // overlapping occurrences
	f.Add("bad\xffutf8-value", "", "", uint16(400), uint32(echoInMessage|echoInDetailsValue|echoInDetailsOther))
	f.Fuzz(func(t *testing.T, secret, prefix, suffix string, status uint16, where uint32) {
		if len(secret) < 8 {
			t.Skip("shorter than a realistic secret; see redact.MinLen")
		}
		status = 400 + status%200
		synctest.Test(t, func(t *testing.T) {
			got := runRedactionScenario(t, secret, prefix, suffix, int(status), where)
			reference := runRedactionScenario(t, neutralSecret, prefix, suffix, int(status), where)
			forms := secretForms(secret)
			for _, form := range forms {
				for _, text := range reference {
					if strings.Contains(text, form) {
						t.Skip("the secret is part of what the outputs hold anyway; see the target's comment")
					}
				}
			}
			var leaked []string
			for _, what := range slices.Sorted(maps.Keys(got)) {
				var as []string
				for _, formName := range slices.Sorted(maps.Keys(forms)) {
					if strings.Contains(got[what], forms[formName]) {
						as = append(as, formName)
					}
				}
				if len(as) > 0 {
					leaked = append(leaked, what+" ("+strings.Join(as, ", ")+")")
				}
			}
			if len(leaked) > 0 { // never print the secret itself
				t.Errorf("the fuzzed secret value (%d bytes, echo %#x, status %d) leaked into: %s", len(secret), where, status, strings.Join(leaked, ", "))
			}
		})
	})
}

// runRedactionScenario updates a secret to value through a Client whose
// server echoes the value it received as where says, and returns every
// text a caller could see: the error, its fields, and the log lines.
func runRedactionScenario(t *testing.T, value, prefix, suffix string, status int, where uint32) map[string]string {
	t.Helper()
	attempt := 0
	rt := roundTripper(func(req *http.Request) (*http.Response, error) {
		attempt++
		var sent struct{ Value string }
		if req.Body != nil {
			raw, _ := io.ReadAll(req.Body)
			_ = req.Body.Close()
			_ = json.Unmarshal(raw, &sent)
		}
		answer := status
		header := http.Header{}
		if where&echoRetried != 0 && attempt == 1 {
			answer = http.StatusServiceUnavailable
			header.Set("Retry-After", "1")
		}
		body, contentType := echoBody(sent.Value, prefix, suffix, where)
		header.Set("Content-Type", contentType)
		if where&echoInRequestID != 0 {
			header.Set("X-Request-Id", sent.Value)
		}
		if where&echoInOtherHeader != 0 {
			header.Set("X-Echo", prefix+sent.Value+suffix)
		}
		return &http.Response{StatusCode: answer, Status: http.StatusText(answer), Header: header,
			Body: io.NopCloser(bytes.NewReader(body)), Request: req}, nil
	})
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, rt, api.WithLogger(logger), api.WithMaxRetries(1))
	keyName := "API_KEY"
	if where&echoBigRequest != 0 {
		keyName += strings.Repeat("_", 1<<20+1024)
	}
	_, err := c.Secrets.Update(context.Background(), "sec", gen.UpdateSecretBody{KeyName: keyName, Value: &value})
	var apiErr *api.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err is %T, want *api.Error", err)
	}
	var details []string
	for _, d := range apiErr.Details {
		details = append(details, string(d))
	}
	respBody, _ := io.ReadAll(apiErr.Response.Body)
	if req := apiErr.Response.Request; req == nil || req.Body != nil || req.GetBody != nil || req.Header.Get("Authorization") != "" {
		t.Fatal("the error's Response.Request can give the request body or carries credentials")
	}
	return map[string]string{
		"anything reachable from the error": reachableText(reflect.ValueOf(err), map[uintptr]bool{}),
		"Error()":                           err.Error(),
		"%+v":                               fmt.Sprintf("%+v", err),
		"Message":                           apiErr.Message,
		"Code":                              string(apiErr.Code),
		"RequestID":                         apiErr.RequestID,
		"Details":                           strings.Join(details, "\n"),
		"Body":                              string(apiErr.Body),
		"Response.Body":                     string(respBody),
		"Response.Header":                   fmt.Sprint(apiErr.Response.Header),
		"Response.Trailer":                  fmt.Sprint(apiErr.Response.Trailer),
		"the WithLogger log line":           logs.String(),
	}
}

// echoBody is the fake server's error body, echoing the secret value
// received as where says.
func echoBody(received, prefix, suffix string, where uint32) ([]byte, string) {
	if where&echoPlainText != 0 {
		return []byte(prefix + received + suffix), "text/plain"
	}
	doc := map[string]any{"code": 3}
	message := "invalid request"
	if where&echoInMessage != 0 {
		message = prefix + received + suffix
	}
	status := "INVALID_ARGUMENT"
	if where&echoAsCode != 0 {
		doc["code"], status = received, received
	}
	var details []any
	if where&echoInDetailsValue != 0 {
		details = append(details, map[string]string{"value": received})
	}
	if where&echoInDetailsOther != 0 {
		details = append(details, map[string]string{"echo": prefix + received + suffix})
	}
	if where&echoInErrorObject != 0 {
		doc = map[string]any{"error": map[string]any{"code": doc["code"], "message": message, "status": status, "details": details}}
	} else {
		doc["message"], doc["details"] = message, details
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(where&echoNoHTMLEscape == 0)
	_ = enc.Encode(doc)
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if where&echoASCIIOnly != 0 {
		body = []byte(asciiOnlyJSON(string(body)))
	}
	if where&echoSlashEscaped != 0 {
		body = bytes.ReplaceAll(body, []byte("/"), []byte(`\/`))
	}
	return body, "application/json"
}

// asciiOnlyJSON rewrites JSON text as encoders that escape every non-ASCII
// character do (Python's json.dumps, PHP's json_encode): \uXXXX, with
// surrogate pairs outside the Basic Multilingual Plane.
func asciiOnlyJSON(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// secretForms are the ways a secret could show in the outputs: as it is,
// as the server received it (invalid UTF-8 becomes U+FFFD), and as each
// JSON encoder of echoBody, or Go's %q, writes it inside a string.
func secretForms(secret string) map[string]string {
	received := strings.ToValidUTF8(secret, "\uFFFD")
	forms := map[string]string{"raw": secret, "as received": received}
	jsonInner := func(s string, escapeHTML bool) string {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(escapeHTML)
		_ = enc.Encode(s)
		q := strings.TrimSuffix(buf.String(), "\n")
		return q[1 : len(q)-1]
	}
	forms["JSON"] = jsonInner(received, true)
	forms["JSON without HTML escaping"] = jsonInner(received, false)
	forms["ASCII-only JSON"] = asciiOnlyJSON(forms["JSON"])
	forms["JSON with \\/"] = strings.ReplaceAll(forms["JSON"], "/", `\/`)
	q := strconv.Quote(received)
	forms["Go %q"] = q[1 : len(q)-1]
	for name, form := range forms {
		if len(form) < 8 { // only when escaping made it shorter than the secret: never, but keep the bound
			delete(forms, name)
		}
	}
	return forms
}

// roundTripper adapts a function to http.RoundTripper.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// reachableText is every string and byte slice reachable from v, through
// pointers, interfaces, structs (unexported fields too), slices, arrays
// and maps: what a caller could get at from an error by any means. A
// function reachable from it (such as a request's GetBody) is named, since
// calling it could produce anything.
func reachableText(v reflect.Value, seen map[uintptr]bool) string {
	var b strings.Builder
	var walk func(reflect.Value, string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			b.WriteString(v.String() + "\n")
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				return
			}
			if v.Kind() == reflect.Pointer {
				if seen[v.Pointer()] {
					return
				}
				seen[v.Pointer()] = true
			}
			walk(v.Elem(), path)
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		case reflect.Slice:
			if v.IsNil() {
				return
			}
			if v.Type().Elem().Kind() == reflect.Uint8 {
				b.Write(v.Bytes())
				b.WriteString("\n")
				return
			}
			fallthrough
		case reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i), path)
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(k, path)
				walk(v.MapIndex(k), path)
			}
		case reflect.Func:
			if !v.IsNil() {
				b.WriteString("a function at " + path + "\n")
			}
		}
	}
	walk(v, "err")
	return b.String()
}
