package api_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// TestLoadWithRandomFaults: 64 goroutines share one client for thousands
// of calls against the fake while it fails a random seventh of the requests
// (503, 500, 429, resets). Every call ends in a result or a typed error,
// nothing races or leaks (go test -race, goleak), and the retry budget
// bounds the retries: each retry spends a token above half the bucket, and
// only answers put tokens back, so retries <= maxTokens/2 + ratio * calls.
// The SDK's attempts are counted from its log; the fake may see a few more,
// because net/http itself resends an idempotent request once when a reused
// connection turns out to be dead.
func TestLoadWithRandomFaults(t *testing.T) {
	const (
		goroutines     = 64
		callsEach      = 50
		maxTokens      = 10.0
		ratio          = 0.1
		faultRate      = 0.15
		callsInAll     = goroutines * callsEach
		retriesAllowed = maxTokens/2 + ratio*callsInAll
	)
	attempts := &countingHandler{}
	fake, c := gatewaytest.Start(t, gatewaytest.WithClientOptions(
		api.WithRetryBudget(maxTokens, ratio), api.WithLogger(slog.New(attempts))))
	fake.Inject(gatewaytest.AllOperations, gatewaytest.Fault{Status: 503, RetryAfterMs: "1", Rate: faultRate / 3})
	fake.Inject("GetSecret", gatewaytest.Fault{Reset: gatewaytest.ResetBeforeHeaders, Rate: faultRate})
	fake.Inject("ListSecrets", gatewaytest.Fault{Status: 429, RetryAfterMs: "1", Rate: faultRate})
	fake.Inject("UpdateSecret", gatewaytest.Fault{Status: 500, Rate: faultRate})

	var answered, typedErrors, refusedOnRateLimit atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	ctx := context.Background()
	for g := range goroutines {
		id := fmt.Sprintf("load-%02d", g)
		if err := fake.AddSecret("acct", id, "K", "v"); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for i := range callsEach {
				var err error
				switch i % 4 {
				case 0:
					_, err = c.GetSecretWithResponse(ctx, "acct", id, nil)
				case 1:
					_, err = c.ListSecretsWithResponse(ctx, "acct", &gen.ListSecretsParams{PageSize: ptr(int32(20))})
				case 2:
					_, err = c.UpdateSecretWithResponse(ctx, "acct", id, gen.UpdateSecretJSONRequestBody{KeyName: "K", Value: ptr(fmt.Sprintf("sk-load-%d", i))})
				case 3:
					_, err = c.GetAccountWithResponse(ctx, "acct", nil)
				}
				var apiErr *api.Error
				var te *api.TransportError
				switch {
				case err == nil:
					answered.Add(1)
				case errors.As(err, &apiErr), errors.As(err, &te):
					typedErrors.Add(1)
					if errors.Is(err, api.ErrRateLimited) {
						refusedOnRateLimit.Add(1)
					}
				default:
					errs <- fmt.Errorf("call %d of %s ended in an untyped error: %w", i, id, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := answered.Load() + typedErrors.Load(); got != callsInAll {
		t.Fatalf("%d calls ended, want %d", got, callsInAll)
	}
	retries := int(attempts.n.Load()) - callsInAll
	t.Logf("%d calls: %d answered, %d typed errors; %d retries (bound %.0f); the fake saw %d requests over %d connections",
		callsInAll, answered.Load(), typedErrors.Load(), retries, retriesAllowed, len(fake.Journal()), fake.Connections())
	if float64(retries) > retriesAllowed {
		t.Errorf("%d retries, the budget allows at most %.0f", retries, retriesAllowed)
	}
	if typedErrors.Load() == 0 || retries == 0 {
		t.Error("no fault reached the client: the test proves nothing")
	}
}

// countingHandler counts the SDK's attempt log records.
type countingHandler struct{ n atomic.Int64 }

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *countingHandler) WithGroup(string) slog.Handler            { return h }
func (h *countingHandler) Handle(context.Context, slog.Record) error {
	h.n.Add(1)
	return nil
}
