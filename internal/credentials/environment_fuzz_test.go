package credentials

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzParseCustomHeaders: whatever FIREWORKS_CUSTOM_HEADERS holds, the
// parser never panics, never lets through a header the chain or the
// transport owns or a value net/http would refuse, and its error is one
// line.
func FuzzParseCustomHeaders(f *testing.F) {
	for _, seed := range []string{
		"X-Team: ml\nX-Trace: a:b\n",
		"Authorization: Bearer fw-key-0123456789",
		"authorization : x",
		"Transfer-Encoding: chunked",
		"X: \x00",
		"X: a\r\nY: b\r\n",
		"no colon here",
		": empty name",
		"X-Tab:\tvalue\t",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseCustomHeaders(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatal("error of more than one line")
			}
			return
		}
		for name, values := range h {
			if refusedHeaders[http.CanonicalHeaderKey(name)] {
				t.Fatalf("%s let through", name)
			}
			for _, v := range values {
				if strings.ContainsAny(v, "\r\n\x00") {
					t.Fatal("a value with a line break or NUL let through")
				}
			}
		}
	})
}

// FuzzJWTExpiry: whatever token a server or a file gives, reading its exp
// never panics, and an exp it accepts is a positive time.
func FuzzJWTExpiry(f *testing.F) {
	for _, seed := range []string{
		"eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.sig",
		"a.eyJleHAiOjEuNWUxMH0.c",
		"a.eyJleHAiOiIxIn0.c",
		"a..c", "...", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		if exp, ok := jwtExpiry(token); ok && exp.Unix() <= 0 {
			t.Fatalf("accepted exp %v", exp)
		}
	})
}
