package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/fireworks-gateway/go-sdk/internal/credentials"
)

// pipeline owns the life of a call once its request is built: one attempt
// after another, each with credentials, a timeout and a rewound body, until
// an answer, a failure that must not be retried, or the end of the
// retries, the budget or the caller's context. It turns the final non-2xx
// response into an *Error and a final failure into a *TransportError.
// Clients made by Client.With share their pipeline (its connections and
// its budget).
type pipeline struct {
	clientConfig // held once, as New made it

	server    string      // the base URL, as request builders take it
	api       destination // the API: its origin, with the API key
	storage   *http.Client
	userAgent []string // the User-Agent header's value, shared read-only
	secrets   []string // always redacted from errors: the API key
	budget    retryBudget
	// doer is the middleware chain, ending in the attempts; nil when
	// there is no middleware, so that a call goes straight to them.
	doer Doer
}

// destination is where a pipeline's attempts go: the API, with its
// credential, or a signed URL of storage, with none.
type destination struct {
	client *http.Client // the caller's or ours, with guarded redirects
	origin origin       // every attempt must stay on it
	auth   []string     // the Authorization header's value, shared read-only; nil for none
	// transfer is set for storage (a signed URL): its attempts are bounded
	// by progress instead of WithTimeout, and their answers checked.
	transfer *storageTransfer
	// cred gives the credential of each attempt when it may change (a
	// session, the caller's source); nil for a static key or none.
	cred    credentials.Source
	headers http.Header // FIREWORKS_CUSTOM_HEADERS, added to each attempt; nil for none
}

// maxDrain is how much of a discarded response body is read so that its
// connection can be reused; a longer body costs a new connection instead.
const maxDrain = 64 << 10

// errOffOrigin refuses a request that a request editor or a middleware
// pointed away from the base URL: the API key stays home.
var errOffOrigin = errors.New("request URL is not on the base URL's scheme, host and port: not sending the API key there")

type callSettingsKey struct{}

// send runs req, under ctx, with the call's settings: through the
// middlewares, if any, which see the settings in the request's context,
// then through the attempts. Without middleware, req keeps the context it
// was built with (the attempts put ctx in their own copies): a copy of
// the request less per call, and the settings stay on the stack. own says
// that the SDK built req and no code of the caller has seen it (no request
// editor): without middleware, its first attempt writes the SDK's headers
// into it instead of a copy.
func (p *pipeline) send(ctx context.Context, req *http.Request, s callSettings, own bool) (*http.Response, error) {
	if p.doer == nil {
		return p.attempts(ctx, req, &s, &p.api, own)
	}
	held := new(callSettings) // the middlewares' context holds it
	*held = s
	return p.doer.Do(req.WithContext(context.WithValue(ctx, callSettingsKey{}, held)))
}

// endOfChain is the last Doer of the middleware chain: the attempts, with
// the settings the call put in the context.
type endOfChain struct{ p *pipeline }

func (e endOfChain) Do(req *http.Request) (*http.Response, error) {
	s, _ := req.Context().Value(callSettingsKey{}).(*callSettings)
	if s == nil {
		return nil, &TransportError{Method: req.Method, Path: req.URL.EscapedPath(), Err: errors.New("a middleware sent a request that is not a call of the Client")}
	}
	return e.p.attempts(req.Context(), req, s, &e.p.api, false)
}

