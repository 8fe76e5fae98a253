package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/fireworks-gateway/go-sdk/internal/redact"
)

// maxRequestScan bounds how much of a request body is searched for secret
// values. The generated client's bodies are in memory already, so reading
// one again costs a copy, not I/O; the bound is for a caller's GetBody that
// streams a file. redact.Collect keeps the secrets found before the bound.
const maxRequestScan = 32 << 20

// redactError replaces, in everything an *Error shows, the API key and the
// secret values that the request carried or the response returned: the
// message, code, request id, details and body, and the final response's
// headers and body.
func redactError(e *Error, req *http.Request, always []string) {
	secrets := append([]string(nil), always...)
	if req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			raw, _ := io.ReadAll(io.LimitReader(body, maxRequestScan))
			_ = body.Close()
			secrets = redact.Collect(secrets, raw)
		}
	}
	secrets = redact.Collect(secrets, e.Body)
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
	e.Response.Body = io.NopCloser(bytes.NewReader(e.Body))
	e.Response.Header = redactHeader(e.Response.Header, secrets)
	e.Response.Trailer = redactHeader(e.Response.Trailer, secrets)
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
