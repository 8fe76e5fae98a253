package gatewaytest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/internal/redact"
	"github.com/fireworks-gateway/go-sdk/internal/specvalidate"
)

// APIKey is the key the client that Start returns sends. The fake accepts
// any well-formed Bearer token unless WithAPIKey says which.
const APIKey = "gatewaytest-api-key"

// Account is the account of the clients that Start and NewClient return
// (api.WithAccount given to them overrides it).
const Account = "acct"

// maxRequestBody bounds what the fake reads of a request body.
const maxRequestBody = 8 << 20

// Reporter receives the fake's own failures: a response it would send that
// does not match the spec, or a handler that panicked. *testing.T is one.
type Reporter interface {
	Errorf(format string, args ...any)
}

// Server is a fake Gateway: an http.Handler, and with NewServer or Start
// a running server on a loopback address.
type Server struct {
	// URL is the base URL of a running server (NewServer, Start), with no
	// trailing slash; empty for a Server made with New.
	URL string

	spec     *specvalidate.Spec
	ops      map[string]*openapi3.Operation
	reporter Reporter
	apiKey   string
	running  *httptest.Server
	clientOp []api.Option

	connections atomic.Int64
	transports  []*http.Transport

	mu           sync.Mutex
	secrets      map[string]map[string]*secret // account -> id -> secret
	handlers     map[string]http.HandlerFunc
	faults       map[string][]*Fault
	journal      []Entry
	journalLimit int
	attempts     map[string]int
	synthesized  map[string][]byte
}

// An Option configures a Server.
type Option func(*Server)

// WithReporter sends the fake's own failures to r (Start uses the test).
// Without one, they are logged.
func WithReporter(r Reporter) Option { return func(s *Server) { s.reporter = r } }

// WithAPIKey makes the fake accept only this Bearer token (others get 401).
func WithAPIKey(key string) Option { return func(s *Server) { s.apiKey = key } }

// DefaultJournalLimit is how many requests the journal keeps unless
// WithJournalLimit says otherwise.
const DefaultJournalLimit = 10_000

// WithJournalLimit keeps only the newest n requests in the journal (n > 0),
// so that a long-running fake does not grow without bound.
func WithJournalLimit(n int) Option {
	return func(s *Server) {
		if n > 0 {
			s.journalLimit = n
		}
	}
}

// WithClientOptions adds options to the api.Client that Start returns.
func WithClientOptions(opts ...api.Option) Option {
	return func(s *Server) { s.clientOp = append(s.clientOp, opts...) }
}

// New returns a fake Gateway as an http.Handler, not yet listening.
func New(opts ...Option) (*Server, error) {
	spec, err := specvalidate.Load()
	if err != nil {
		return nil, fmt.Errorf("gatewaytest: %w", err)
	}
	ops, err := operations()
	if err != nil {
		return nil, fmt.Errorf("gatewaytest: %w", err)
	}
	s := &Server{
		spec:        spec,
		ops:         ops,
		secrets:     map[string]map[string]*secret{},
		handlers:    map[string]http.HandlerFunc{},
		faults:      map[string][]*Fault{},
		attempts:    map[string]int{},
		synthesized: map[string][]byte{},

		journalLimit: DefaultJournalLimit,
	}
	for _, opt := range opts {
		opt(s)
	}
	return s, nil
}

// NewServer starts a fake Gateway on a loopback address. Close it when done.
func NewServer(opts ...Option) (*Server, error) {
	s, err := New(opts...)
	if err != nil {
		return nil, err
	}
	s.running = httptest.NewUnstartedServer(s)
	s.running.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.connections.Add(1)
		}
	}
	s.running.Start()
	s.URL = s.running.URL
	return s, nil
}

