package gatewaytest

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/fireworks-gateway/go-sdk/gen"
)

// Fault is a failure the fake injects instead of (or before) its normal
// answer. Set one kind of failure: Status, Reset, or Body; a Fault with
// only a Delay slows the normal answer down.
type Fault struct {
	// Status answers with this HTTP status and a Gateway error body.
	Status int
	// Code is the Gateway code of that body (a google.rpc.Code number);
	// 0 picks the one grpc-gateway pairs with Status. Use 6 for a 409
	// ALREADY_EXISTS, 10 for a 409 ABORTED.
	Code int
	// Message is the error body's message; a default names the fault.
	Message string
	// RetryAfter, RetryAfterMs and ShouldRetry set the Retry-After,
	// retry-after-ms and x-should-retry headers of the answer.
	RetryAfter, RetryAfterMs, ShouldRetry string
	// Delay waits before answering (cut short if the client goes away).
	Delay time.Duration
	// Reset drops the connection with a TCP reset instead of answering.
	Reset Reset
	// Body answers 200 with a broken body.
	Body BrokenBody
	// AfterAction makes the fault hit after the fake has acted on the
	// request (created, updated or deleted), as a server that fails after
	// committing: a retry of such a request would repeat its effect.
	AfterAction bool
	// Times is how many requests the fault hits before it is used up;
	// 0 hits every request until ClearFaults.
	Times int
	// Rate, between 0 and 1, makes the fault hit each request with that
	// probability (a request it spares does not use up Times); 0 hits
	// every request.
	Rate float64
}

// Reset is where in the answer the connection is reset.
type Reset int

const (
	// NoReset answers normally.
	NoReset Reset = iota
	// ResetBeforeHeaders resets the connection before any byte of the answer.
	ResetBeforeHeaders
	// ResetAfterHeaders sends a 200's headers and part of its body, then resets.
	ResetAfterHeaders
)

// BrokenBody is how a 200's body is broken.
type BrokenBody int

const (
	// IntactBody answers normally.
	IntactBody BrokenBody = iota
	// TruncatedBody declares the full length but closes after half of it.
	TruncatedBody
	// MalformedBody sends a complete body that is not valid JSON.
	MalformedBody
)

// Inject queues faults for an operation (a gen.Op constant, such as
// gen.OpUpdateSecret) or for AllOperations. Faults apply in order: the
// first is used for its Times requests, then the next. An operation's own
// faults come before those for all operations. Faults apply after a
// request is validated, so that an invalid request is still reported as
// such. An operation the spec does not have fails the test at once (see
// WithReporter): a fault that can never fire would let the test pass.
func (h *Handler) Inject(operation gen.OperationID, faults ...Fault) {
	if h.tb != nil {
		h.tb.Helper()
	}
	id, ok := h.operation("Inject", operation, true)
	if !ok {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range faults {
		f := faults[i]
		h.faults[id] = append(h.faults[id], &f)
	}
}

// ClearFaults removes every queued fault.
func (h *Handler) ClearFaults() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults = map[gen.OperationID][]*Fault{}
}

// nextFault takes the fault for this request, if any, using up one of its
// Times.
func (h *Handler) nextFault(operation gen.OperationID) *Fault {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.faults) == 0 {
		return nil
	}
	for _, key := range []gen.OperationID{operation, AllOperations} {
		queue := h.faults[key]
		if len(queue) == 0 {
			continue
		}
		f := *queue[0]
		if f.Rate > 0 && rand.Float64() >= f.Rate {
			continue // spared by this fault; one for all operations may still hit
		}
		if queue[0].Times > 0 {
			queue[0].Times--
			if queue[0].Times == 0 {
				h.faults[key] = queue[1:]
			}
		}
		return &f
	}
	return nil
}

// apply carries out a fault. It reports whether it answered the request;
// false lets the normal answer go ahead (after a delay-only fault).
func (f *Fault) apply(ctx context.Context, w http.ResponseWriter, operation string, normal []byte) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return true // the client is gone; nobody reads an answer
		}
	}
	switch {
	case f.Reset == ResetBeforeHeaders:
		resetConnection(w, "")
		return true
	case f.Reset == ResetAfterHeaders:
		resetConnection(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":\"accounts/")
		return true
	case f.Body == TruncatedBody:
		body := normal
		if len(body) < 2 {
			body = []byte(`{"name":"accounts/x"}`)
		}
		closeAfter(w, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:len(body)/2]))
		return true
	case f.Body == MalformedBody:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"name": "accounts/x", "keyName": ]`))
		return true
	case f.Status != 0:
		h := w.Header()
		for name, v := range map[string]string{"Retry-After": f.RetryAfter, "Retry-After-Ms": f.RetryAfterMs, "X-Should-Retry": f.ShouldRetry} {
			if v != "" {
				h.Set(name, v)
			}
		}
		code := f.Code
		if code == 0 {
			code = codeForStatus(f.Status)
		}
		msg := f.Message
		if msg == "" {
			msg = "injected fault: " + strconv.Itoa(f.Status) + " " + http.StatusText(f.Status) + " for " + operation
		}
		writeError(w, f.Status, code, msg)
		return true
	}
	return false
}

// resetConnection writes prefix (maybe nothing) on the raw connection and
// closes it with a TCP reset (SO_LINGER 0), as a crashed server would.
func resetConnection(w http.ResponseWriter, prefix string) {
	conn, buf, ok := hijack(w)
	if !ok {
		return
	}
	if prefix != "" {
		_, _ = buf.WriteString(prefix)
		_ = buf.Flush()
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// closeAfter writes raw on the connection and closes it normally, before
// the declared body is complete.
func closeAfter(w http.ResponseWriter, raw string) {
	conn, buf, ok := hijack(w)
	if !ok {
		return
	}
	_, _ = buf.WriteString(raw)
	_ = buf.Flush()
	_ = conn.Close()
}

func hijack(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "gatewaytest: this connection cannot be hijacked for a reset", http.StatusInternalServerError)
		return nil, nil, false
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return nil, nil, false
	}
	return conn, buf, true
}