// attempts runs req under ctx (not req's own context) to d until an
// answer or a final failure. own says that req is the SDK's own, seen by
// no code of the caller (see send).
func (p *pipeline) attempts(ctx context.Context, req *http.Request, s *callSettings, d *destination, own bool) (*http.Response, error) {
	if !d.origin.matches(req.URL) {
		return nil, p.transportError(req, 0, errOffOrigin, nil)
	}
	maxRetries := s.maxRetries
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		maxRetries = 0 // a body that cannot be rewound is sent once
	}
	repeatable := idempotent(req.Method) || s.retryNonIdempotent
	resendable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	var sent *sentCredential // the credential of the last attempt, when it may change
	if d.cred != nil {
		sent = &sentCredential{}
		ctx = context.WithValue(ctx, sentCredentialKey{}, sent)
		req = req.WithContext(ctx) // errors redact the credential sent, found in req's context
	}
	reauthorized := false // a refused session token was refreshed once
	p.budget.startCall()

	// What the last retried attempt left, to build its error if the wait
	// for the next one is cut short: a response (its body kept, at most
	// MaxErrorBody bytes) or a failure.
	var lastResp *http.Response
	var lastErr error
	for attempt := 1; ; attempt++ {
		auth := d.auth
		if sent != nil {
			var err error
			if auth, err = sent.next(ctx, d.cred); err != nil {
				return nil, p.transportError(req, attempt-1, err, nil)
			}
		}
		start := time.Now()
		attemptReq, cancel, watch, err := p.newAttempt(ctx, req, attempt, start.Add(s.timeout), d, auth, own)
		if err != nil {
			return nil, p.transportError(req, attempt-1, err, nil)
		}
		resp, err := d.client.Do(attemptReq)
		if watch != nil {
			if err == nil {
				if err = d.transfer.finish(attemptReq, resp, watch); err != nil {
					resp = nil
				}
			} else {
				err = watch.explain(err)
			}
		}

		var out outcome
		if err != nil && watch != nil {
			out = classifyTransfer(err, ctx, attemptReq.Context())
		} else if err != nil {
			out = classifyError(err, ctx, attemptReq.Context())
		} else if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			p.budget.recordAttempt(true)
			p.logAttempt(ctx, req, attempt, resp.StatusCode, start, 0, false)
			if d == &p.api {
				p.fillResponse(s, req, resp, attempt)
			}
			resp.Body = &responseBody{ReadCloser: resp.Body, cancel: cancel, p: p, req: req, attempts: attempt}
			return resp, nil
		} else if inv, ok := d.cred.(credentials.Invalidator); ok && resp.StatusCode == http.StatusUnauthorized && !reauthorized && resendable {
			// The session's token was refused (revoked, or expired
			// early): refresh it, once, and send the call again.
			reauthorized = true
			inv.Invalidate(sent.token)
			bufferBody(resp)
			cancel()
			p.logAttempt(ctx, req, attempt, resp.StatusCode, start, 0, true)
			continue
		} else {
			var body []byte
			if needsBody(resp) {
				body = bufferBody(resp) // a 409 tells ABORTED from ALREADY_EXISTS
			}
			out = classifyResponse(resp, body)
		}
		if out != final {
			// Server trouble, retried or not (a POST's 500 too); a final
			// answer (a 404, a 400) or the caller's own cancellation says
			// nothing about the server's health.
			p.budget.recordAttempt(false)
		}
		retryable := out == notActed || (out == mayHaveActed && repeatable)
		wait, retry := p.retryWait(ctx, resp, retryable, attempt, maxRetries)
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		p.logAttempt(ctx, req, attempt, status, start, wait, retry)

		if !retry {
			var failure error
			if err != nil {
				failure = p.transportError(req, attempt, unwrapURLError(err), nil)
			} else {
				if d == &p.api {
					p.fillResponse(s, req, resp, attempt)
				}
				failure = p.newError(req, resp, attempt)
			}
			cancel()
			if watch != nil {
				watch.awaitBodies(ctx) // the caller may reuse the file's reader
			}
			return nil, failure
		}
		lastResp, lastErr = nil, err
		if resp != nil {
			bufferBody(resp) // drained and closed: the connection is reused
			lastResp = resp
		}
		cancel()
		if watch != nil {
			watch.awaitBodies(ctx) // the next attempt rewinds the file's reader
		}
		if err := sleep(ctx, wait); err != nil {
			var last error
			if lastResp != nil {
				last = p.newError(req, lastResp, attempt)
			} else {
				last = p.transportError(req, attempt, unwrapURLError(lastErr), nil)
			}
			return nil, p.transportError(req, attempt, err, last)
		}
	}
}

// needsBody reports whether deciding on a retry needs the response's body.
func needsBody(resp *http.Response) bool { return resp.StatusCode == http.StatusConflict }

