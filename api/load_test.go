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
					_, err = c.Secrets.Get(ctx, id, nil)
				case 1:
					_, err = c.Secrets.List(ctx, &gen.ListSecretsParams{PageSize: api.Ptr(int32(20))})
				case 2:
					_, err = c.Secrets.Update(ctx, id, gen.UpdateSecretBody{KeyName: "K", Value: api.Ptr(fmt.Sprintf("sk-load-%d", i))})
				case 3:
					_, err = c.Accounts.Get(ctx, nil)
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
