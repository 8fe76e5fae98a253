package api

import (
	"net/http"
	"testing"

	"github.com/fireworks-gateway/go-sdk/internal/redact"
)

// TestAPIKeysAreLongEnoughToRedact: every key New accepts is long enough
// for redact to replace it.
func TestAPIKeysAreLongEnoughToRedact(t *testing.T) {
	if minAPIKeyLen < redact.MinLen {
		t.Fatalf("minAPIKeyLen %d < redact.MinLen %d: an accepted key could stay in an error", minAPIKeyLen, redact.MinLen)
	}
	if checkAPIKey("abc") == nil {
		t.Error("a 3-character key was accepted")
	}
}

// TestDefaultTransportLeavesTheWaitToTheAttemptTimeout: the default
// transport bounds connecting and the TLS handshake, and leaves the wait
// for headers to the per-attempt timeout, which WithTimeout may make
// longer than any fixed bound.
func TestDefaultTransportLeavesTheWaitToTheAttemptTimeout(t *testing.T) {
	tr := defaultHTTPClient().Transport.(*http.Transport)
	if tr.ResponseHeaderTimeout != 0 {
		t.Errorf("ResponseHeaderTimeout %v caps WithTimeout", tr.ResponseHeaderTimeout)
	}
	if tr.TLSHandshakeTimeout == 0 || tr.DialContext == nil {
		t.Error("connecting or the TLS handshake is unbounded")
	}
}
