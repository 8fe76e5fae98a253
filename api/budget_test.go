package api

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/internal/readmesection"
)

// The retry budget's promises, measured through a Client against a server
// whose failures are a deterministic function of the call and the attempt,
// on synctest's fake clock (the backoff waits are real waits of virtual
// time), with 64 callers sharing the Client.

const (
	budgetCallers = 64
	budgetCalls   = 2000
)

// flakyServer fails an attempt with 503 when the hash of (call, attempt)
// falls under rate: independent transient failures, the same for every run
// and every budget. It counts the requests it gets.
type flakyServer struct {
	rate     float64
	requests atomic.Int64
	mu       sync.Mutex
	attempts map[string]int
}

func (s *flakyServer) RoundTrip(req *http.Request) (*http.Response, error) {
	s.requests.Add(1)
	call := req.URL.Path[strings.LastIndex(req.URL.Path, "/")+1:]
	s.mu.Lock()
	s.attempts[call]++
	attempt := s.attempts[call]
	s.mu.Unlock()
	h := sha256.Sum256([]byte(call + "/" + strconv.Itoa(attempt)))
	if float64(binary.BigEndian.Uint64(h[:8])>>11)/(1<<53) < s.rate {
		return answer(req, http.StatusServiceUnavailable, nil, []byte(`{"code":14,"message":"unavailable"}`)), nil
	}
	return answer(req, http.StatusOK, http.Header{"Content-Type": {"application/json"}}, []byte(`{"name":"n","keyName":"K"}`)), nil
}

// budgetRun is what one load of budgetCalls calls measured.
type budgetRun struct {
	succeeded, requests int
	took                time.Duration // virtual time
}

func (r budgetRun) successRate() float64 { return float64(r.succeeded) / budgetCalls }
func (r budgetRun) attemptsPerCall() float64 {
	return float64(r.requests) / budgetCalls
}

