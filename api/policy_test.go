package api_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
)

// retryPolicy is the retry policy as a table: for each failure, how many
// attempts a call makes with the default two retries, by method class.
// TestRetryPolicy checks every cell, and README.md shows this same table.
var retryPolicy = []struct {
	failure string
	step    step
	// attempts for idempotent methods (GET, DELETE), for POST and PATCH,
	// and for POST and PATCH when the caller opted in.
	idempotent, nonIdempotent int
}{
	{"connection refused (no connection made)", step{err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}, 3, 3},
	{"connect timeout (no connection made)", step{err: &net.OpError{Op: "dial", Net: "tcp", Err: &timeoutError{}}}, 3, 3},
	{"network unreachable (no connection made)", step{err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ENETUNREACH}}, 3, 3},
	{"DNS failure (no connection made)", step{err: &net.DNSError{Err: "no such host", Name: "api.fireworks.test", IsNotFound: true}}, 3, 3},
	{"connection reset after the request was sent", step{err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}, 3, 1},
	{"connection closed before the response (EOF)", step{err: io.ErrUnexpectedEOF}, 3, 1},
	{"per-attempt timeout", step{hang: true}, 3, 1},
	{"408 Request Timeout", step{status: 408}, 3, 1},
	{"409 ABORTED", step{status: 409, body: `{"code":10,"message":"concurrent update"}`}, 3, 1},
	{"409 ABORTED, as {\"error\":{\"status\":\"ABORTED\"}}", step{status: 409, body: `{"error":{"message":"conflict","status":"ABORTED"}}`}, 3, 1},
	{"409 ALREADY_EXISTS", step{status: 409, body: `{"code":6,"message":"exists"}`}, 1, 1},
	{"429 Too Many Requests", step{status: 429}, 3, 3},
	{"500 Internal Server Error", step{status: 500}, 3, 1},
	{"502 Bad Gateway", step{status: 502}, 3, 1},
	{"503 Service Unavailable with Retry-After or retry-after-ms", step{status: 503, header: http.Header{"Retry-After-Ms": {"10"}}}, 3, 3},
	{"503 Service Unavailable, bare (a proxy's answer after acting)", step{status: 503}, 3, 1},
	{"504 Gateway Timeout", step{status: 504}, 3, 1},
	{"any status with x-should-retry: true", step{status: 400, header: http.Header{"X-Should-Retry": {"true"}}}, 3, 3},
	{"any status with x-should-retry: false", step{status: 503, header: http.Header{"X-Should-Retry": {"false"}}}, 1, 1},
	{"400, 401, 403, 404 and other 4xx", step{status: 404}, 1, 1},
	{"certificate error", step{err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}, 1, 1},
	{"malformed URL or unsupported scheme", step{err: errors.New(`unsupported protocol scheme "ftp"`)}, 1, 1},
}

// TestRetryPolicy runs every cell of retryPolicy: each failure, for each
// method class, without and with the opt-in for non-idempotent methods,
// and checks the number of attempts and the type of the final error.
func TestRetryPolicy(t *testing.T) {
	for _, row := range retryPolicy {
		for _, method := range []string{"GET", "DELETE", "POST", "PATCH"} {
			for _, optIn := range []string{"", "client", "call"} {
				want := row.idempotent
				if (method == "POST" || method == "PATCH") && optIn == "" {
					want = row.nonIdempotent
				}
				if (method == "GET" || method == "DELETE") && optIn != "" {
					continue // the opt-in concerns non-idempotent methods only
				}
				name := fmt.Sprintf("%s/%s/optin=%s", row.failure, method, optIn)
				t.Run(name, func(t *testing.T) {
					synctest.Test(t, func(t *testing.T) {
						rt := script(row.step)
						opts := []api.ClientOption{api.WithTimeout(time.Second)}
						if optIn == "client" {
							opts = append(opts, api.WithRetryNonIdempotent())
						}
						c := newClient(t, rt, opts...)
						var editors []api.Option
						if optIn == "call" {
							editors = append(editors, api.WithRetryNonIdempotent())
						}
						err := callMethod(context.Background(), c, method, editors...)
						if got := len(rt.Calls()); got != want {
							t.Errorf("attempts = %d, want %d", got, want)
						}
						checkFinalError(t, err, row.step, want)
					})
				})
			}
		}
	}
}

// checkFinalError checks that err is the typed error of the last attempt.
func checkFinalError(t *testing.T, err error, st step, attempts int) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	if st.status != 0 {
		var apiErr *api.Error
		if !errors.As(err, &apiErr) {
			t.Fatalf("error %T is not an *api.Error: %v", err, err)
		}
		if apiErr.StatusCode != st.status || apiErr.Attempts != attempts {
			t.Errorf("status %d after %d attempts, want %d after %d", apiErr.StatusCode, apiErr.Attempts, st.status, attempts)
		}
		return
	}
	var te *api.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("error %T is not an *api.TransportError: %v", err, err)
	}
	if te.Attempts != attempts {
		t.Errorf("TransportError.Attempts = %d, want %d", te.Attempts, attempts)
	}
}

// TestREADMERetryPolicyTable keeps README.md's policy table equal to
// retryPolicy; run with -update-readme to rewrite it.
func TestREADMERetryPolicyTable(t *testing.T) {
	var b strings.Builder
	b.WriteString("| failure | GET, DELETE | POST, PATCH | POST, PATCH with opt-in |\n|---|---|---|---|\n")
	cell := func(n int) string {
		if n == 1 {
			return "not retried"
		}
		return fmt.Sprintf("retried (%d attempts)", n)
	}
	for _, row := range retryPolicy {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", row.failure, cell(row.idempotent), cell(row.nonIdempotent), cell(row.idempotent))
	}
	replaceREADMESection(t, "retry-policy", b.String(), *updateREADME)
}

// timeoutError is a dial timeout as net reports one.
type timeoutError struct{}

func (*timeoutError) Error() string   { return "i/o timeout" }
func (*timeoutError) Timeout() bool   { return true }
func (*timeoutError) Temporary() bool { return true }
