package api_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// TestLoadWithRandomFaults: 64 goroutines share one client for thousands
// of calls against the fake while it fails a random seventh of the
// requests (503, 500, 429, connection resets). Every call ends in a result
// or a typed error, and nothing races or leaks (go test -race, goleak).
func TestLoadWithRandomFaults(t *testing.T) {
	const (
		goroutines = 64
		callsEach  = 50
		faultRate  = 0.15
	)
	fake, c := gatewaytest.Start(t)
	fake.Inject(gatewaytest.AllOperations, gatewaytest.Fault{Status: 503, RetryAfterMs: "1", Rate: faultRate / 3})
	fake.Inject(gen.OpGetSecret, gatewaytest.Fault{Reset: gatewaytest.ResetBeforeHeaders, Rate: faultRate})
	fake.Inject(gen.OpListSecrets, gatewaytest.Fault{Status: 429, RetryAfterMs: "1", Rate: faultRate})
	fake.Inject(gen.OpUpdateSecret, gatewaytest.Fault{Status: 500, Rate: faultRate})

	var answered, typedErrors atomic.Int64
	errs := make(chan error, goroutines)
	ctx := context.Background()
	var wg sync.WaitGroup
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
	if got := answered.Load() + typedErrors.Load(); got != goroutines*callsEach {
		t.Fatalf("%d calls ended, want %d", got, goroutines*callsEach)
	}
	if typedErrors.Load() == 0 || len(fake.Journal()) == goroutines*callsEach {
		t.Error("no fault reached the client: the test proves nothing")
	}
	t.Logf("%d calls: %d answered, %d typed errors; the fake saw %d requests over %d connections",
		goroutines*callsEach, answered.Load(), typedErrors.Load(), len(fake.Journal()), fake.Connections())
}

// TestRetryBudgetBoundsTheLoad: 64 goroutines share one client while half
// of the requests fail with 503. The fake counts every request it gets.
// Each retry spends a token above half the bucket, and only successes put
// tokens back, so the requests beyond one per call are at most
// maxTokens/2 + ratio * successes. The same load without the budget, run
// first, exceeds that bound: the assertion can fail.
func TestRetryBudgetBoundsTheLoad(t *testing.T) {
	const (
		goroutines = 64
		callsEach  = 25
		calls      = goroutines * callsEach
		maxTokens  = 10.0
		ratio      = 0.1
	)
	run := func(budget api.Option) (requests, successes int) {
		fake, c := gatewaytest.Start(t, gatewaytest.WithClientOptions(budget))
		// A status fault, not a reset: net/http itself resends a GET whose
		// reused connection was reset, which no SDK budget can see.
		fake.Inject(gen.OpGetSecret, gatewaytest.Fault{Status: 503, RetryAfterMs: "0", Rate: 0.5})
		if err := fake.AddSecret("acct", "s", "K", "v"); err != nil {
			t.Fatal(err)
		}
		var ok atomic.Int64
		var wg sync.WaitGroup
		for range goroutines {
			wg.Go(func() {
				for range callsEach {
					_, err := c.GetSecretWithResponse(context.Background(), "acct", "s", nil)
					var apiErr *api.Error
					switch {
					case err == nil:
						ok.Add(1)
					case errors.As(err, &apiErr) && apiErr.StatusCode == 503:
					default:
						t.Errorf("unexpected error: %v", err)
					}
				}
			})
		}
		wg.Wait()
		return len(fake.Requests(gen.OpGetSecret)), int(ok.Load())
	}
	bound := func(successes int) float64 { return maxTokens/2 + ratio*float64(successes) }

	requests, successes := run(api.WithRetryBudget(0, 0))
	t.Logf("without a budget: %d calls, %d succeeded; %d requests reached the fake: %d retries, bound %.0f", calls, successes, requests, requests-calls, bound(successes))
	if extra := float64(requests - calls); extra <= bound(successes) {
		t.Fatalf("without a budget: %d retries, within the bound %.0f: this load cannot tell a budget from none", requests-calls, bound(successes))
	}
	requests, successes = run(api.WithRetryBudget(maxTokens, ratio))
	t.Logf("%d calls, %d succeeded; %d requests reached the fake: %d retries, bound %.0f", calls, successes, requests, requests-calls, bound(successes))
	if extra := float64(requests - calls); extra > bound(successes) {
		t.Errorf("%d retries reached the fake, the budget allows at most %.0f", requests-calls, bound(successes))
	}
}
