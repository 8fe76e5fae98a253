package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// One attempt of a storage request (a signed URL's PUT or GET), as the
// pipeline runs it: bounded by progress, not by a clock. A watchdog ends
// the attempt when no byte of its request or response body has moved for
// the idle time; a PUT counts as stored only when storage answered 2xx
// after reading every byte; a GET's body is received within the attempt,
// so that a stall, a cut or a reset mid-body is retried like any failure.

// DefaultTransferIdleTimeout is how long a storage PUT or GET may go
// without a byte moving (connecting, sending, waiting for the answer or
// receiving it) before it is abandoned and retried, unless
// WithTransferIdleTimeout says otherwise.
const DefaultTransferIdleTimeout = 60 * time.Second

// DefaultMaxDownloadSize bounds a downloaded file whose size storage does
// not announce (no Content-Length, no x-goog-stored-content-length), unless
// WithMaxDownloadSize says otherwise.
const DefaultMaxDownloadSize int64 = 64 << 30

// Sentinels of the transfer failures, for errors.Is. Each comes inside a
// *TransportError.
var (
	// ErrTransferStalled: a storage PUT or GET moved no byte for the idle
	// time (WithTransferIdleTimeout). It is retried as a lost connection
	// is; this is the cause once the retries are spent.
	ErrTransferStalled = errors.New("the transfer stalled: no byte moved for the idle timeout")
	// ErrNotStored: storage answered an upload's PUT with a redirect, or
	// with a 2xx before it had read the whole file. The file may not be
	// stored; the upload is not validated.
	ErrNotStored = errors.New("storage did not take the whole file")
	// ErrDownloadTooLarge: a download brought more bytes than storage
	// announced or, when it announced none, than WithMaxDownloadSize. It
	// is not retried, and nothing is left on disk.
	ErrDownloadTooLarge = errors.New("the download is larger than announced or allowed")
	// ErrChecksumMismatch: what a download brought does not match the
	// checksum storage announced in x-goog-hash. It is not retried, and
	// nothing is left on disk.
	ErrChecksumMismatch = errors.New("the checksum of what arrived does not match storage's x-goog-hash")
)

// storageTransfer is what the pipeline needs to run a storage request's
// attempts.
type storageTransfer struct {
	idle time.Duration
	// receive reads a 2xx GET's body within the attempt; its error fails
	// the attempt (retried unless marked notRetried). Nil for a PUT.
	receive func(resp *http.Response, body io.Reader) error
}

// notRetried marks a transfer failure that another attempt cannot mend
// (a file that changed, a checksum, a redirect, the local disk).
type notRetried struct{ err error }

func (e notRetried) Error() string { return e.err.Error() }
func (e notRetried) Unwrap() error { return e.err }

// idleWatch ends an attempt's context, with ErrTransferStalled as cause,
// once no byte has moved for idle; every byte moved re-arms it. It counts
// the bytes the transport read from the request body, and knows whether
// the transport has closed every copy of it.
type idleWatch struct {
	idle   time.Duration
	ctx    context.Context
	cancel context.CancelCauseFunc
	timer  *time.Timer
	sent   atomic.Int64

	mu        sync.Mutex
	open      int           // request bodies the transport has not closed
	allClosed chan struct{} // closed when open falls to 0
}

func newIdleWatch(parent context.Context, idle time.Duration) *idleWatch {
	ctx, cancel := context.WithCancelCause(parent)
	w := &idleWatch{idle: idle, ctx: ctx, cancel: cancel}
	w.timer = time.AfterFunc(idle, func() { cancel(ErrTransferStalled) })
	return w
}

// moved re-arms the watch: n bytes just moved.
func (w *idleWatch) moved(n int) {
	if n > 0 {
		w.timer.Reset(w.idle)
	}
}

// stop ends the attempt's context and its watch.
func (w *idleWatch) stop() {
	w.timer.Stop()
	w.cancel(context.Canceled)
}

// stalled reports whether the watch ended the attempt.
func (w *idleWatch) stalled() bool {
	return errors.Is(context.Cause(w.ctx), ErrTransferStalled)
}

// explain names the stall, and the idle time, as the cause of err when the
// watch ended the attempt (the transport says "context canceled", or the
// bare cause).
func (w *idleWatch) explain(err error) error {
	if w.stalled() {
		return fmt.Errorf("%w (%v)", ErrTransferStalled, w.idle)
	}
	return err
}

