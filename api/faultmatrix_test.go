package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// outcome kinds of the fault matrix.
const (
	apiError       = "*api.Error"
	transportError = "*api.TransportError"
	decodeError    = "*api.DecodeError"
	deadlineError  = "*api.TransportError (deadline)"
)

// expected is one cell of the fault matrix: attempts made and what the
// caller gets.
type expected struct {
	attempts int
	outcome  string
}

// faultMatrix is every fault the contract-test kit injects, with the
// outcome for idempotent (GET, DELETE) and non-idempotent (POST, PATCH)
// calls under the default policy (2 retries). Faults marked "after acting"
// hit after the fake created, updated or deleted: for POST and PATCH, one
// attempt means no duplicated side effect. README.md shows this table.
var faultMatrix = []struct {
	name          string
	fault         gatewaytest.Fault
	refused       bool          // no server at all
	deadline      time.Duration // the caller's deadline, if any
	wait          time.Duration // the least wait between attempts the server asked for
	firstWaitOnly bool          // the wait holds before the first retry only (a date in the past by then)
	idempotent    expected
	nonIdempotent expected
}{
	{name: "connection refused", refused: true,
		idempotent: expected{3, transportError}, nonIdempotent: expected{3, transportError}},
	{name: "reset before the response (after acting)", fault: gatewaytest.Fault{Reset: gatewaytest.ResetBeforeHeaders, AfterAction: true},
		idempotent: expected{3, transportError}, nonIdempotent: expected{1, transportError}},
	{name: "reset mid-body (after acting)", fault: gatewaytest.Fault{Reset: gatewaytest.ResetAfterHeaders, AfterAction: true},
		idempotent: expected{1, transportError}, nonIdempotent: expected{1, transportError}},
	{name: "408 Request Timeout", fault: gatewaytest.Fault{Status: 408},
		idempotent: expected{3, apiError}, nonIdempotent: expected{1, apiError}},
	{name: "409 ABORTED", fault: gatewaytest.Fault{Status: 409, Code: 10},
		idempotent: expected{3, apiError}, nonIdempotent: expected{1, apiError}},
	{name: "409 ALREADY_EXISTS", fault: gatewaytest.Fault{Status: 409, Code: 6},
		idempotent: expected{1, apiError}, nonIdempotent: expected{1, apiError}},
	{name: "429, no Retry-After", fault: gatewaytest.Fault{Status: 429},
		idempotent: expected{3, apiError}, nonIdempotent: expected{3, apiError}},
	{name: "429, Retry-After: 1 (seconds)", fault: gatewaytest.Fault{Status: 429, RetryAfter: "1"}, wait: time.Second,
		idempotent: expected{3, apiError}, nonIdempotent: expected{3, apiError}},
	{name: "429, Retry-After as an HTTP date", fault: gatewaytest.Fault{Status: 429, RetryAfter: "date+3s"}, wait: time.Second, firstWaitOnly: true,
		idempotent: expected{3, apiError}, nonIdempotent: expected{3, apiError}},
	{name: "429, retry-after-ms: 300", fault: gatewaytest.Fault{Status: 429, RetryAfterMs: "300"}, wait: 300 * time.Millisecond,
		idempotent: expected{3, apiError}, nonIdempotent: expected{3, apiError}},
	{name: "500 (after acting)", fault: gatewaytest.Fault{Status: 500, AfterAction: true},
		idempotent: expected{3, apiError}, nonIdempotent: expected{1, apiError}},
	{name: "502 (after acting)", fault: gatewaytest.Fault{Status: 502, AfterAction: true},
		idempotent: expected{3, apiError}, nonIdempotent: expected{1, apiError}},
	{name: "503, retry-after-ms: 200", fault: gatewaytest.Fault{Status: 503, RetryAfterMs: "200"}, wait: 200 * time.Millisecond,
		idempotent: expected{3, apiError}, nonIdempotent: expected{3, apiError}},
	{name: "503 without Retry-After (after acting)", fault: gatewaytest.Fault{Status: 503, AfterAction: true},
		idempotent: expected{3, apiError}, nonIdempotent: expected{1, apiError}},
	{name: "504 (after acting)", fault: gatewaytest.Fault{Status: 504, AfterAction: true},
		idempotent: expected{3, apiError}, nonIdempotent: expected{1, apiError}},
	{name: "malformed JSON with 200 (after acting)", fault: gatewaytest.Fault{Body: gatewaytest.MalformedBody, AfterAction: true},
		idempotent: expected{1, decodeError}, nonIdempotent: expected{1, decodeError}},
	{name: "truncated body (after acting)", fault: gatewaytest.Fault{Body: gatewaytest.TruncatedBody, AfterAction: true},
		idempotent: expected{1, transportError}, nonIdempotent: expected{1, transportError}},
	{name: "server slower than the deadline", fault: gatewaytest.Fault{Delay: 5 * time.Second}, deadline: 300 * time.Millisecond,
		idempotent: expected{1, deadlineError}, nonIdempotent: expected{1, deadlineError}},
}

