package gatewaytest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// TestFaultsReachTheClientAsTheyWould: each kind of fault gives the client
// what the real failure would, and the wrapper retries what it may.
func TestFaultsReachTheClientAsTheyWould(t *testing.T) {
	cases := []struct {
		name     string
		fault    gatewaytest.Fault
		attempts int // GetSecret attempts the fake sees, with 2 retries allowed
		check    func(t *testing.T, err error)
	}{
		{"503 once, then success", gatewaytest.Fault{Status: 503, RetryAfterMs: "0", Times: 1}, 2, wantNoError},
		{"429 with Retry-After, twice", gatewaytest.Fault{Status: 429, RetryAfter: "0", Times: 2}, 3, wantNoError},
		{"x-should-retry false on a 500", gatewaytest.Fault{Status: 500, ShouldRetry: "false"}, 1, wantStatus(500)},
		{"409 ALREADY_EXISTS", gatewaytest.Fault{Status: 409, Code: 6}, 1, wantIs(api.ErrAlreadyExists)},
		{"409 ABORTED once", gatewaytest.Fault{Status: 409, Code: 10, Times: 1}, 2, wantNoError},
		{"404 for ever", gatewaytest.Fault{Status: 404}, 1, wantIs(api.ErrNotFound)},
		{"reset before the headers, once", gatewaytest.Fault{Reset: gatewaytest.ResetBeforeHeaders, Times: 1}, 2, wantNoError},
		{"reset after the headers (mid-body)", gatewaytest.Fault{Reset: gatewaytest.ResetAfterHeaders}, 1, wantTransport},
		{"truncated body, typed", gatewaytest.Fault{Body: gatewaytest.TruncatedBody}, 1, wantTransport},
		{"truncated body", gatewaytest.Fault{Body: gatewaytest.TruncatedBody}, 1, wantAnyError},
		{"malformed body", gatewaytest.Fault{Body: gatewaytest.MalformedBody}, 1, wantAnyError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake, c := gatewaytest.Start(t, gatewaytest.WithClientOptions(api.WithoutRetryBudget()))
			if err := fake.AddSecret("acct", "s", "K", "v"); err != nil {
				t.Fatal(err)
			}
			// Backoff waits up to 0.5 s and 1 s: bounded, and short enough.
			fake.Inject(gen.OpGetSecret, tc.fault)
			_, err := c.Raw().GetSecretWithResponse(context.Background(), "acct", "s", nil)
			tc.check(t, err)
			if n := len(fake.Requests(gen.OpGetSecret)); n != tc.attempts {
				t.Errorf("the fake saw %d attempts, want %d", n, tc.attempts)
			}
		})
	}
}

// TestFaultOrderAndScope: an operation's own faults come first and in
// order, AllOperations applies to any operation, and ClearFaults ends them.
func TestFaultOrderAndScope(t *testing.T) {
	fake, c := gatewaytest.Start(t, gatewaytest.WithClientOptions(api.WithMaxRetries(0)))
	ctx := context.Background()
	fake.Inject(gen.OpListSecrets, gatewaytest.Fault{Status: 503, Times: 1}, gatewaytest.Fault{Status: 404, Times: 1})
	fake.Inject(gatewaytest.AllOperations, gatewaytest.Fault{Status: 502, Times: 2})
	var statuses []int
	for range 4 {
		_, err := c.Raw().ListSecretsWithResponse(ctx, "acct", nil)
		var apiErr *api.Error
		if errors.As(err, &apiErr) {
			statuses = append(statuses, apiErr.StatusCode)
		} else {
			statuses = append(statuses, 200)
		}
	}
	if want := []int{503, 404, 502, 502}; !equal(statuses, want) {
		t.Errorf("statuses %v, want %v", statuses, want)
	}
	fake.Inject(gatewaytest.AllOperations, gatewaytest.Fault{Status: 500})
	fake.ClearFaults()
	if _, err := c.Raw().ListAccountsWithResponse(ctx, nil); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
}

// TestDelayBeyondTheDeadline: a slow answer meets the caller's deadline.
func TestDelayBeyondTheDeadline(t *testing.T) {
	fake, c := gatewaytest.Start(t)
	fake.Inject(gen.OpGetAccount, gatewaytest.Fault{Delay: 5 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Raw().GetAccountWithResponse(ctx, "acct", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v: the deadline did not cut the wait", took)
	}
}

// TestSynthesizedRequestsAreValid: SynthesizeRequest gives bodies the fake
// accepts, and names an unknown operation.
func TestSynthesizedRequestsAreValid(t *testing.T) {
	if _, err := gatewaytest.SynthesizeRequest("NoSuchOperation"); err == nil {
		t.Error("no error for an unknown operation")
	}
	raw, err := gatewaytest.SynthesizeRequest(gen.OpUpdateSecret)
	if err != nil || string(raw) != `{"keyName":"x"}` {
		t.Errorf("UpdateSecret body %s (%v)", raw, err)
	}
	_ = gen.Operations
}

func wantNoError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("err = %v, want success after retries", err)
	}
}

func wantAnyError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Error("no error for a broken body")
	}
}

func wantTransport(t *testing.T, err error) {
	t.Helper()
	var te *api.TransportError
	if !errors.As(err, &te) || te.Attempts != 1 {
		t.Errorf("err = %v, want a TransportError after 1 attempt", err)
	}
}

func wantStatus(status int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var apiErr *api.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
			t.Errorf("err = %v, want status %d", err, status)
		}
	}
}

func wantIs(target error) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, target) {
			t.Errorf("err = %v, want %v", err, target)
		}
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