// newAttempt prepares one attempt: the caller's request with the attempt's
// context (ctx, the call's, bounded), a fresh copy of the body and the
// SDK's headers. The caller's request is never modified, unless it is the
// SDK's own (own): then its first attempt writes the headers into it, as
// nothing else reads them yet. Later attempts copy them: the transport
// may still be writing an abandoned attempt's headers. An attempt of the
// API ends at deadline (its start plus the call's timeout); one of storage
// is bounded by its progress, which the returned watch follows. auth is
// the attempt's Authorization header value, nil for none.
func (p *pipeline) newAttempt(ctx context.Context, req *http.Request, attempt int, deadline time.Time, d *destination, auth []string, own bool) (*http.Request, context.CancelFunc, *idleWatch, error) {
	cancel := context.CancelFunc(func() {})
	var watch *idleWatch
	if d.transfer != nil {
		watch = newIdleWatch(ctx, d.transfer.idle)
		ctx, cancel = watch.ctx, watch.stop
	} else if callers, ok := ctx.Deadline(); !ok || callers.After(deadline) {
		ctx, cancel = context.WithDeadline(ctx, deadline)
	}
	r := req.WithContext(ctx)
	if attempt > 1 && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			cancel()
			return nil, nil, nil, err
		}
		r.Body = body
	}
	if watch != nil {
		r.Body, r.GetBody = watch.watchBody(r.Body), watch.watchGetBody(req.GetBody)
	}
	h := req.Header
	if !own || attempt > 1 || len(d.headers) > 0 || h == nil {
		// Copy the header map, sharing its (never modified) value slices,
		// and add ours to the copy. The custom headers go only into
		// copies: they never reach the request an error keeps.
		h = make(http.Header, len(req.Header)+len(d.headers)+2)
		for k, v := range d.headers {
			h[k] = v // the request's own headers win
		}
		for k, v := range req.Header {
			h[k] = v
		}
	}
	if auth != nil {
		h["Authorization"] = auth
	}
	if _, ok := h["User-Agent"]; !ok {
		h["User-Agent"] = p.userAgent
	}
	r.Header = h
	return r, cancel, watch, nil
}

// retryWait decides whether to retry after a retryable failure and how
// long to wait first: the server's Retry-After when it gave one (a longer
// wait than maxRetryWait means no retry), else exponential backoff. No
// retry is started that would end after the caller's deadline, and each
// retry takes its share of the budget last, once it is sure to happen.
func (p *pipeline) retryWait(ctx context.Context, resp *http.Response, retryable bool, attempt, maxRetries int) (time.Duration, bool) {
	if !retryable || attempt > maxRetries {
		return 0, false
	}
	wait := backoff(attempt - 1)
	if resp != nil {
		if server, ok := parseRetryAfter(resp.Header, time.Now()); ok {
			if server > p.maxRetryWait {
				return 0, false
			}
			wait = server
		}
	}
	if deadline, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(deadline) {
		return 0, false
	}
	return wait, p.budget.takeRetry()
}

// sleep waits for d, or returns the context's error as soon as it ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// bufferBody replaces resp.Body with a copy in memory (at most
// MaxErrorBody bytes; the rest, up to maxDrain, is read and dropped) and
// closes the original, so that its connection goes back to the pool.
func bufferBody(resp *http.Response) []byte {
	if r, ok := resp.Body.(*bufferedBody); ok {
		return r.data
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
	drainAndClose(resp.Body)
	resp.Body = &bufferedBody{Reader: bytes.NewReader(body), data: body}
	return body
}

// bufferedBody is a body bufferBody read already.
type bufferedBody struct {
	*bytes.Reader
	data []byte
}

func (*bufferedBody) Close() error { return nil }

// unwrapURLError drops the *url.Error around a transport failure: its text
// quotes the whole URL, query string included, and TransportError already
// says the method and path.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// drainAndClose reads what is left of a body, up to maxDrain bytes, and
// closes it, so that its connection goes back to the pool.
func drainAndClose(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, maxDrain)
	_ = body.Close()
}

// responseBody is a successful response's body as the caller reads it,
// after the attempts have ended. It ends the attempt's context when
// closed, not before, and turns a failure while reading (the connection
// reset or closed mid-body) into a *TransportError. Such a failure is not
// retried: the response was already handed over.
type responseBody struct {
	io.ReadCloser
	cancel   context.CancelFunc
	p        *pipeline
	req      *http.Request // the caller's: its method, path and secrets
	attempts int
}

func (b *responseBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		var te *TransportError
		if !errors.As(err, &te) {
			err = b.p.transportError(b.req, b.attempts, fmt.Errorf("reading the response body: %w", err), nil)
		}
	}
	return n, err
}

func (b *responseBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// logAttempt logs an attempt that began at start (its duration is taken
// only when the log is on).
func (p *pipeline) logAttempt(ctx context.Context, req *http.Request, attempt, status int, start time.Time, wait time.Duration, retry bool) {
	if p.logger == nil {
		return
	}
	level := slog.LevelDebug
	if retry {
		level = slog.LevelInfo
	}
	if !p.logger.Enabled(ctx, level) {
		return
	}
	msg := "fireworks request"
	if retry {
		msg = "fireworks request failed, retrying"
	}
	p.logger.LogAttrs(ctx, level, msg,
		slog.String("method", req.Method),
		slog.String("path", req.URL.EscapedPath()),
		slog.Int("status", status),
		slog.Int("attempt", attempt),
		slog.Duration("wait", wait),
		slog.Duration("duration", time.Since(start)),
	)
}
