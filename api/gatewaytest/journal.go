package gatewaytest

import (
	"net/http"
	"time"
)

// Entry is one request the fake received, as recorded in its journal.
type Entry struct {
	// Operation is the operation id ("UpdateSecret"), or "" when no
	// operation matched.
	Operation string
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
func (s *Server) Journal() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Entry(nil), s.journal...)
}

// Requests returns the journal's entries for one operation.
func (s *Server) Requests(operation string) []Entry {
	var out []Entry
	for _, e := range s.Journal() {
		if e.Operation == operation {
			out = append(out, e)
		}
	}
	return out
}

// ResetJournal empties the journal and the attempt counters.
func (s *Server) ResetJournal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.journal = nil
	s.attempts = map[string]int{}
}
