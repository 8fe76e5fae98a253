package api

import (
	"testing"
	"testing/synctest"
	"time"
)

// The sliding retry budget's arithmetic, on synctest's clock: the floor
// banked and refilled, the share of the calls, and how long a call
// counts. Each figure is exact, so that a changed operator or bound in
// budget.go fails here.

// budgetTakeAll takes retries until the budget refuses one (at most limit), and
// returns how many it allowed.
func budgetTakeAll(b retryBudget, limit int) int {
	for n := range limit {
		if !b.takeRetry() {
			return n
		}
	}
	return limit
}

func budgetCallsOf(b retryBudget, n int) {
	for range n {
		b.startCall()
	}
}

// TestRetryBudgetBanksOneWindowOfTheFloor: a new budget allows
// MinPerSecond × Window retries at once, and not one more.
func TestRetryBudgetBanksOneWindowOfTheFloor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newSlidingBudget(RetryBudget{MinPerSecond: 2, Window: 10 * time.Second}, time.Now())
		if n := budgetTakeAll(b, 100); n != 20 {
			t.Errorf("%d retries at once, want 20 (2 a second over a 10 s window)", n)
		}
	})
}

// TestRetryBudgetRefillsTheFloorAtItsRate: the floor comes back at
// MinPerSecond, and never holds more than one window of it.
func TestRetryBudgetRefillsTheFloorAtItsRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newSlidingBudget(RetryBudget{MinPerSecond: 2, Window: 10 * time.Second}, time.Now())
		budgetTakeAll(b, 100)
		time.Sleep(1500 * time.Millisecond)
		if n := budgetTakeAll(b, 100); n != 3 {
			t.Errorf("%d retries 1.5 s after the floor was spent, want 3", n)
		}
		time.Sleep(time.Hour)
		if n := budgetTakeAll(b, 100); n != 20 {
			t.Errorf("%d retries after an idle hour, want 20: the floor holds one window", n)
		}
	})
}

// TestRetryBudgetAllowsItsShareOfTheCalls: without a floor, 25 % allows
// one retry for four calls (exactly one: three calls allow none) and two
// for eight; the window pays before the floor.
func TestRetryBudgetAllowsItsShareOfTheCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for _, tc := range []struct{ calls, want int }{{3, 0}, {4, 1}, {7, 1}, {8, 2}, {100, 25}} {
			b := newSlidingBudget(RetryBudget{Percent: 25, Window: 10 * time.Second}, time.Now())
			budgetCallsOf(b, tc.calls)
			if n := budgetTakeAll(b, 1000); n != tc.want {
				t.Errorf("%d calls at 25 %%: %d retries, want %d", tc.calls, n, tc.want)
			}
		}
		b := newSlidingBudget(RetryBudget{Percent: 25, MinPerSecond: 1, Window: 10 * time.Second}, time.Now())
		budgetCallsOf(b, 4)
		if n := budgetTakeAll(b, 1000); n != 11 {
			t.Errorf("4 calls at 25 %% with a floor of 10: %d retries, want 11", n)
		}
	})
}

// TestRetryBudgetCountsACallForOneWindow: a call counts until one window
// after it (9.5 s later it still pays for a retry; 10 s later it does
// not), across idle spells of any length.
func TestRetryBudgetCountsACallForOneWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		share := RetryBudget{Percent: 25, Window: 10 * time.Second}
		for _, tc := range []struct {
			after time.Duration
			want  int
		}{
			{0, 1},
			{2500 * time.Millisecond, 1},
			{9500 * time.Millisecond, 1},
			{10 * time.Second, 0},
			{35 * time.Second, 0},
			{1000 * time.Hour, 0},
		} {
			b := newSlidingBudget(share, time.Now())
			budgetCallsOf(b, 4)
			time.Sleep(tc.after)
			if n := budgetTakeAll(b, 10); n != tc.want {
				t.Errorf("4 calls, %v later: %d retries, want %d", tc.after, n, tc.want)
			}
			// Calls after the spell count again.
			budgetCallsOf(b, 8)
			if n := budgetTakeAll(b, 10); n != 2 {
				t.Errorf("8 calls after %v: %d retries, want 2", tc.after, n)
			}
		}
	})
}

// TestRetryBudgetSlidesOverTheWindow: calls made one second apart each
// leave the window ten seconds after they came, one at a time.
func TestRetryBudgetSlidesOverTheWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := newSlidingBudget(RetryBudget{Percent: 25, Window: 10 * time.Second}, time.Now())
		for range 10 {
			budgetCallsOf(b, 4) // one retry's worth
			time.Sleep(time.Second)
		}
		// Now at 10 s: the calls of 0 s have left, those of 1 s to 9 s
		// count.
		if n := budgetTakeAll(b, 100); n != 9 {
			t.Errorf("%d retries from calls made 1 to 9 s ago, want 9", n)
		}
		// The retries count against the window as long as the calls that
		// paid for them would have: 5 s later, the calls of 6 to 9 s
		// (four retries' worth) and four new ones do not cover the nine
		// retries of 10 s.
		time.Sleep(5 * time.Second)
		budgetCallsOf(b, 4)
		if n := budgetTakeAll(b, 100); n != 0 {
			t.Errorf("%d retries at 15 s, want 0: over the last window 20 calls paid for 9 retries already", n)
		}
		time.Sleep(10 * time.Second)
		budgetCallsOf(b, 4)
		if n := budgetTakeAll(b, 100); n != 1 {
			t.Errorf("%d retries at 25 s from 4 new calls, want 1: the others have left the window", n)
		}
	})
}
