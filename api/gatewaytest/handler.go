package gatewaytest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/redact"
	"github.com/fireworks-gateway/go-sdk/internal/specvalidate"
)

// APIKey is the key the client that Start returns sends. The fake accepts
// any well-formed Bearer token unless RequireAPIKey says which, except a
// JWT: that is a session token, which must be one the fake issued and has
// not expired (NewSession).
const APIKey = "gatewaytest-api-key"

// Account is the account of the clients that Start and NewClient return
// (api.WithAccount given to them overrides it).
const Account = "acct"

// Reporter receives the fake's own failures: a response it would send that
// does not match the spec, or a handler that panicked, each reported once
// however often a client retries. *testing.T is one; a Reporter with a
// Helper method, as a testing.TB, has failures blamed at the test's line
// where one is on the stack (see report.go).
type Reporter interface {
	// Errorf reports one failure, formatted as fmt.Sprintf does.
	Errorf(format string, args ...any)
}

// Handler is the fake Gateway as an http.Handler: it routes and validates
// every request against the embedded spec, keeps resources, runs their
// lifecycle, serves signed-URL storage, injects faults and keeps a
// journal. NewHandler returns one for a server of your own (or for a
// testing/synctest bubble, where it runs without a network); Server runs
// one on a loopback address. A Handler is safe for concurrent use.
type Handler struct {
	spec     *specvalidate.Spec
	ops      map[string]*openapi3.Operation
	reporter Reporter
	apiKey   string
	strict   bool
	engine   *engine
	sessions *sessionStore // the sessions it issued (sessions.go)
	pages    pageSigner    // signs the page tokens of List answers
	// storageLimit is the most memory storage holds (DefaultStorageMemory).
	storageLimit int64

	mu           sync.Mutex
	handlers     map[gen.OperationID]testHandler
	faults       map[gen.OperationID][]*Fault
	journal      ring[Entry]
	journalLimit int
	attempts     map[string]int
	synthesized  map[string][]byte
	reported     map[string]bool // failures reported already (reportOnce)
	tb           testHelper      // the reporter's Helper, nil without one
}

// NewHandler returns a fake Gateway as an http.Handler, not listening
// anywhere: serve it yourself, or call its ServeHTTP from a test.
func NewHandler(opts ...Option) (*Handler, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	return newHandler(cfg)
}

func newHandler(cfg config) (*Handler, error) {
	spec, err := specvalidate.Load()
	if err != nil {
		return nil, fmt.Errorf("gatewaytest: %w", err)
	}
	collections, err := loadCollections()
	if err != nil {
		return nil, fmt.Errorf("gatewaytest: %w", err)
	}
	h := &Handler{
		spec:         spec,
		ops:          operations(spec),
		reporter:     cfg.reporter,
		apiKey:       cfg.apiKey,
		strict:       cfg.strict,
		handlers:     map[gen.OperationID]testHandler{},
		reported:     map[string]bool{},
		faults:       map[gen.OperationID][]*Fault{},
		attempts:     map[string]int{},
		synthesized:  map[string][]byte{},
		journalLimit: cfg.journalLimit,
		pages:        newPageSigner(),
		storageLimit: cfg.storageLimit,
		sessions:     newSessionStore(cfg.sessionTTL, cfg.refreshTTL),
	}
	h.tb, _ = cfg.reporter.(testHelper)
	h.engine = newEngine(collections, cfg.settle, cfg.urlExpiry, h)
	return h, nil
}

// HandleFunc answers an operation (a gen.Op constant, such as
// gen.OpGetAccount) with hf instead of the fake's own answer. The request
// reaching hf is valid, and its path parameters are set: read them with
// r.PathValue("account_id"). What hf writes is still validated against the
// spec: a 2xx as the operation's answer (which never carries a writeOnly
// field, such as a Secret's value), an error status as the Gateway's error
// body (JSON google.rpc.Status: a numeric code, a message, details; so not
// http.Error's text). An answer that breaks it is reported once (however
// often the client retries), naming the operation and the line that called
// HandleFunc, and the client gets a 500 instead. An operation the spec does
// not have fails the test at once (see WithReporter).
func (h *Handler) HandleFunc(operation gen.OperationID, hf http.HandlerFunc) {
	if h.tb != nil {
		h.tb.Helper()
	}
	id, ok := h.operation("HandleFunc", operation, false)
	if !ok {
		return
	}
	site := callerSite()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.handlers[id] = testHandler{fn: hf, site: site}
}