// sentBody is a request body whose reads re-arm the watch and are counted.
type sentBody struct {
	io.ReadCloser
	w    *idleWatch
	once sync.Once
}

func (b *sentBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(func() {
		b.w.mu.Lock()
		defer b.w.mu.Unlock()
		if b.w.open--; b.w.open == 0 {
			close(b.w.allClosed)
		}
	})
	return err
}

// awaitBodies waits until the transport has closed the attempt's request
// body (it may close it in its own goroutine after the attempt ended),
// so that the next attempt, or the caller, never shares the file's reader
// with it; at most the idle time, or until ctx ends.
func (w *idleWatch) awaitBodies(ctx context.Context) {
	w.mu.Lock()
	open, closed := w.open, w.allClosed
	w.mu.Unlock()
	if open == 0 {
		return
	}
	t := time.NewTimer(w.idle)
	defer t.Stop()
	select {
	case <-closed:
	case <-ctx.Done():
	case <-t.C:
	}
}

func (b *sentBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.w.sent.Add(int64(n))
	b.w.moved(n)
	return n, err
}

// receivedBody is a response body whose reads re-arm the watch.
type receivedBody struct {
	r io.Reader
	w *idleWatch
}

func (b *receivedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.w.moved(n)
	return n, err
}

// watchBody wraps an attempt's request body, if it has one.
func (w *idleWatch) watchBody(body io.ReadCloser) io.ReadCloser {
	if body == nil || body == http.NoBody {
		return body
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.open == 0 {
		w.allClosed = make(chan struct{})
	}
	w.open++
	return &sentBody{ReadCloser: body, w: w}
}

// watchGetBody wraps the attempt's GetBody, which the transport calls to
// send the body again on a fresh connection (a kept-alive one that was
// closed under it): the copy is watched too, and counted from 0.
func (w *idleWatch) watchGetBody(get func() (io.ReadCloser, error)) func() (io.ReadCloser, error) {
	if get == nil {
		return nil
	}
	return func() (io.ReadCloser, error) {
		body, err := get()
		if err != nil {
			return nil, err
		}
		w.sent.Store(0)
		return w.watchBody(body), nil
	}
}

// finish checks a storage answer within its attempt: a PUT must have a
// 2xx that came after its whole body was read (any 3xx is refused: Go
// would follow 301, 302 and 303 as a GET without the body), and a 2xx
// GET's body is received. A non-nil error fails the attempt; the body is
// then closed. Other answers (a 503) go on to the pipeline's handling.
func (t *storageTransfer) finish(req *http.Request, resp *http.Response, w *idleWatch) error {
	status := resp.StatusCode
	switch {
	case req.Method == http.MethodPut && status >= 300 && status < 400:
		drainAndClose(resp.Body)
		where := ""
		if loc, err := resp.Location(); err == nil {
			where = " to " + loc.Scheme + "://" + loc.Host // never the signed query
		}
		return notRetried{fmt.Errorf("%w: storage answered the PUT with %d %s (a redirect%s): not following",
			ErrNotStored, status, http.StatusText(status), where)}
	case status < 200 || status >= 300:
		return nil
	case req.Method == http.MethodPut && w.sent.Load() < req.ContentLength:
		drainAndClose(resp.Body)
		return fmt.Errorf("%w: storage answered %d after reading %d of the %d bytes", ErrNotStored, status, w.sent.Load(), req.ContentLength)
	case t.receive != nil:
		defer func() { _ = resp.Body.Close() }() // read: its close reports nothing to act on
		if err := t.receive(resp, &receivedBody{r: resp.Body, w: w}); err != nil {
			return w.explain(err)
		}
	}
	return nil
}

// classifyTransfer decides about a failed storage attempt: a failure
// marked notRetried or a file that changed size is final; a PUT answered
// before its body was read is retried (storage may have been restarting);
// the rest is classified as any request's.
func classifyTransfer(err error, callerCtx, attemptCtx context.Context) outcome {
	var nr notRetried
	switch {
	case errors.As(err, &nr) || errors.Is(err, ErrFileChanged):
		return final
	case errors.Is(err, ErrNotStored) && callerCtx.Err() == nil:
		return mayHaveActed
	}
	return classifyError(err, callerCtx, attemptCtx)
}
