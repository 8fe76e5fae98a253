package api

import (
	"errors"
	"math"
	"sync"
	"time"
)

// RetryBudget bounds the retries of a Client, across all of its calls, so
// that a failing API is not hit by a multiple of its callers' traffic,
// while a healthy one (where failures are few and transient) sees every
// call retried as its WithMaxRetries allows.
//
// Retries may add Percent % to the calls made in the last Window, plus a
// floor of MinPerSecond retries a second, banked for at most one Window, so
// that a client with little traffic (or a short burst of failures after a
// quiet spell) still retries. Against an API that fails every request, a
// Client sends at most (1 + Percent/100) times its calls, plus
// MinPerSecond × (Window + the time taken) requests.
//
// The design is Finagle's RetryBudget (a percentage of recent requests over
// a sliding window, plus a floor per second) rather than Envoy's (a share
// of the requests in flight, with min_retry_concurrency): the SDK's callers
// are often sequential, where a concurrency bound never binds, and what
// protects the API is the number of extra requests, not how many overlap.
// It replaces gRPC's token bucket (a token off per failure, a tenth back
// per success), which turns retries off once more than about one attempt
// in eleven fails, and so failed calls that a retry would have saved.
type RetryBudget struct {
	// Percent is how many retries, per 100 calls of the last Window, may
	// be made beyond the floor.
	Percent float64
	// MinPerSecond is the floor: retries always allowed, whatever the
	// traffic, banked for at most one Window.
	MinPerSecond float64
	// Window is how long a call counts for Percent, and how much of the
	// floor is banked.
	Window time.Duration
}

// DefaultRetryBudget lets retries add a quarter to the calls of the last
// ten seconds, plus two retries a second: at the default of 2 retries, a
// call survives 20 % of transient failures more than 99 times in 100,
// while an API that fails every request gets at most 1.25 times the calls
// (plus the floor).
var DefaultRetryBudget = RetryBudget{Percent: 25, MinPerSecond: 2, Window: 10 * time.Second}

func (b RetryBudget) validate() error {
	switch {
	case b.Percent < 0 || b.MinPerSecond < 0:
		return errors.New("the percent and the floor (MinPerSecond) must not be negative")
	case b.Window <= 0:
		return errors.New("the window (Window) must be positive")
	case b.Percent == 0 && b.MinPerSecond == 0:
		return errors.New("a budget of 0 % and no floor allows no retry: use WithMaxRetries(0)")
	}
	return nil
}

// retryBudget is what the retry loop asks of a budget. The SDK has one
// kind (slidingBudget); the interface lets tests compare it with others.
type retryBudget interface {
	// startCall records a call (its first attempt).
	startCall()
	// recordAttempt records an attempt that succeeded (a 2xx) or failed
	// with server trouble (retried or not); final answers such as a 404
	// are not recorded.
	recordAttempt(ok bool)
	// takeRetry reports whether a retry may be sent now, spending its
	// share of the budget if so.
	takeRetry() bool
}

// noBudget allows every retry.
type noBudget struct{}

func (noBudget) startCall()         {}
func (noBudget) recordAttempt(bool) {}
func (noBudget) takeRetry() bool    { return true }

// oneRetry is a retry in the window's units.
const oneRetry = 1_000_000

// budgetSlots is how finely the window slides: a call stops counting
// between Window×(1-1/budgetSlots) and Window after it was made.
const budgetSlots = 10

// slidingBudget is RetryBudget's implementation: a ring of budgetSlots
// slots, each holding the deposits (Percent/100 per call) less the retries
// paid from them in its slice of the window, and a bucket for the floor.
//
// A retry is paid from the window when its slots hold at least one,
// otherwise from the floor. Since a retry is paid only from deposits made
// at or before it, the retries paid from the window never exceed
// Percent/100 times the calls, over any span of time.
type slidingBudget struct {
	mu       sync.Mutex
	deposit  int64         // per call, in millionths of a retry (exact sums)
	slot     time.Duration // Window / budgetSlots
	slots    [budgetSlots]int64
	current  int       // index of the newest slot
	slotEnd  time.Time // when the newest slot ends
	floor    float64   // tokens in the floor's bucket
	floorMax float64
	rate     float64 // floor tokens per second
	refilled time.Time
}

func newSlidingBudget(b RetryBudget, now time.Time) *slidingBudget {
	max := b.MinPerSecond * b.Window.Seconds()
	return &slidingBudget{
		deposit:  int64(math.Round(b.Percent / 100 * oneRetry)),
		slot:     b.Window / budgetSlots,
		slotEnd:  now.Add(b.Window / budgetSlots),
		floor:    max,
		floorMax: max,
		rate:     b.MinPerSecond,
		refilled: now,
	}
}

// advance moves the ring to now, emptying the slots that left the window.
func (s *slidingBudget) advance(now time.Time) {
	for i := 0; !now.Before(s.slotEnd); i++ {
		if i == budgetSlots {
			// Idle for a whole window or more: every slot is stale.
			s.slots = [budgetSlots]int64{}
			s.slotEnd = now.Add(s.slot)
			return
		}
		s.current = (s.current + 1) % budgetSlots
		s.slots[s.current] = 0
		s.slotEnd = s.slotEnd.Add(s.slot)
	}
}

func (s *slidingBudget) startCall() {
	s.mu.Lock()
	s.advance(time.Now())
	s.slots[s.current] += s.deposit
	s.mu.Unlock()
}

func (s *slidingBudget) recordAttempt(bool) {}

func (s *slidingBudget) takeRetry() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	s.advance(now)
	var balance int64
	for _, v := range s.slots {
		balance += v
	}
	if balance >= oneRetry {
		s.slots[s.current] -= oneRetry
		return true
	}
	s.floor = min(s.floorMax, s.floor+now.Sub(s.refilled).Seconds()*s.rate)
	s.refilled = now
	if s.floor >= 1 {
		s.floor--
		return true
	}
	return false
}
