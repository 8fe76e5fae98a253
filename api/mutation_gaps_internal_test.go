package api

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/fireworks-gateway/go-sdk/gen"
)

// budgetListener is a retryBudget that allows every retry and records
// what the retry loop tells it.
type budgetListener struct {
	mu sync.Mutex
	budgetHeard
}

// budgetHeard is what a budgetListener was told.
type budgetHeard struct{ calls, oks, failures, retries int }

func (h budgetHeard) String() string {
	return fmt.Sprintf("%d calls, %d ok, %d failures, %d retries", h.calls, h.oks, h.failures, h.retries)
}

func (b *budgetListener) startCall() { b.mu.Lock(); b.calls++; b.mu.Unlock() }

func (b *budgetListener) recordAttempt(ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ok {
		b.oks++
	} else {
		b.failures++
	}
}

func (b *budgetListener) takeRetry() bool { b.mu.Lock(); b.retries++; b.mu.Unlock(); return true }

// TestRetryBudgetHearsOfServerTroubleOnly: the retry loop tells the
// budget of each call, of each 2xx, and of each attempt that failed with
// server trouble (retried or not: a POST's 500 too); a final answer (404,
// 400, 409 ALREADY_EXISTS) says nothing of the server's health and is not
// reported, and only retries that are sent take from the budget. Budgets
// that learn from failures (the gRPC bucket the README compares) rely on
// this.
func TestRetryBudgetHearsOfServerTroubleOnly(t *testing.T) {
	cases := []struct {
		name     string
		method   string
		statuses []int
		want     budgetHeard
	}{
		{"200", http.MethodGet, []int{200}, budgetHeard{calls: 1, oks: 1}},
		{"404", http.MethodGet, []int{404}, budgetHeard{calls: 1}},
		{"400", http.MethodGet, []int{400}, budgetHeard{calls: 1}},
		{"409 ALREADY_EXISTS", http.MethodGet, []int{409}, budgetHeard{calls: 1}},
		{"503 then 200", http.MethodGet, []int{503, 200}, budgetHeard{calls: 1, oks: 1, failures: 1, retries: 1}},
		{"500 three times", http.MethodGet, []int{500, 500, 500}, budgetHeard{calls: 1, failures: 3, retries: 2}},
		{"a POST's 500, not retried", http.MethodPost, []int{500}, budgetHeard{calls: 1, failures: 1}},
		{"429 then 404", http.MethodGet, []int{429, 404}, budgetHeard{calls: 1, failures: 1, retries: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				attempt := 0
				rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
					if req.Body != nil {
						_, _ = io.Copy(io.Discard, req.Body)
					}
					status := tc.statuses[min(attempt, len(tc.statuses)-1)]
					attempt++
					body := []byte(`{"name":"accounts/acct/secrets/sec","keyName":"K"}`)
					if status == 409 {
						body = []byte(`{"code":6}`)
					}
					return answer(req, status, http.Header{"Content-Type": {"application/json"}}, body), nil
				})
				c := newInternalClient(t, rt)
				b := &budgetListener{}
				c.p.budget = b
				var err error
				if tc.method == http.MethodPost {
					_, err = c.Secrets.Create(context.Background(), gen.Secret{Name: "accounts/acct/secrets/sec", KeyName: "K"})
				} else {
					_, err = c.Secrets.Get(context.Background(), "sec", nil)
				}
				if attempt != len(tc.statuses) {
					t.Fatalf("%d attempts (err %v), want %d", attempt, err, len(tc.statuses))
				}
				if b.budgetHeard != tc.want {
					t.Errorf("the budget heard of %v, want %v", b.budgetHeard, tc.want)
				}
			})
		})
	}
}