// ServeHTTP routes, validates, records, injects faults, and answers.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.tb != nil && servedDirectly(r) {
		h.tb.Helper() // a failure points at the test's call (report.go)
	}
	switch {
	case strings.HasPrefix(r.URL.Path, storagePrefix):
		h.engine.serveStorage(w, r)
		return
	case strings.HasPrefix(r.URL.Path, adminPrefix):
		h.serveAdmin(w, r)
		return
	}
	body, tooLarge, err := readBody(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, codeInvalidArgument, "cannot read the request body")
		return
	}
	route, routeErr := h.spec.FindRoute(r.Method, r.URL.EscapedPath())
	if tooLarge {
		var operation gen.OperationID
		if routeErr == nil {
			operation = gen.OperationID(route.Operation.ID)
		}
		h.recordTooLarge(operation, r)
		writeError(w, http.StatusRequestEntityTooLarge, codeResourceExhausted, errBodyTooLarge)
		return
	}
	if routeErr != nil {
		h.record("", r, body, nil)
	}
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

	operation := gen.OperationID(route.Operation.ID)
	// An operation whose security the spec empties (the refresh call, by
	// the overlay) needs no Bearer: specvalidate reads it.
	opts := specvalidate.RequestOptions{RejectUnknownProperties: h.strict}
	decoded, err := h.spec.ValidateAndDecodeRequest(route, r, body, opts)
	h.record(operation, r, body, decoded)
	if err != nil {
		msg := redact.String(err.Error(), append(redact.Collect(nil, body), formSecrets(body)...))
		if errors.Is(err, specvalidate.ErrUnauthenticated) {
			writeError(w, http.StatusUnauthorized, codeUnauthenticated, msg)
		} else {
			writeError(w, http.StatusBadRequest, codeInvalidArgument, msg)
		}
		return
	}
	if reason := h.unauthorized(r); reason != "" && route.RequiresToken() {
		writeError(w, http.StatusUnauthorized, codeUnauthenticated, reason)
		return
	}

	f := h.nextFault(operation)
	if f == nil {
		h.answer(r, route, body, decoded).writeTo(w)
		return
	}
	if f.AfterAction {
		// The fake acts (creates, updates, deletes) and then fails, as a
		// server that crashes after committing: what a retry must not
		// repeat.
		normal := h.answer(r, route, body, decoded)
		if !f.apply(r.Context(), w, string(operation), normal.body) {
			normal.writeTo(w)
		}
		return
	}
	var normal []byte
	if f.Body == TruncatedBody {
		normal, _ = h.synthesizedFor(route)
	}
	if !f.apply(r.Context(), w, string(operation), normal) {
		h.answer(r, route, body, decoded).writeTo(w)
	}
}

// unauthorized says why the request's Bearer token is refused, "" when it
// is not: a session token (a JWT) must be one the fake issued and live on
// its clock; any other is an API key, checked against the one that
// RequireAPIKey named, if any. The reason never quotes the token.
func (h *Handler) unauthorized(r *http.Request) string {
	auth := r.Header.Get("Authorization")
	if h.apiKey != "" && auth == "Bearer "+h.apiKey {
		return "" // the key RequireAPIKey named, even one shaped as a JWT
	}
	if token, ok := strings.CutPrefix(auth, "Bearer "); ok && isJWT(token) {
		return h.sessions.checkToken(token, h.engine.now())
	}
	if h.apiKey == "" {
		return ""
	}
	return "the API key is not valid"
}

// response is an answer of the fake, made before it is sent.
type response struct {
	status int
	header http.Header
	body   []byte
	// of is the stored resource whose JSON the body is, if it is one: its
	// bytes are validated once, not at every read (see engine.checked).
	of *resource
}