// Start starts a fake Gateway for the test, closed when the test ends, and
// returns it with an api.Client pointed at it (retrying as in production,
// with its own connection pool). The fake's failures fail the test.
func Start(t testing.TB, opts ...Option) (*Server, *api.Client) {
	t.Helper()
	s, err := NewServer(append([]Option{WithReporter(t)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	client, err := s.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	return s, client
}

// NewClient returns an api.Client for the running fake, with the options
// given WithClientOptions.
func (s *Server) NewClient(opts ...api.Option) (*api.Client, error) {
	if s.running == nil {
		return nil, errors.New("gatewaytest: the server is not running (use NewServer or Start)")
	}
	key := s.apiKey
	if key == "" {
		key = APIKey
	}
	// A pool that keeps a connection for each of many goroutines, closed
	// with the server.
	transport := s.running.Client().Transport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 128
	s.mu.Lock()
	s.transports = append(s.transports, transport)
	s.mu.Unlock()
	base := []api.Option{api.WithAPIKey(key), api.WithBaseURL(s.URL), api.WithAccount(Account), api.WithHTTPClient(&http.Client{Transport: transport})}
	return api.New(append(append(base, s.clientOp...), opts...)...)
}

// Connections returns how many TCP connections clients have opened to the
// running fake: a client that reuses its connections opens one.
func (s *Server) Connections() int { return int(s.connections.Load()) }

// Close shuts a running fake down and closes its client connections.
func (s *Server) Close() {
	if s.running != nil {
		s.running.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.transports {
		t.CloseIdleConnections()
	}
}

// HandleFunc answers an operation (by id, such as "GetAccount") with h
// instead of the fake's own answer. The request reaching h is valid; what h
// writes is still validated against the spec when its status is 2xx. Use
// PathParam to read the path parameters.
func (s *Server) HandleFunc(operation string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[operation] = h
}

type routeKey struct{}

// PathParam returns a path parameter of the request, in a HandleFunc handler.
func PathParam(r *http.Request, name string) string {
	route, _ := r.Context().Value(routeKey{}).(*specvalidate.Route)
	if route == nil {
		return ""
	}
	return route.PathParams[name]
}

// ServeHTTP routes, validates, records, injects faults, and answers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		writeError(w, http.StatusBadRequest, codeInvalidArgument, "cannot read the request body")
		return
	}
	route, routeErr := s.spec.FindRoute(r.Method, r.URL.EscapedPath())
	operation := ""
	if routeErr == nil {
		operation = route.Operation.ID
	}
	s.record(operation, r, body)

	switch {
	case errors.Is(routeErr, specvalidate.ErrMethodNotAllowed):
		var re *specvalidate.RouteError
		if errors.As(routeErr, &re) {
			w.Header().Set("Allow", strings.Join(re.Allowed, ", "))
		}
		writeError(w, http.StatusMethodNotAllowed, codeUnimplemented, routeErr.Error())
		return
	case routeErr != nil:
		writeError(w, http.StatusNotFound, codeNotFound, routeErr.Error())
		return
	}

	if err := s.spec.ValidateRequest(route, r, body); err != nil {
		msg := redact.String(err.Error(), redact.Collect(nil, body))
		if errors.Is(err, specvalidate.ErrUnauthenticated) {
			writeError(w, http.StatusUnauthorized, codeUnauthenticated, msg)
		} else {
			writeError(w, http.StatusBadRequest, codeInvalidArgument, msg)
		}
		return
	}
	if s.apiKey != "" && r.Header.Get("Authorization") != "Bearer "+s.apiKey {
		writeError(w, http.StatusUnauthorized, codeUnauthenticated, "the API key is not valid")
		return
	}

	r = r.WithContext(context.WithValue(r.Context(), routeKey{}, route))
	f := s.nextFault(operation)
	if f == nil {
		s.answer(r, route, body).writeTo(w)
		return
	}
	if f.AfterAction {
		// The fake acts (creates, updates, deletes) and then fails, as a
		// server that crashes after committing: what a retry must not
		// repeat.
		normal := s.answer(r, route, body)
		if !f.apply(r.Context(), w, operation, normal.body) {
			normal.writeTo(w)
		}
		return
	}
	var normal []byte
	if f.Body == TruncatedBody {
		normal, _ = s.synthesizedFor(route)
	}
	if !f.apply(r.Context(), w, operation, normal) {
		s.answer(r, route, body).writeTo(w)
	}
}

// record adds the request to the journal, with its secrets redacted
// wherever they appear: the secret values its body carries are searched for
// in the body, the query, the path and every header. A body that is not
// JSON cannot be searched for secret values: if it names a sensitive
// field, none of it is kept.
func (s *Server) record(operation string, r *http.Request, body []byte) {
	secrets := redact.Collect(nil, body)
	if !json.Valid(body) && redact.MayHoldSensitive(body) {
		body = []byte(redact.Placeholder + " (a body that is not JSON and names a sensitive field)")
	}
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

	s.mu.Lock()
	defer s.mu.Unlock()
	key := operation + " " + r.URL.EscapedPath()
	if len(s.attempts) >= 16*s.journalLimit {
		s.attempts = map[string]int{} // many distinct paths: start counting anew
	}
	s.attempts[key]++
	if len(s.journal) >= s.journalLimit {
		drop := len(s.journal) - s.journalLimit + 1
		s.journal = append(s.journal[:0], s.journal[drop:]...)
	}
	s.journal = append(s.journal, Entry{
		Operation: operation,
		Method:    r.Method,
		Path:      path,
		Query:     query,
		Header:    header,
		Body:      string(redact.Bytes(body, secrets)),
		Attempt:   s.attempts[key],
		Time:      time.Now(),
	})
}

// response is an answer of the fake, made before it is sent.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (resp response) writeTo(w http.ResponseWriter) {
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// answer produces the normal answer: the test's handler, the Secrets
// store, or a synthesized response. A 2xx answer that does not match the
// spec is reported and replaced by a 500.
func (s *Server) answer(r *http.Request, route *specvalidate.Route, body []byte) response {
	s.mu.Lock()
	custom := s.handlers[route.Operation.ID]
	s.mu.Unlock()

	rec := httptest.NewRecorder()
	switch {
	case custom != nil:
		s.runHandler(custom, rec, r)
	case isSecretsOperation(route.Operation.ID):
		s.serveSecrets(rec, route, r, body)
	default:
		synthesized, err := s.synthesizedFor(route)
		if err != nil {
			s.reportf("gatewaytest: %s: %v", route.Operation.ID, err)
			writeError(rec, http.StatusInternalServerError, codeInternal, "gatewaytest cannot synthesize a response for "+route.Operation.ID)
			break
		}
		rec.Header().Set("Content-Type", "application/json")
		_, _ = rec.Write(synthesized)
	}

	result := rec.Result()
	resp := response{status: result.StatusCode, header: result.Header, body: rec.Body.Bytes()}
	if resp.status >= 200 && resp.status < 300 {
		if err := s.spec.ValidateResponse(route, resp.status, resp.header, resp.body); err != nil {
			s.reportf("gatewaytest: %s: the fake's response does not match the spec: %v", route.Operation.ID, err)
			rec := httptest.NewRecorder()
			writeError(rec, http.StatusInternalServerError, codeInternal, "gatewaytest produced a response that does not match the spec: "+err.Error())
			return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
		}
	}
	return resp
}

// runHandler runs a test's handler, turning a panic into a report and a 500.
func (s *Server) runHandler(h http.HandlerFunc, w *httptest.ResponseRecorder, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			route, _ := r.Context().Value(routeKey{}).(*specvalidate.Route)
			s.reportf("gatewaytest: the handler for %s panicked: %v", route.Operation.ID, p)
			w.Body.Reset()
			writeError(w, http.StatusInternalServerError, codeInternal, "the test's handler panicked")
		}
	}()
	h(w, r)
}

// synthesizedFor returns the minimal valid response of an operation,
// computed once: with the schema's examples if they validate, else without.
func (s *Server) synthesizedFor(route *specvalidate.Route) ([]byte, error) {
	id := route.Operation.ID
	s.mu.Lock()
	cached, ok := s.synthesized[id]
	s.mu.Unlock()
	if ok {
		return cached, nil
	}
	op := s.ops[id]
	if op == nil {
		return nil, fmt.Errorf("no operation %s in the embedded spec", id)
	}
	var lastErr error
	for _, withExamples := range []bool{true, false} {
		body, err := synthesizedBody(op, withExamples)
		if err != nil {
			return nil, err
		}
		h := http.Header{"Content-Type": {"application/json"}}
		if lastErr = s.spec.ValidateResponse(route, http.StatusOK, h, body); lastErr == nil {
			s.mu.Lock()
			s.synthesized[id] = body
			s.mu.Unlock()
			return body, nil
		}
	}
	return nil, fmt.Errorf("the synthesized response does not validate: %w", lastErr)
}

func (s *Server) reportf(format string, args ...any) {
	if s.reporter != nil {
		s.reporter.Errorf(format, args...)
		return
	}
	log.Printf(format, args...)
}
