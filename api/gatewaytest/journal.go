package gatewaytest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/redact"
)

// Entry is one request the fake received, as recorded in its journal.
type Entry struct {
	// Operation is the operation's spec id (gen.OpUpdateSecret), or ""
	// when no operation matched.
	Operation gen.OperationID
	Method    string
	// Path is the escaped path, and Query the raw query string; either is
	// unescaped when a secret value in it had to be redacted.
	Path, Query string
	// Header is the request's header, with Authorization and secret values
	// redacted.
	Header http.Header
	// Body is the request's body with every secret value redacted.
	Body string
	// Attempt counts the requests for this operation and path so far,
	// this one included: a request retried twice has entries with
	// Attempt 1, 2 and 3.
	Attempt int
	// Time is when the request arrived.
	Time time.Time
}

// Journal returns the requests received so far, oldest first.
func (h *Handler) Journal() []Entry {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.journal.items()
}

// Requests returns the journal's entries for one operation (a gen.Op
// constant). An operation the spec does not have fails the test at once
// (see WithReporter): counting the requests of a misspelt operation would
// always find none.
func (h *Handler) Requests(operation gen.OperationID) []Entry {
	if h.tb != nil {
		h.tb.Helper()
	}
	id, ok := h.operation("Requests", operation, false)
	if !ok {
		return nil
	}
	var out []Entry
	for _, e := range h.Journal() {
		if e.Operation == id {
			out = append(out, e)
		}
	}
	return out
}

// ResetJournal empties the journal and the attempt counters.
func (h *Handler) ResetJournal() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.journal = ring[Entry]{}
	h.attempts = map[string]int{}
}

// record adds the request to the journal, with its secrets redacted
// wherever they appear: the secret values its body carries are searched for
// in the body, the query, the path and every header. decoded is the body as
// validation decoded it, nil when it did not. A body that is not JSON (a
// form, malformed JSON, another content type) cannot be searched safely
// for secret values: none of it is kept (see journalBody).
func (h *Handler) record(operation gen.OperationID, r *http.Request, body []byte, decoded any) {
	secrets := collectSecrets(body, decoded)
	kept, ok := journalBody(body, decoded)
	if !ok {
		secrets = append(secrets, formSecrets(body)...)
		kept = []byte(redact.Placeholder + " (a body of " + strconv.Itoa(len(body)) + " bytes that is not JSON)")
	}
	h.recordEntry(operation, r, secrets, kept)
}

// recordTooLarge adds a request whose body was refused for its size to
// the journal, without its body.
func (h *Handler) recordTooLarge(operation gen.OperationID, r *http.Request) {
	h.recordEntry(operation, r, nil, []byte(redact.Placeholder+" (a body larger than MaxRequestBody, refused)"))
}

// journalBody is the body to keep in the journal before secrets are
// replaced: the body itself when it is JSON or empty; ok is false for any
// other.
func journalBody(body []byte, decoded any) (kept []byte, ok bool) {
	if len(body) == 0 || decoded != nil || json.Valid(body) {
		return body, true
	}
	return nil, false
}

// formSecrets are the values of sensitive fields of a body read as a form
// (value=...&keyName=...), so that the journal redacts them from the path,
// the query and the headers too. The pairs of a form that has a malformed
// one count too (ParseQuery reads on past it).
func formSecrets(body []byte) []string {
	form, _ := url.ParseQuery(string(body))
	var secrets []string
	for name, values := range form {
		if !redact.IsSensitiveField(name) {
			continue
		}
		for _, v := range values {
			if len(v) >= redact.MinLen {
				secrets = append(secrets, v)
			}
		}
	}
	return secrets
}

// recordEntry journals a request whose body is already what the journal
// may keep, but for the secrets, which are replaced wherever they appear.
func (h *Handler) recordEntry(operation gen.OperationID, r *http.Request, secrets []string, body []byte) {
	header := r.Header.Clone()
	for name, values := range header {
		for i, v := range values {
			values[i] = redact.String(v, secrets)
		}
		header[name] = values
	}
	if header.Get("Authorization") != "" {
		header.Set("Authorization", "Bearer "+redact.Placeholder)
	}
	path := r.URL.EscapedPath()
	if unescaped := redact.String(r.URL.Path, secrets); unescaped != r.URL.Path {
		path = unescaped // a secret in the path: keep the redacted, unescaped form
	}
	query := r.URL.RawQuery
	if decoded, err := url.QueryUnescape(query); err == nil {
		if redacted := redact.String(decoded, secrets); redacted != decoded {
			query = redacted // a secret in the query: keep the redacted, decoded form
		}
	}
	query = redact.String(query, secrets)

	h.mu.Lock()
	defer h.mu.Unlock()
	key := string(operation) + " " + r.URL.EscapedPath()
	if len(h.attempts) >= 16*h.journalLimit {
		h.attempts = map[string]int{} // many distinct paths: start counting anew
	}
	h.attempts[key]++
	h.journal.push(h.journalLimit, Entry{
		Operation: operation,
		Method:    r.Method,
		Path:      path,
		Query:     query,
		Header:    header,
		Body:      string(redact.Bytes(body, secrets)),
		Attempt:   h.attempts[key],
		Time:      time.Now(),
	})
}

// ring keeps the newest items, up to a limit: a full journal drops its
// oldest entry in constant time, not by moving every other one.
type ring[T any] struct {
	buf   []T
	start int // the oldest item, once buf is full
}

func (r *ring[T]) push(limit int, item T) {
	if len(r.buf) < limit {
		r.buf = append(r.buf, item)
		return
	}
	r.buf[r.start] = item
	r.start = (r.start + 1) % len(r.buf)
}

// items returns a copy, oldest first.
func (r *ring[T]) items() []T {
	out := make([]T, 0, len(r.buf))
	out = append(out, r.buf[r.start:]...)
	return append(out, r.buf[:r.start]...)
}

// collectSecrets finds the secret values of a request body as
// redact.Collect does (the string values of sensitive properties, at any
// depth, and the strings of an array that is one), from the body that
// validation decoded, so that the body is not read a third time. It
// falls back to redact.Collect whenever the decoded value may hold fewer
// than the text: without one, when the text has escapes (a name may be
// spelt "v\u0061lue"), or when a sensitive name appears in the text more
// often than as a property of the decoded value (a duplicate property,
// whose first value a map keeps no trace of).
func collectSecrets(body []byte, decoded any) []string {
	if len(body) == 0 || !redact.MayHoldSensitive(body) {
		return nil
	}
	if decoded == nil || bytes.IndexByte(body, '\\') >= 0 {
		return redact.Collect(nil, body)
	}
	var secrets []string
	names := map[string]int{}
	var walk func(v any, sensitive bool)
	walk = func(v any, sensitive bool) {
		switch v := v.(type) {
		case map[string]any:
			for name, child := range v {
				s := redact.IsSensitiveField(name)
				if s {
					names[name]++
				}
				walk(child, s)
			}
		case []any:
			for _, child := range v {
				walk(child, sensitive)
			}
		case string:
			if sensitive && len(v) >= redact.MinLen {
				secrets = append(secrets, v)
			}
		}
	}
	walk(decoded, false)
	for _, name := range gen.SensitiveFields {
		if bytes.Count(body, []byte(`"`+name+`"`)) != names[name] {
			return redact.Collect(nil, body)
		}
	}
	return secrets
}