// TestFaultMatrix runs every fault against one operation of each method
// class on the Secrets resource, each against its own fake, in parallel
// (the waits are real: this is the end-to-end check; retry timing itself
// is proven on a fake clock in retry_test.go). For each cell it checks the
// attempts, the waits, the final error's type and fields, that no side
// effect was duplicated, that the connection was reused, and (TestMain)
// that no goroutine is left.
func TestFaultMatrix(t *testing.T) {
	for _, row := range faultMatrix {
		for _, method := range []string{"GET", "DELETE", "POST", "PATCH"} {
			want := row.idempotent
			if method == "POST" || method == "PATCH" {
				want = row.nonIdempotent
			}
			t.Run(row.name+"/"+method, func(t *testing.T) {
				t.Parallel()
				fake, c := gatewaytest.Start(t, gatewaytest.WithClientOptions(api.WithoutRetryBudget()))
				if err := fake.AddSecret("acct", "sec", "API_KEY", "old-value-123"); err != nil {
					t.Fatal(err)
				}
				if row.refused {
					c = refusedClient(t)
				}
				f := row.fault
				if f.RetryAfter == "date+3s" {
					// Whole seconds: the wait is 2 to 3 s, well above the 1 s checked.
					f.RetryAfter = time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
				}
				fake.Inject(operationFor(method), f)

				ctx := context.Background()
				if row.deadline > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, row.deadline)
					defer cancel()
				}
				err := callMethod(ctx, c, method)

				attempts := len(fake.Requests(operationFor(method)))
				if row.refused {
					var te *api.TransportError
					if errors.As(err, &te) {
						attempts = te.Attempts
					}
				}
				if attempts != want.attempts {
					t.Errorf("%d attempts, want %d", attempts, want.attempts)
				}
				checkOutcome(t, err, want, row.fault.Status)
				entries := fake.Requests(operationFor(method))
				if row.firstWaitOnly && len(entries) > 2 {
					entries = entries[:2]
				}
				checkWaits(t, entries, row.wait)
				checkConnections(t, fake, row.refused, row.fault.Reset == gatewaytest.ResetBeforeHeaders, attempts)
			})
		}
	}
}

func operationFor(method string) gen.OperationID {
	return map[string]gen.OperationID{"GET": gen.OpGetSecret, "DELETE": gen.OpDeleteSecret, "POST": gen.OpCreateSecret, "PATCH": gen.OpUpdateSecret}[method]
}

// refusedClient is a client for an address where nothing listens.
func refusedClient(t *testing.T) *api.Client {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL("http://"+addr), api.WithAccount("acct"), api.WithHTTPClient(&http.Client{Transport: tr}), api.WithoutRetryBudget())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func checkOutcome(t *testing.T, err error, want expected, status int) {
	t.Helper()
	var apiErr *api.Error
	var te *api.TransportError
	var de *api.DecodeError
	var syntax *json.SyntaxError
	switch want.outcome {
	case apiError:
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status || apiErr.Attempts != want.attempts {
			t.Errorf("err = %v, want an *api.Error %d after %d attempts", err, status, want.attempts)
		} else if apiErr.Method == "" || apiErr.Path == "" || len(apiErr.Body) == 0 || apiErr.Code == "" {
			t.Errorf("the *api.Error lacks fields: method %q path %q code %q body %d bytes", apiErr.Method, apiErr.Path, apiErr.Code, len(apiErr.Body))
		}
	case transportError:
		if !errors.As(err, &te) || te.Attempts != want.attempts || te.Method == "" || te.Path == "" {
			t.Errorf("err = %v, want an *api.TransportError after %d attempts", err, want.attempts)
		}
	case deadlineError:
		if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want a TransportError wrapping DeadlineExceeded", err)
		}
	case decodeError:
		if !errors.As(err, &de) || !errors.As(err, &syntax) || de.Attempts != want.attempts || de.StatusCode != http.StatusOK || de.Path == "" || de.Snippet == "" {
			t.Errorf("err = %v (%T), want an *api.DecodeError of a 200 after %d attempts, wrapping the JSON syntax error, with a snippet", err, err, want.attempts)
		}
	}
}

// checkWaits: consecutive attempts were at least the server's wait apart.
func checkWaits(t *testing.T, entries []gatewaytest.Entry, least time.Duration) {
	t.Helper()
	for i := 1; i < len(entries); i++ {
		if gap := entries[i].Time.Sub(entries[i-1].Time); gap < least {
			t.Errorf("attempt %d came %v after the one before, the server asked for %v", i+1, gap, least)
		}
	}
}

// checkConnections: every attempt reuses the first connection, except
// after a reset, which kills it.
func checkConnections(t *testing.T, fake *gatewaytest.Server, refused, resets bool, attempts int) {
	t.Helper()
	want := 1
	switch {
	case refused:
		want = 0
	case resets:
		want = attempts
	}
	if got := fake.Connections(); got != want {
		t.Errorf("%d TCP connections, want %d", got, want)
	}
}

// TestREADMEFaultMatrix keeps README.md's fault matrix equal to
// faultMatrix; run with -update-readme to rewrite it.
func TestREADMEFaultMatrix(t *testing.T) {
	var b strings.Builder
	b.WriteString("| fault | GET, DELETE | POST, PATCH |\n|---|---|---|\n")
	cell := func(e expected) string {
		return fmt.Sprintf("%d attempt%s, %s", e.attempts, map[bool]string{true: "", false: "s"}[e.attempts == 1], e.outcome)
	}
	for _, row := range faultMatrix {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", row.name, cell(row.idempotent), cell(row.nonIdempotent))
	}
	replaceREADMESection(t, "fault-matrix", b.String(), *updateREADME)
}
