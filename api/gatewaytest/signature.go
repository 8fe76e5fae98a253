package gatewaytest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Signed URLs in the shape of Google Cloud Storage's V4 signing (HMAC
// variant): the query carries X-Goog-Algorithm, X-Goog-Credential,
// X-Goog-Date, X-Goog-Expires, X-Goog-SignedHeaders and X-Goog-Signature;
// the signature is an HMAC-SHA256, under a key of the fake's own, of the
// canonical request (method, path, query, signed headers). An upload signs
// content-type and x-goog-content-length-range, so that a client that
// sends another type or size range fails with SignatureDoesNotMatch, as
// with GCS.

const (
	signAlgorithm   = "GOOG4-HMAC-SHA256"
	signDateLayout  = "20060102T150405Z"
	maxSignedExpiry = 7 * 24 * time.Hour // GCS's limit for V4 signatures
)

// urlSigner signs and checks the storage URLs of one fake.
type urlSigner struct{ key []byte }

func newURLSigner() urlSigner {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return urlSigner{key: key}
}

// signedHeaders are the headers a URL for method signs.
func signedHeaders(method string) []string {
	if method == http.MethodPut {
		return []string{"content-type", "host", "x-goog-content-length-range"}
	}
	return []string{"host"}
}

// sign returns the query of a URL valid for method on escapedPath at host
// until now+expiry, with the header values the client must send (besides
// host).
func (s urlSigner) sign(method, host, escapedPath string, headers map[string]string, now time.Time, expiry time.Duration) string {
	signed := signedHeaders(method)
	q := url.Values{}
	q.Set("X-Goog-Algorithm", signAlgorithm)
	q.Set("X-Goog-Credential", "gatewaytest/"+now.Format("20060102")+"/auto/storage/goog4_request")
	q.Set("X-Goog-Date", now.Format(signDateLayout))
	q.Set("X-Goog-Expires", strconv.Itoa(int(expiry/time.Second)))
	q.Set("X-Goog-SignedHeaders", strings.Join(signed, ";"))
	values := map[string]string{"host": host}
	for k, v := range headers {
		values[k] = v
	}
	q.Set("X-Goog-Signature", s.signature(method, escapedPath, q, signed, values))
	return canonicalQuery(q, true)
}

// signature is the hex HMAC of the canonical request.
func (s urlSigner) signature(method, escapedPath string, q url.Values, signed []string, values map[string]string) string {
	var canon strings.Builder
	canon.WriteString(method + "\n" + escapedPath + "\n" + canonicalQuery(q, false) + "\n")
	for _, name := range signed {
		canon.WriteString(name + ":" + strings.TrimSpace(values[name]) + "\n")
	}
	canon.WriteString("\n" + strings.Join(signed, ";") + "\nUNSIGNED-PAYLOAD")
	digest := sha256.Sum256([]byte(canon.String()))
	toSign := signAlgorithm + "\n" + q.Get("X-Goog-Date") + "\n" + credentialScope(q.Get("X-Goog-Credential")) + "\n" + hex.EncodeToString(digest[:])
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(toSign))
	return hex.EncodeToString(mac.Sum(nil))
}

func credentialScope(credential string) string {
	_, scope, _ := strings.Cut(credential, "/")
	return scope
}

// canonicalQuery encodes q sorted by key, as V4 signing does; without the
// signature unless withSignature.
func canonicalQuery(q url.Values, withSignature bool) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "X-Goog-Signature" || withSignature {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k) + "=" + strings.ReplaceAll(url.QueryEscape(v), "+", "%20"))
		}
	}
	return b.String()
}

// signedRequest is a storage request's signature parameters, parsed.
type signedRequest struct {
	query   url.Values
	date    time.Time
	expires time.Duration
	signed  []string
	sig     string
}

// Errors of parseSignedQuery: which GCS error a request gets.
var (
	errNoSignature        = errors.New("the request is not signed")
	errMalformedSignature = errors.New("the signature parameters are malformed")
)

// parseSignedQuery reads the signature parameters of a storage URL's
// query: outside input, fuzzed (FuzzParseSignedQuery). A request without
// X-Goog-Signature is anonymous; one with it must carry every parameter,
// well formed.
func parseSignedQuery(rawQuery string) (signedRequest, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return signedRequest{}, errMalformedSignature
	}
	sr := signedRequest{query: q}
	if len(q["X-Goog-Signature"]) == 0 {
		return sr, errNoSignature
	}
	for _, name := range []string{"X-Goog-Algorithm", "X-Goog-Credential", "X-Goog-Date", "X-Goog-Expires", "X-Goog-SignedHeaders", "X-Goog-Signature"} {
		if len(q[name]) != 1 || q[name][0] == "" {
			return sr, errMalformedSignature
		}
	}
	if q.Get("X-Goog-Algorithm") != signAlgorithm || credentialScope(q.Get("X-Goog-Credential")) == "" {
		return sr, errMalformedSignature
	}
	if sr.date, err = time.Parse(signDateLayout, q.Get("X-Goog-Date")); err != nil {
		return sr, errMalformedSignature
	}
	secs, err := strconv.Atoi(q.Get("X-Goog-Expires"))
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > maxSignedExpiry {
		return sr, errMalformedSignature
	}
	sr.expires = time.Duration(secs) * time.Second
	sr.signed = strings.Split(q.Get("X-Goog-SignedHeaders"), ";")
	for _, h := range sr.signed {
		if h == "" || h != strings.ToLower(h) {
			return sr, errMalformedSignature
		}
	}
	sr.sig = q.Get("X-Goog-Signature")
	if _, err := hex.DecodeString(sr.sig); err != nil {
		return sr, errMalformedSignature
	}
	return sr, nil
}

// verify checks the signature of r against the parsed query.
func (s urlSigner) verify(r *http.Request, sr signedRequest) bool {
	values := map[string]string{"host": r.Host}
	for _, name := range sr.signed {
		if name != "host" {
			values[name] = strings.Join(r.Header.Values(name), ",")
		}
	}
	want := s.signature(r.Method, r.URL.EscapedPath(), sr.query, sr.signed, values)
	return hmac.Equal([]byte(want), []byte(sr.sig))
}

// parseContentLengthRange reads x-goog-content-length-range: "min,max",
// two non-negative decimal integers with min <= max. Outside input,
// fuzzed (FuzzParseContentLengthRange).
func parseContentLengthRange(v string) (lo, hi int64, ok bool) {
	a, b, found := strings.Cut(v, ",")
	if !found {
		return 0, 0, false
	}
	lo, errA := parseSize(strings.TrimSpace(a))
	hi, errB := parseSize(strings.TrimSpace(b))
	if errA != nil || errB != nil || lo > hi {
		return 0, 0, false
	}
	return lo, hi, true
}

// parseSize reads a non-negative decimal size, digits only.
func parseSize(s string) (int64, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseInt(s, 10, 64)
}
