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
)

// retryDoer owns the life of a request: one attempt after another, each
// with credentials, a timeout and a rewound body, until an answer, a
// failure that must not be retried, or the end of the retries, the budget
// or the caller's context. It turns the final non-2xx response into an
// *Error and a final failure into a *TransportError.
type retryDoer struct {
	client       *http.Client
	base         origin
	auth         []string // the Authorization header's value, shared read-only
	userAgent    []string // the User-Agent header's value, shared read-only
	secrets      []string // always redacted from errors: the API key
	maxRetries   int
	timeout      time.Duration
	maxRetryWait time.Duration
	retryUnsafe  bool
	budget       *retryBudget
	logger       *slog.Logger
}

// maxDrain is how much of a discarded response body is read so that its
// connection can be reused; a longer body costs a new connection instead.
const maxDrain = 64 << 10

func (d *retryDoer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	path := req.URL.Path
	if !d.base.matches(req.URL) {
		// Only a request editor can get here; the key stays home.
		return nil, &TransportError{Method: req.Method, Path: path, Err: errors.New("request URL is not on the base URL's scheme, host and port: not sending the API key there")}
	}
	call := callSettingsFrom(ctx)
	maxRetries, timeout := d.maxRetries, d.timeout
	if call.maxRetries != nil {
		maxRetries = *call.maxRetries
	}
	if call.timeout != nil {
		timeout = *call.timeout
	}
	mayRepeat := idempotent(req.Method) || d.retryUnsafe || call.retryUnsafe
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		maxRetries = 0 // a body that cannot be rewound is sent once
	}

	for attempt := 1; ; attempt++ {
		attemptReq, cancel, err := d.newAttempt(req, attempt, timeout)
		if err != nil {
			return nil, &TransportError{Method: req.Method, Path: path, Attempts: attempt - 1, Err: err}
		}
		start := time.Now()
		resp, err := d.client.Do(attemptReq)

		var out outcome
		if err != nil {
			out = classifyError(err, ctx, attemptReq.Context())
		} else if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			d.budget.success()
			d.logAttempt(ctx, req, attempt, resp.StatusCode, time.Since(start), 0, false)
			resp.Body = &responseBody{ReadCloser: resp.Body, cancel: cancel, method: req.Method, path: path, attempts: attempt}
			return resp, nil
		} else {
			var body []byte
			if resp.StatusCode == http.StatusConflict {
				body = bufferBody(resp) // ABORTED or ALREADY_EXISTS: the body tells
			}
			out = classifyResponse(resp, body)
		}

		retryable := out == notActed || (out == mayHaveActed && mayRepeat)
		if out != final {
			// Server trouble, retried or not (a POST's 500 too), takes a
			// token; a final answer (a 404, a 400) or the caller's own
			// cancellation leaves the budget as it is: only successes
			// give tokens back, as in gRPC's retry throttling.
			d.budget.failure()
		}
		wait, retry := d.retryWait(ctx, resp, retryable, attempt, maxRetries)
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		d.logAttempt(ctx, req, attempt, status, time.Since(start), wait, retry)

		if !retry {
			defer cancel()
			if err != nil {
				return nil, &TransportError{Method: req.Method, Path: path, Attempts: attempt, Err: unwrapURLError(err)}
			}
			return nil, d.newError(req, resp, attempt)
		}
		var last error
		if err != nil {
			last = &TransportError{Method: req.Method, Path: path, Attempts: attempt, Err: unwrapURLError(err)}
		} else {
			last = d.newError(req, resp, attempt) // reads and closes the body, so the connection is reused
		}
		cancel()
		if err := sleep(ctx, wait); err != nil {
			return nil, errors.Join(&TransportError{Method: req.Method, Path: path, Attempts: attempt, Err: err}, last)
		}
	}
}

// newAttempt prepares one attempt: the caller's request with the attempt's
// context, a fresh copy of the body and the SDK's headers. The caller's
// request is never modified.
func (d *retryDoer) newAttempt(req *http.Request, attempt int, timeout time.Duration) (*http.Request, context.CancelFunc, error) {
	ctx, cancel := req.Context(), context.CancelFunc(func() {})
	if deadline, ok := ctx.Deadline(); !ok || time.Until(deadline) > timeout {
		ctx, cancel = context.WithTimeout(ctx, timeout)
	}
	r := req.WithContext(ctx)
	if attempt > 1 && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			cancel()
			return nil, nil, err
		}
		r.Body = body
	}
	// Copy the header map, sharing its (never modified) value slices, and
	// add ours to the copy.
	h := make(http.Header, len(req.Header)+2)
	for k, v := range req.Header {
		h[k] = v
	}
	h["Authorization"] = d.auth
	if _, ok := h["User-Agent"]; !ok {
		h["User-Agent"] = d.userAgent
	}
	r.Header = h
	return r, cancel, nil
}

// retryWait decides whether to retry after a retryable failure and how
// long to wait first: the server's Retry-After when it gave one (a longer
// wait than maxRetryWait means no retry), else exponential backoff. No
// retry is started that would end after the caller's deadline.
func (d *retryDoer) retryWait(ctx context.Context, resp *http.Response, retryable bool, attempt, maxRetries int) (time.Duration, bool) {
	if !retryable || attempt > maxRetries || !d.budget.allowRetry() {
		return 0, false
	}
	wait := backoff(attempt - 1)
	if resp != nil {
		if server, ok := parseRetryAfter(resp.Header, time.Now()); ok {
			if server > d.maxRetryWait {
				return 0, false
			}
			wait = server
		}
	}
	if deadline, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(deadline) {
		return 0, false
	}
	return wait, true
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

// newError turns the final non-2xx response into an *Error, with secret
// values redacted.
func (d *retryDoer) newError(req *http.Request, resp *http.Response, attempts int) *Error {
	e := newError(resp, req.Method, req.URL.Path, attempts)
	e.Response.Request = req // the caller's request: no credentials in it
	redactError(e, req, d.secrets)
	return e
}

// bufferBody replaces resp.Body with a copy in memory (at most
// MaxErrorBody bytes), so that it can be read to decide on a retry and
// again to build the error.
func bufferBody(resp *http.Response) []byte {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
	drainAndClose(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return body
}

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
// after Do has returned. It ends the attempt's context when closed, not
// before, and turns a failure while reading (the connection reset or
// closed mid-body) into a *TransportError. Such a failure is not retried:
// the response was already handed over.
type responseBody struct {
	io.ReadCloser
	cancel       context.CancelFunc
	method, path string
	attempts     int
}

func (b *responseBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		var te *TransportError
		if !errors.As(err, &te) {
			err = &TransportError{Method: b.method, Path: b.path, Attempts: b.attempts, Err: fmt.Errorf("reading the response body: %w", err)}
		}
	}
	return n, err
}

func (b *responseBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

func (d *retryDoer) logAttempt(ctx context.Context, req *http.Request, attempt, status int, took, wait time.Duration, retry bool) {
	if d.logger == nil {
		return
	}
	level := slog.LevelDebug
	if retry {
		level = slog.LevelInfo
	}
	if !d.logger.Enabled(ctx, level) {
		return
	}
	msg := "fireworks request"
	if retry {
		msg = "fireworks request failed, retrying"
	}
	d.logger.LogAttrs(ctx, level, msg,
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("status", status),
		slog.Int("attempt", attempt),
		slog.Duration("wait", wait),
		slog.Duration("duration", took),
	)
}
