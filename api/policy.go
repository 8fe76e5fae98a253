package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
)

// The retry policy, in one place. README.md shows it as a table, and
// policy_test.go holds that table.

// idempotent reports whether sending the request twice has the same effect
// as sending it once (RFC 9110, section 9.2.2).
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace,
		http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// outcome is what one attempt proved, as far as retrying is concerned.
type outcome int

const (
	// final: an answer (2xx, or an error a retry cannot fix), or a failure
	// that must not be retried (the caller's context, a bad certificate, a
	// malformed request).
	final outcome = iota
	// notActed: a failure that proves the server did not act on the
	// request (no connection was made, 429, a 503 that asks for a retry
	// with Retry-After, x-should-retry: true). Safe to retry for every
	// method.
	notActed
	// mayHaveActed: a failure after which the server may have acted
	// (connection lost after sending, per-attempt timeout, 408, 409
	// ABORTED, 500, 502, a bare 503, 504). Retried only for idempotent
	// methods, or when the caller opted in.
	mayHaveActed
)

// classifyResponse decides about a non-2xx response; body is its body for a
// 409, nil otherwise. x-should-retry, when the server sends it, overrides
// the status code either way.
func classifyResponse(resp *http.Response, body []byte) outcome {
	switch strings.ToLower(resp.Header.Get("X-Should-Retry")) {
	case "true":
		return notActed
	case "false":
		return final
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return notActed
	case http.StatusServiceUnavailable:
		// The spec's UNAVAILABLE says a retry is not always safe for
		// non-idempotent operations, and a proxy answers 503 when its
		// upstream failed after the backend may have acted. A server that
		// asks to be called again later (Retry-After) has not acted.
		if resp.Header.Get("Retry-After") != "" || resp.Header.Get("Retry-After-Ms") != "" {
			return notActed
		}
		return mayHaveActed
	case http.StatusRequestTimeout, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusGatewayTimeout:
		return mayHaveActed
	case http.StatusConflict:
		// ABORTED is a concurrency conflict that a retry may resolve;
		// ALREADY_EXISTS (the other 409) never will.
		if isAborted(body) {
			return mayHaveActed
		}
	}
	return final
}

func isAborted(body []byte) bool {
	var e Error
	decodeErrorBody(&e, body) // the same lenient decoding as the final error's
	return e.Code == CodeAborted
}

// classifyError decides about an attempt that got no response. attemptCtx
// is the attempt's context (with its per-attempt timeout), callerCtx the
// caller's.
func classifyError(err error, callerCtx, attemptCtx context.Context) outcome {
	if callerCtx.Err() != nil {
		return final // the caller's own cancellation or deadline
	}
	if attemptCtx.Err() != nil {
		return mayHaveActed // the per-attempt timeout: the server may be working on it
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // url.Error claims to be a net.Error; look inside it
	}
	var (
		certInvalid  x509.CertificateInvalidError
		unknownAuth  x509.UnknownAuthorityError
		hostname     x509.HostnameError
		certVerify   *tls.CertificateVerificationError
		recordHeader tls.RecordHeaderError
	)
	if errors.As(err, &certInvalid) || errors.As(err, &unknownAuth) || errors.As(err, &hostname) ||
		errors.As(err, &certVerify) || errors.As(err, &recordHeader) {
		return final // a retry will meet the same certificate
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return notActed
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		if opErr.Op == "dial" || errors.Is(err, syscall.ECONNREFUSED) {
			return notActed // no connection was made
		}
		return mayHaveActed
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return mayHaveActed // the connection was lost after the request went out
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return mayHaveActed
	}
	return final // unknown: malformed URL, unsupported scheme, a transport's own refusal
}
