package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/fireworks-gateway/go-sdk/internal/redact"
)

// Everything an error holds is made here, with secrets redacted: the
// API key, and the secret values that the request carried or the response
// echoed. Nothing reachable from an error holds a secret.

// maxRequestScan bounds how much of a request body is searched for secret
// values. The generated client's bodies are in memory already, so reading
// one again costs a copy, not I/O; the bound is for a caller's GetBody that
// streams a file. redact.Collect keeps the secrets found before the bound.
const maxRequestScan = 32 << 20

// newError builds the *Error of a final non-2xx response, reading at most
// MaxErrorBody bytes of its body and closing it.
func (p *pipeline) newError(req *http.Request, resp *http.Response, attempts int) *Error {
	body := bufferBody(resp)
	e := &Error{
		StatusCode: resp.StatusCode,
		RequestID:  resp.Header.Get("X-Request-Id"),
		Method:     req.Method,
		Path:       req.URL.EscapedPath(),
		Attempts:   attempts,
		Body:       body,
		Response:   resp,
	}
	e.RetryAfter, _ = parseRetryAfter(resp.Header, time.Now())
	decodeErrorBody(e, body)

	secrets := redact.Collect(p.requestSecrets(req), body)
	e.Message = redact.String(e.Message, secrets)
	e.RequestID = redact.String(e.RequestID, secrets)
	if redact.String(string(e.Code), secrets) != string(e.Code) {
		e.Code = "" // a server that echoes a name-shaped secret as its code; "[REDACTED]" is no code
	}
	for i, d := range e.Details {
		e.Details[i] = json.RawMessage(redact.Bytes(d, secrets))
	}
	// A secret shorter than the placeholder makes the body longer: keep the
	// MaxErrorBody bound that Body promises.
	e.Body = redact.Bytes(e.Body, secrets)
	if len(e.Body) > MaxErrorBody {
		e.Body = e.Body[:MaxErrorBody]
	}
	kept := *resp // the caller's copy: the transport's response is not changed
	kept.Body = io.NopCloser(bytes.NewReader(e.Body))
	kept.Header = redactHeader(resp.Header, secrets)
	kept.Trailer = redactHeader(resp.Trailer, secrets)
	kept.Request = p.requestWithoutSecrets(req)
	e.Response = &kept
	return e
}

// transportError builds the *TransportError of a call that got no
// response, with the cause's text redacted.
func (p *pipeline) transportError(req *http.Request, attempts int, cause, last error) *TransportError {
	e := &TransportError{Method: req.Method, Path: req.URL.EscapedPath(), Attempts: attempts, Err: cause, Last: last}
	if cause != nil {
		e.cause = redact.String(cause.Error(), p.requestSecrets(req))
	}
	return e
}

// requestSecrets returns the API key and the secret values of req's body,
// read again through GetBody (the generated client always sets it). The
// body of a request to storage is a file, never searched: reading it again
// would rewind the file's reader, which the transport may still be
// sending from.
func (p *pipeline) requestSecrets(req *http.Request) []string {
	secrets := append([]string(nil), p.secrets...)
	if sent, ok := req.Context().Value(sentCredentialKey{}).(*sentCredential); ok && sent.token != "" {
		secrets = append(secrets, sent.token)
	}
	if req.GetBody == nil || !p.isAPIRequest(req) {
		return secrets
	}
	body, err := req.GetBody()
	if err != nil {
		return secrets
	}
	raw, _ := io.ReadAll(io.LimitReader(body, maxRequestScan))
	_ = body.Close()
	return redact.Collect(secrets, raw)
}

// requestWithoutSecrets is what an error keeps of the request: its method,
// URL and headers, without a body, a way to read it again, or credentials
// (a signed URL's query is its credential: it goes too).
func (p *pipeline) requestWithoutSecrets(req *http.Request) *http.Request {
	u := new(url.URL)
	*u = *req.URL
	u.User = nil
	if !p.isAPIRequest(req) {
		u.RawQuery, u.ForceQuery = "", false
	}
	h := req.Header.Clone()
	for _, name := range []string{"Authorization", "Proxy-Authorization", "Cookie"} {
		h.Del(name)
	}
	return &http.Request{Method: req.Method, URL: u, Proto: req.Proto, ProtoMajor: req.ProtoMajor, ProtoMinor: req.ProtoMinor,
		Header: h, Host: req.Host}
}

// redactHeader returns h, or a copy of it with secrets redacted from its
// values when it holds any (an x-request-id that echoes a value, say).
func redactHeader(h http.Header, secrets []string) http.Header {
	var out http.Header
	for name, values := range h {
		for i, v := range values {
			r := redact.String(v, secrets)
			if r == v {
				continue
			}
			if out == nil {
				out = h.Clone()
			}
			out[name][i] = r
		}
	}
	if out == nil {
		return h
	}
	return out
}

// storageRequestKey marks, in its context, a request to a signed URL of
// storage (newStorageRequest).
type storageRequestKey struct{}

// newStorageRequest builds a request to a signed URL of storage, marked as
// one: an error never reads its body again, nor keeps its query (the
// signature), even where storage shares the API's origin (a proxy, a
// test's one server).
func newStorageRequest(ctx context.Context, method string, u *url.URL, body io.Reader) (*http.Request, error) {
	return http.NewRequestWithContext(context.WithValue(ctx, storageRequestKey{}, true), method, u.String(), body)
}

// isAPIRequest reports whether req goes to the API: on its origin, and
// not marked as a request to storage.
func (p *pipeline) isAPIRequest(req *http.Request) bool {
	return p.api.origin.matches(req.URL) && req.Context().Value(storageRequestKey{}) == nil
}
