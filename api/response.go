package api

import "net/http"

// Response is what the HTTP answer of a call said besides its body: its
// status, headers and request id, and how many attempts the call took. A
// call fills the one given to WithResponseInto.
type Response struct {
	// StatusCode is the answer's HTTP status.
	StatusCode int
	// Header is the answer's header, with the API key and the call's secret
	// values redacted, as an Error's are.
	Header http.Header
	// RequestID is the answer's x-request-id header, "" if it had none:
	// the id to quote to Fireworks support.
	RequestID string
	// Method and Path are the request's, the path escaped as it was sent.
	Method, Path string
	// Attempts is how many times the request was sent.
	Attempts int
}

// WithResponseInto makes a call fill *r when it gets an answer, a 2xx or
// not (the result, or the *Error, says the rest):
//
//	var resp api.Response
//	secret, err := client.Secrets.Get(ctx, "s", nil, api.WithResponseInto(&resp))
//	log.Printf("request id %s, %d attempts", resp.RequestID, resp.Attempts)
//
// A call that gets no answer (a *TransportError, or a call refused before
// sending) leaves *r as it was. A Wait, Upload or Download fills it with
// the answer of its last call to the API (never storage's). Given to New
// or Client.With, every call of the Client fills the same *r: give it to
// one call. A nil r is ignored.
func WithResponseInto(r *Response) Option {
	return callOption(func(s *callSettings) error {
		s.into = r
		return nil
	})
}

// fillResponse fills s's Response, if the call asked for one, from the
// final answer to req.
func (p *pipeline) fillResponse(s *callSettings, req *http.Request, resp *http.Response, attempts int) {
	if s.into == nil {
		return
	}
	secrets := p.requestSecrets(req)
	*s.into = Response{
		StatusCode: resp.StatusCode,
		Header:     redactHeader(resp.Header, secrets).Clone(),
		RequestID:  resp.Header.Get("X-Request-Id"),
		Method:     req.Method,
		Path:       req.URL.EscapedPath(),
		Attempts:   attempts,
	}
	if vs := s.into.Header.Values("X-Request-Id"); len(vs) > 0 {
		s.into.RequestID = vs[0] // as redacted
	}
}
