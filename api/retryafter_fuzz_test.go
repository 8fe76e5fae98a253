package api

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

// synctestEpoch is the time inside a synctest bubble when it starts, so
// that the HTTP dates of the seeds are a known distance from "now".
var synctestEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// FuzzParseRetryAfter: whatever a server sends as Retry-After and
// retry-after-ms, parseRetryAfter gives a wait in [0, maxServerWait], and
// none when the headers are not valid; and through the retry loop, a wait
// the server asked for is taken exactly when it is within the client's cap
// (WithMaxRetryWait), and never taken when it is past the cap: the call
// ends at once with the error and the wait asked for. Without a valid
// header the client's own backoff applies.
func FuzzParseRetryAfter(f *testing.F) {
	const minute = uint32(60_000) // caps are in milliseconds
	for _, seed := range []struct {
		retryAfter, retryAfterMs string
		capMillis                uint32
	}{
		{"", "", minute},                        // no header: backoff
		{"3", "", minute},                       // seconds
		{"", "1500", minute},                    // milliseconds
		{"30", "250", minute},                   // retry-after-ms wins
		{"  7  ", "", minute},                   // white space around
		{"1.5", "", minute},                     // fractional seconds (lenient; RFC 9110 says digits)
		{"", "0.5", minute},                     // half a millisecond
		{"0", "", 0},                            // no wait, with a cap of 0
		{"1", "", 0},                            // any wait is past a cap of 0
		{"-1", "", minute},                      // negative: invalid, backoff
		{"", "-5", minute},                      // negative milliseconds: Retry-After is looked at instead
		{"", "-0", minute},                      // negative zero is zero
		{"NaN", "NaN", minute},                  // not numbers
		{"Inf", "+Inf", minute},                 // infinities
		{"1e309", "1e309", minute},              // overflow float64
		{"1e-9", "", minute},                    // one nanosecond
		{"", "1e-300", minute},                  // underflows to 0
		{"0x1p4", "", minute},                   // a hexadecimal float: 16 s
		{"1_000", "", minute},                   // underscores: invalid
		{"61", "", minute},                      // just past the default cap
		{"60", "", minute},                      // exactly the cap
		{"86400.000000001", "", ^uint32(0)},     // just past maxServerWait, with a cap above it
		{"9223372036854775807", "", ^uint32(0)}, // past time.Duration's range
		{"", "9223372036854775807", ^uint32(0)},
		{"Sat, 01 Jan 2000 00:00:10 GMT", "", minute},     // an HTTP date 10 s ahead
		{"Fri, 31 Dec 1999 23:59:59 GMT", "", minute},     // in the past: now
		{"Fri, 31 Dec 9999 23:59:59 GMT", "", ^uint32(0)}, // far ahead: maxServerWait
		{"Saturday, 01-Jan-00 00:00:10 GMT", "", minute},  // RFC 850 date
		{"Sat Jan  1 00:00:10 2000", "", minute},          // ANSI C date
		{"Sat, 01 Jan 2000 00:00:10 +0100", "", minute},   // not GMT: invalid
		{"Mon, 01 Jan 0001 00:00:00 GMT", "", minute},     // before time.Duration's range
		{"Sat, 01 Jan 2000 00:00:01 GMT", "bogus", 999},   // an invalid retry-after-ms falls back to the date
	} {
		f.Add(seed.retryAfter, seed.retryAfterMs, seed.capMillis)
	}
	f.Fuzz(func(t *testing.T, retryAfter, retryAfterMs string, capMillis uint32) {
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("Retry-After-Ms", retryAfterMs)

		wait, ok := parseRetryAfter(h, synctestEpoch)
		if wait < 0 || wait > maxServerWait {
			t.Fatalf("parseRetryAfter(%q, %q) = %v, want within [0, %v]", retryAfter, retryAfterMs, wait, maxServerWait)
		}
		if !ok && wait != 0 {
			t.Fatalf("parseRetryAfter(%q, %q) = %v without ok", retryAfter, retryAfterMs, wait)
		}

		// Up to about 50 days: caps below, at and above maxServerWait.
		maxWait := time.Duration(capMillis) * time.Millisecond
		synctest.Test(t, func(t *testing.T) {
			checkRetryWaits(t, h, maxWait)
		})
	})
}

// checkRetryWaits makes a GET whose first two answers are 429 with the
// headers h, then 200, through a client capped at maxWait, and checks each
// wait the retry loop took.
func checkRetryWaits(t *testing.T, h http.Header, maxWait time.Duration) {
	const maxRetries = 2
	var attempts []time.Time
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		attempts = append(attempts, time.Now())
		if len(attempts) <= maxRetries {
			return answer(req, http.StatusTooManyRequests, h.Clone(), nil), nil
		}
		return answer(req, http.StatusOK, http.Header{"Content-Type": {"application/json"}}, []byte(`{}`)), nil
	})
	c := newInternalClient(t, rt, WithMaxRetryWait(maxWait), WithMaxRetries(maxRetries), WithoutRetryBudget())
	_, err := c.Secrets.Get(context.Background(), "sec", nil)

	for i, at := range attempts {
		// What the server asked for, as the client read it when the answer
		// came (an HTTP date is a shorter wait after each retry).
		asked, ok := parseRetryAfter(h, at)
		if i == len(attempts)-1 {
			if i < maxRetries { // the loop stopped early: only a wait past the cap does that
				var apiErr *Error
				if !ok || asked <= maxWait || !errors.As(err, &apiErr) || apiErr.RetryAfter != asked {
					t.Fatalf("attempt %d of %d was the last, with err %v: want a stop only for a wait past the cap %v (asked %v, ok %v)", i+1, len(attempts), err, maxWait, asked, ok)
				}
			} else if err != nil {
				t.Fatalf("all %d attempts made, err = %v", len(attempts), err)
			}
			return
		}
		took := attempts[i+1].Sub(at)
		switch {
		case ok && asked > maxWait:
			t.Fatalf("retry %d waited %v although the server asked %v, past the cap %v: it must not be retried", i+1, took, asked, maxWait)
		case ok && took != asked:
			t.Fatalf("retry %d waited %v, the server asked %v (cap %v)", i+1, took, asked, maxWait)
		case !ok && (took > backoffCeiling(i) || took < backoffCeiling(i)*3/4):
			t.Fatalf("retry %d waited %v without a valid server wait, want backoff within [%v, %v]", i+1, took, backoffCeiling(i)*3/4, backoffCeiling(i))
		}
	}
	t.Fatal("no attempt was made")
}

// backoffCeiling is the longest backoff before retry n (from 0).
func backoffCeiling(n int) time.Duration { return min(initialBackoff<<n, maxBackoff) }
