package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/fireworks-gateway/go-sdk/internal/redact"
)

// redactError replaces, in everything an *Error shows, the API key and the
// secret values that the request carried or the response returned.
func redactError(e *Error, req *http.Request, always []string) {
	secrets := append([]string(nil), always...)
	if req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			raw, _ := io.ReadAll(io.LimitReader(body, 1<<20))
			_ = body.Close()
			secrets = redact.Collect(secrets, raw)
		}
	}
	secrets = redact.Collect(secrets, e.Body)
	e.Message = redact.String(e.Message, secrets)
	e.RequestID = redact.String(e.RequestID, secrets)
	for i, d := range e.Details {
		e.Details[i] = json.RawMessage(redact.Bytes(d, secrets))
	}
	e.Body = redact.Bytes(e.Body, secrets)
	e.Response.Body = io.NopCloser(bytes.NewReader(e.Body))
}
