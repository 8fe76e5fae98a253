package gatewaytest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzParseContentLengthRange: any x-goog-content-length-range value is
// read or refused without a panic; one that is read is min <= max, both
// non-negative, and written back it reads the same.
func FuzzParseContentLengthRange(f *testing.F) {
	for _, seed := range []string{"10,10", "0,0", "0,9223372036854775807", "9223372036854775808,9223372036854775808", " 1 , 2 ", "2,1", "-1,5", "1,", ",1", "1;2", "0x10,0x10", "+1,+1", "1,2,3", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		lo, hi, ok := parseContentLengthRange(v)
		if !ok {
			return
		}
		if lo < 0 || hi < lo {
			t.Fatalf("%q read as %d,%d", v, lo, hi)
		}
		lo2, hi2, ok2 := parseContentLengthRange(strconv.FormatInt(lo, 10) + "," + strconv.FormatInt(hi, 10))
		if !ok2 || lo2 != lo || hi2 != hi {
			t.Fatalf("%q: written back, reads %d,%d (%v)", v, lo2, hi2, ok2)
		}
	})
}

// FuzzSignedURLs: a URL the signer makes, for any object, host and size,
// parses and verifies for the request it was made for, and for no other
// method; any query at all parses or is refused without a panic.
func FuzzSignedURLs(f *testing.F) {
	f.Add("accounts/a/datasets/d/train.jsonl", "127.0.0.1:8080", int64(12), "X-Goog-Signature=00&X-Goog-Date=20260101T000000Z")
	f.Add("accounts/a/models/m/model-00001-of-00002.safetensors", "localhost", int64(0), "X-Goog-Expires=99999999999999999999")
	f.Add("a b/ü/%2F", "[::1]:9", int64(1<<20), "%zz")
	f.Add("x", "h", int64(-1), "X-Goog-SignedHeaders=;;&X-Goog-Signature=zz")
	signer := newURLSigner()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, object, host string, size int64, rawQuery string) {
		_, _ = parseSignedQuery(rawQuery)

		if size < 0 || strings.ContainsAny(host, "/?#@ \t\r\n\x00") || host == "" {
			return
		}
		path := storagePrefix + escapeName(object)
		for _, method := range []string{http.MethodPut, http.MethodGet} {
			headers := map[string]string{}
			if method == http.MethodPut {
				headers["content-type"] = storageContentType
				headers["x-goog-content-length-range"] = strconv.FormatInt(size, 10) + "," + strconv.FormatInt(size, 10)
			}
			query := signer.sign(method, host, path, headers, now, 15*time.Minute)
			sr, err := parseSignedQuery(query)
			if err != nil {
				t.Fatalf("a URL the fake signed does not parse: %v (%s)", err, query)
			}
			u := &url.URL{Scheme: "http", Host: "fake", Path: mustUnescape(t, path), RawPath: path, RawQuery: query}
			r := httptest.NewRequest(method, u.String(), nil)
			r.Host = host
			for k, v := range headers {
				r.Header.Set(k, v)
			}
			if !signer.verify(r, sr) {
				t.Fatalf("%s %s does not verify", method, u)
			}
			r.Method = map[string]string{http.MethodPut: http.MethodGet, http.MethodGet: http.MethodPut}[method]
			if signer.verify(r, sr) {
				t.Fatalf("a %s URL verifies for %s", method, r.Method)
			}
		}
	})
}

func mustUnescape(t *testing.T, p string) string {
	s, err := url.PathUnescape(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// FuzzListFilter: any filter is read or refused without a panic, and one
// that is read evaluates on any resource without one.
func FuzzListFilter(f *testing.F) {
	for _, seed := range []struct{ filter, resource string }{
		{`state = READY`, `{"state":"READY"}`},
		{`displayName="a \"quoted\" name" AND state != FAILED`, `{"displayName":"a \"quoted\" name"}`},
		{`a.b.c = 1`, `{"a":{"b":{"c":1}}}`},
		{`state=READY OR state=FAILED`, `{}`},
		{`x = 'unterminated`, `{}`},
		{`=`, `[]`},
		{`AND AND`, `{"AND":"AND"}`},
	} {
		f.Add(seed.filter, seed.resource)
	}
	f.Fuzz(func(t *testing.T, filter, resource string) {
		parsed, problem := parseFilter(filter)
		if problem != "" {
			if strings.TrimSpace(filter) != "" && strings.Contains(problem, strings.TrimSpace(filter)) && len(strings.TrimSpace(filter)) > 8 {
				t.Fatalf("the problem quotes the filter: %s", problem)
			}
			return
		}
		if parsed == nil {
			if strings.TrimSpace(filter) != "" {
				t.Fatalf("%q read as no filter", filter)
			}
			return
		}
		if len(parsed.terms) == 0 {
			t.Fatalf("%q read as a filter without terms", filter)
		}
		_ = parsed.matches([]byte(resource))
	})
}