// runBudgetLoad makes budgetCalls GETs from budgetCallers goroutines
// through one Client with budget (nil: the Client's default), against a
// server failing rate of the attempts. It must run inside a synctest
// bubble.
func runBudgetLoad(t *testing.T, rate float64, budget retryBudget) budgetRun {
	t.Helper()
	srv := &flakyServer{rate: rate, attempts: map[string]int{}}
	c := newInternalClient(t, srv)
	if budget != nil {
		c.p.budget = budget
	}
	var next, ok atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range budgetCallers {
		wg.Go(func() {
			for {
				n := next.Add(1)
				if n > budgetCalls {
					return
				}
				if _, err := c.Secrets.Get(context.Background(), "c"+strconv.FormatInt(n, 10), nil); err == nil {
					ok.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return budgetRun{succeeded: int(ok.Load()), requests: int(srv.requests.Load()), took: time.Since(start)}
}

// floorAllowance is the most the budget's floor lets through over took:
// the banked Window's worth, and MinPerSecond for every second.
func floorAllowance(b RetryBudget, took time.Duration) float64 {
	return b.MinPerSecond * (b.Window + took).Seconds()
}

// TestRetryBudgetKeepsCallsAndBoundsTheLoad holds the default budget to
// its promises, each measured with the same deterministic failures:
//   - at 20 % of attempts failing, at least 98.5 % of 2,000 calls succeed
//     (each call may retry twice, as without a budget: about 99.2 %);
//   - against a server that always fails, the 64 callers send at most 1.25
//     times the calls, plus the floor's allowance for the virtual time the
//     load took; without a budget they send 3 times the calls, so the
//     bound can fail.
func TestRetryBudgetKeepsCallsAndBoundsTheLoad(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		run := runBudgetLoad(t, 0.20, nil)
		t.Logf("20%% failing: %d of %d calls succeeded, %.3f attempts a call, %v of virtual time", run.succeeded, budgetCalls, run.attemptsPerCall(), run.took)
		if run.successRate() < 0.985 {
			t.Errorf("at 20%% transient failures %.1f%% of the calls succeeded, want at least 98.5%%", 100*run.successRate())
		}
	})
	synctest.Test(t, func(t *testing.T) {
		run := runBudgetLoad(t, 1, nil)
		bound := 1.25*budgetCalls + floorAllowance(DefaultRetryBudget, run.took)
		t.Logf("always failing: %d requests for %d calls in %v of virtual time; bound %.0f", run.requests, budgetCalls, run.took, bound)
		if float64(run.requests) > bound {
			t.Errorf("%d requests for %d calls against a failing server, more than the bound %.0f", run.requests, budgetCalls, bound)
		}
		control := runBudgetLoad(t, 1, noBudget{})
		if float64(control.requests) <= bound {
			t.Errorf("without a budget: %d requests, within the bound %.0f: this load cannot tell a budget from none", control.requests, bound)
		}
	})
}

// TestRetryBudgetFloorRetriesABurstAfterQuiet: a client that made a few
// calls, long ago, still retries a short burst of failures in full: the
// floor, banked while it was quiet. gRPC's bucket, which the budget
// replaced, fails the third call of the same burst.
func TestRetryBudgetFloorRetriesABurstAfterQuiet(t *testing.T) {
	burst := func(t *testing.T, budget retryBudget) (failed int) {
		// Healthy calls succeed; every call of the burst fails twice, then
		// succeeds.
		var mu sync.Mutex
		attempts := map[string]int{}
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			mu.Lock()
			attempts[req.URL.Path]++
			n := attempts[req.URL.Path]
			mu.Unlock()
			if strings.Contains(req.URL.Path, "/burst") && n <= 2 {
				return answer(req, http.StatusServiceUnavailable, nil, nil), nil
			}
			return answer(req, http.StatusOK, http.Header{"Content-Type": {"application/json"}}, []byte(`{"name":"n","keyName":"K"}`)), nil
		})
		c := newInternalClient(t, rt)
		if budget != nil {
			c.p.budget = budget
		}
		// A healthy hour: one call every ten minutes.
		for i := range 6 {
			if _, err := c.Secrets.Get(context.Background(), "healthy"+strconv.Itoa(i), nil); err != nil {
				t.Fatal(err)
			}
			time.Sleep(10 * time.Minute)
		}
		for i := range 5 {
			if _, err := c.Secrets.Get(context.Background(), "burst"+strconv.Itoa(i), nil); err != nil {
				failed++
			}
		}
		return failed
	}
	synctest.Test(t, func(t *testing.T) {
		if failed := burst(t, nil); failed != 0 {
			t.Errorf("%d of 5 calls of a burst after a quiet hour failed, want every one retried to success", failed)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		if failed := burst(t, newGRPCBucket(10, 0.1)); failed == 0 {
			t.Error("gRPC's bucket retried the whole burst too: this burst cannot tell the floor from no floor")
		}
	})
}

// TestMaxRetriesAreHonouredWhenTheBudgetHasRoom: a fresh Client makes
// n+1 attempts for WithMaxRetries(n), beyond the 5 that gRPC's bucket
// allowed, as long as the budget has room; a call whose budget is spent
// makes one attempt and returns the server's real error.
func TestMaxRetriesAreHonouredWhenTheBudgetHasRoom(t *testing.T) {
	for _, n := range []int{0, 1, 5, 8} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := &flakyServer{rate: 1, attempts: map[string]int{}}
				c := newInternalClient(t, srv, WithMaxRetries(n), WithMaxRetryWait(time.Second))
				_, err := c.Secrets.Get(context.Background(), "s", nil)
				var apiErr *Error
				if !errors.As(err, &apiErr) || apiErr.Attempts != n+1 || srv.requests.Load() != int64(n+1) {
					t.Errorf("WithMaxRetries(%d): %d requests, err %v; want %d attempts", n, srv.requests.Load(), err, n+1)
				}
			})
		})
	}
	synctest.Test(t, func(t *testing.T) {
		srv := &flakyServer{rate: 1, attempts: map[string]int{}}
		c := newInternalClient(t, srv, WithRetryBudget(RetryBudget{Percent: 10, MinPerSecond: 0.1, Window: 10 * time.Second}))
		_, _ = c.Secrets.Get(context.Background(), "a", nil) // the floor's one banked retry, then none
		srv.requests.Store(0)
		_, err := c.Secrets.Get(context.Background(), "b", nil)
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable || apiErr.Attempts != 1 || srv.requests.Load() != 1 {
			t.Errorf("with the budget spent: %d requests, err %v; want 1 attempt and the real 503", srv.requests.Load(), err)
		}
	})
}

// TestFinalAnswersLeaveTheBudgetAlone: 404s (final answers) spend nothing,
// so a retry is still there after many of them.
func TestFinalAnswersLeaveTheBudgetAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var status atomic.Int32
		status.Store(http.StatusNotFound)
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			return answer(req, int(status.Load()), nil, nil), nil
		})
		c := newInternalClient(t, rt, WithRetryBudget(RetryBudget{Percent: 1, MinPerSecond: 0.1, Window: 10 * time.Second}))
		for range 100 {
			_, _ = c.Secrets.Get(context.Background(), "s", nil)
		}
		status.Store(http.StatusServiceUnavailable)
		_, err := c.Secrets.Get(context.Background(), "s", nil)
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.Attempts < 2 {
			t.Errorf("after 100 404s: err %v; want the 503 retried (the floor's banked retry)", err)
		}
	})
}

// TestSlidingBudgetNeverLendsMoreThanItsShare: over any sequence of calls
// and retries, the retries paid from the window never exceed Percent % of
// the calls, and the floor never more than its bank and rate.
func TestSlidingBudgetNeverLendsMoreThanItsShare(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := RetryBudget{Percent: 20, MinPerSecond: 0.5, Window: 10 * time.Second}
		s := newSlidingBudget(b, time.Now())
		start := time.Now()
		calls, retries := 0, 0
		for step := range 5000 {
			s.startCall()
			calls++
			for s.takeRetry() {
				retries++
			}
			time.Sleep(time.Duration(step%7) * 300 * time.Millisecond)
		}
		bound := 0.20*float64(calls) + floorAllowance(b, time.Since(start))
		if float64(retries) > bound {
			t.Errorf("%d retries for %d calls over %v, more than the bound %.1f", retries, calls, time.Since(start), bound)
		}
		if float64(retries) < 0.20*float64(calls) {
			t.Errorf("%d retries for %d calls: less than the budget's share", retries, calls)
		}
	})
}