func (resp response) writeTo(w http.ResponseWriter) {
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// answer produces the normal answer: the test's handler, the resource
// engine, or a synthesized response. decoded is the body as validation
// decoded it. An answer that does not match the spec (a 2xx, or an error
// answer that is not the Gateway's google.rpc.Status, the spec's default
// response) is reported and replaced by a 500.
func (h *Handler) answer(r *http.Request, route *specvalidate.Route, body []byte, decoded any) response {
	if h.tb != nil && servedDirectly(r) {
		h.tb.Helper()
	}
	id := gen.OperationID(route.Operation.ID)
	h.mu.Lock()
	custom, isCustom := h.handlers[id]
	h.mu.Unlock()

	var resp response
	switch {
	case isCustom:
		rec := httptest.NewRecorder()
		for name, value := range route.PathParams {
			r.SetPathValue(name, value)
		}
		h.runHandler(custom, rec, r, id)
		result := rec.Result()
		resp = response{status: result.StatusCode, header: result.Header, body: rec.Body.Bytes()}
	case id == gen.OpRefreshSessionToken:
		resp = h.sessions.refreshAnswer(decoded, h.engine.now())
	default:
		var handled bool
		resp, handled = h.engine.serve(r, route, body, decoded)
		if !handled {
			resp = h.synthesizedResponse(route)
		}
	}

	if !h.engine.checked(resp) {
		if err := h.spec.ValidateResponse(route, resp.status, resp.header, resp.body); err != nil {
			if isCustom {
				who := custom.name(string(id))
				h.reportOnce("gatewaytest: %s answered %d with a response that does not match the spec: %v", who, resp.status, err)
				return errorResponse(http.StatusInternalServerError, codeInternal, who+" answered a response that does not match the spec: "+err.Error())
			}
			h.reportOnce("gatewaytest: %s: the fake's response does not match the spec: %v", id, err)
			return errorResponse(http.StatusInternalServerError, codeInternal, "gatewaytest produced a response that does not match the spec: "+err.Error())
		}
		h.engine.markChecked(resp)
	}
	return resp
}

// synthesizedResponse is the minimal valid answer of an operation that no
// rule of the engine covers.
func (h *Handler) synthesizedResponse(route *specvalidate.Route) response {
	if h.tb != nil {
		h.tb.Helper()
	}
	synthesized, err := h.synthesizedFor(route)
	if err != nil {
		h.reportOnce("gatewaytest: %s: %v", route.Operation.ID, err)
		return errorResponse(http.StatusInternalServerError, codeInternal, "gatewaytest cannot synthesize a response for "+route.Operation.ID)
	}
	return jsonResponse(synthesized)
}

// runHandler runs a test's handler, turning a panic into a report (at the
// line that panicked, see report.go) and a 500.
func (h *Handler) runHandler(th testHandler, w *httptest.ResponseRecorder, r *http.Request, id gen.OperationID) {
	defer func() {
		if p := recover(); p != nil {
			if h.tb != nil {
				h.tb.Helper()
			}
			h.reportOnce("gatewaytest: %s panicked: %v", th.name(string(id)), p)
			w.Body.Reset()
			writeError(w, http.StatusInternalServerError, codeInternal, "the test's handler panicked")
		}
	}()
	th.fn(w, r)
}

// synthesizedFor returns the minimal valid response of an operation,
// computed once: with the schema's examples if they validate, else without.
func (h *Handler) synthesizedFor(route *specvalidate.Route) ([]byte, error) {
	id := route.Operation.ID
	h.mu.Lock()
	cached, ok := h.synthesized[id]
	h.mu.Unlock()
	if ok {
		return cached, nil
	}
	op := h.ops[id]
	if op == nil {
		return nil, fmt.Errorf("no operation %s in the embedded spec", id)
	}
	var lastErr error
	for _, withExamples := range []bool{true, false} {
		body, err := synthesizedBody(op, withExamples)
		if err != nil {
			return nil, err
		}
		hdr := http.Header{"Content-Type": {"application/json"}}
		if lastErr = h.spec.ValidateResponse(route, http.StatusOK, hdr, body); lastErr == nil {
			h.mu.Lock()
			h.synthesized[id] = body
			h.mu.Unlock()
			return body, nil
		}
	}
	return nil, fmt.Errorf("the synthesized response does not validate: %w", lastErr)
}
