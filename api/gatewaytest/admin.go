package gatewaytest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// adminPrefix is where the fake's own endpoints live, for contract tests
// in other languages (cmd/gatewayfake); no API path starts so.
//
//	GET    /_gatewaytest/state     the stored resources, as Dump writes them
//	POST   /_gatewaytest/state     store the resources of a Fixtures body, as Seed
//	DELETE /_gatewaytest/state     remove every resource (Reset)
//	POST   /_gatewaytest/setState  {"name": ..., "state": "FAILED", "message": ...}, as SetState
//	POST   /_gatewaytest/advance   {"duration": "90s"}, as Advance
//	POST   /_gatewaytest/session   {} -> {"idToken", "refreshToken", "expireTime", "refreshExpireTime"}, as NewSession
//
// With RequireAPIKey, they take the same key as the API.
const adminPrefix = "/_gatewaytest/"

func (h *Handler) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if reason := h.unauthorized(r); reason != "" {
		writeError(w, http.StatusUnauthorized, codeUnauthenticated, reason)
		return
	}
	switch r.URL.Path {
	case adminPrefix + "state":
		switch r.Method {
		case http.MethodGet:
			w.Header().Set("Content-Type", "application/json")
			_ = h.Dump(w)
		case http.MethodPost:
			body, ok := readAdminBody(w, r, maxSeedSize)
			if !ok {
				return
			}
			if err := h.Seed(bytes.NewReader(body)); err != nil {
				writeError(w, http.StatusBadRequest, codeInvalidArgument, err.Error())
				return
			}
			writeJSON(w, struct{}{})
		case http.MethodDelete:
			h.Reset()
			writeJSON(w, struct{}{})
		default:
			writeError(w, http.StatusMethodNotAllowed, codeUnimplemented, "GET, POST or DELETE")
		}
	case adminPrefix + "setState":
		var in struct{ Name, State, Message string }
		if !decodeAdmin(w, r, &in) {
			return
		}
		if err := h.engine.forceState(in.Name, in.State, in.Message); err != nil {
			writeError(w, http.StatusBadRequest, codeInvalidArgument, err.Error())
			return
		}
		writeJSON(w, struct{}{})
	case adminPrefix + "advance":
		var in struct{ Duration string }
		if !decodeAdmin(w, r, &in) {
			return
		}
		d, err := time.ParseDuration(in.Duration)
		if err != nil || d < 0 {
			writeError(w, http.StatusBadRequest, codeInvalidArgument, "duration: want a non-negative Go duration such as 90s")
			return
		}
		h.Advance(d)
		writeJSON(w, struct{}{})
	case adminPrefix + "session":
		var in struct{}
		if !decodeAdmin(w, r, &in) {
			return
		}
		s := h.NewSession()
		writeJSON(w, map[string]string{
			"idToken": s.IDToken, "refreshToken": s.RefreshToken,
			"expireTime":        s.Expiry.UTC().Format(time.RFC3339Nano),
			"refreshExpireTime": s.RefreshExpiry.UTC().Format(time.RFC3339Nano),
		})
	default:
		writeError(w, http.StatusNotFound, codeNotFound, "no such endpoint of the fake")
	}
}

func decodeAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, codeUnimplemented, "POST")
		return false
	}
	body, ok := readAdminBody(w, r, maxAdminBody)
	if !ok {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, codeInvalidArgument, "the body: "+describeJSONError(err))
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		writeError(w, http.StatusBadRequest, codeInvalidArgument, "the body: data after the JSON value")
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, codeInternal, "cannot encode the response")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}