// grpcBucket is gRPC's retry throttling, the budget the SDK had before,
// kept here to compare with: a bucket of max tokens, one off per failed
// attempt, ratio back per success, retries while more than half is left.
type grpcBucket struct {
	mu                sync.Mutex
	tokens, max, gain float64
}

func newGRPCBucket(max, ratio float64) *grpcBucket {
	return &grpcBucket{tokens: max, max: max, gain: ratio}
}

func (b *grpcBucket) startCall() {}

func (b *grpcBucket) recordAttempt(ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ok {
		b.tokens = min(b.tokens+b.gain, b.max)
	} else {
		b.tokens = max(b.tokens-1, 0)
	}
}

func (b *grpcBucket) takeRetry() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tokens > b.max/2
}

var updateBudgetTable = flag.Bool("update-readme-budget", false, "rewrite README.md's retry-budget table from TestREADMERetryBudgetTable's runs")

// budgetTableRates are the failure rates of README.md's retry-budget table.
var budgetTableRates = []float64{0, 0.05, 0.10, 0.20, 0.50, 1}

// budgetTableColumns are the budgets it compares, each a fresh one per run.
var budgetTableColumns = []struct {
	name   string
	budget func() retryBudget
}{
	{"no budget", func() retryBudget { return noBudget{} }},
	{"gRPC bucket (before)", func() retryBudget { return newGRPCBucket(10, 0.1) }},
	{"sliding budget (default)", func() retryBudget { return newSlidingBudget(DefaultRetryBudget, time.Now()) }},
}

// TestREADMERetryBudgetTable measures, for each failure rate and budget,
// the share of 2,000 calls (64 callers, 2 retries each) that succeed and
// the attempts a call makes, and checks README.md's table against it. The
// backoff's jitter and the order in which callers wake make runs differ a
// little, so the check allows 1 point of success and 0.05 attempts; run
// with -update-readme-budget to rewrite the table.
func TestREADMERetryBudgetTable(t *testing.T) {
	type cell struct{ success, attempts float64 }
	measured := make([][]cell, len(budgetTableRates))
	for i, rate := range budgetTableRates {
		for _, col := range budgetTableColumns {
			synctest.Test(t, func(t *testing.T) {
				run := runBudgetLoad(t, rate, col.budget())
				measured[i] = append(measured[i], cell{100 * run.successRate(), run.attemptsPerCall()})
			})
		}
	}
	var b strings.Builder
	b.WriteString("| failing attempts |")
	for _, col := range budgetTableColumns {
		b.WriteString(" " + col.name + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(budgetTableColumns)) + "\n")
	for i, rate := range budgetTableRates {
		fmt.Fprintf(&b, "| %.0f %% |", 100*rate)
		for _, c := range measured[i] {
			fmt.Fprintf(&b, " %.1f %% succeed, %.2f attempts a call |", c.success, c.attempts)
		}
		b.WriteString("\n")
	}
	const path = "../README.md"
	if *updateBudgetTable {
		if err := readmesection.Write(path, "retry-budget", b.String()); err != nil {
			t.Fatal(err)
		}
		return
	}
	shown, err := readmesection.Read(path, "retry-budget")
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(shown), "\n")
	if len(rows) != 2+len(budgetTableRates) {
		t.Fatalf("README.md's retry-budget table has %d lines, want %d; run: go test ./api -run TestREADMERetryBudgetTable -update-readme-budget\nwant:\n%s", len(rows), 2+len(budgetTableRates), b.String())
	}
	for i := range budgetTableRates {
		cells := strings.Split(strings.Trim(rows[2+i], "| "), "|")[1:]
		for j, c := range measured[i] {
			var success, attempts float64
			if j >= len(cells) {
				t.Fatalf("README.md's retry-budget row %d has %d cells", i, len(cells))
			}
			if _, err := fmt.Sscanf(strings.TrimSpace(cells[j]), "%f %% succeed, %f attempts a call", &success, &attempts); err != nil {
				t.Fatalf("README.md's retry-budget cell %q: %v", cells[j], err)
			}
			if math.Abs(success-c.success) > 1 || math.Abs(attempts-c.attempts) > 0.05 {
				t.Errorf("README.md says %q for %.0f %% failing with %s; measured %.1f %% and %.2f: run go test ./api -run TestREADMERetryBudgetTable -update-readme-budget",
					strings.TrimSpace(cells[j]), 100*budgetTableRates[i], budgetTableColumns[j].name, c.success, c.attempts)
			}
		}
	}
}
