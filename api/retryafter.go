package api

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxServerWait bounds what parseRetryAfter returns, so that arithmetic on
// an absurd header never overflows; any cap a caller sets is far below it.
const maxServerWait = 24 * time.Hour

// parseRetryAfter returns the wait a response asks for: retry-after-ms
// (milliseconds, possibly fractional) first, then Retry-After as seconds or
// as an HTTP date. ok is false when neither is present and valid. The wait
// is never negative (a date in the past is 0) and never above maxServerWait.
func parseRetryAfter(h http.Header, now time.Time) (wait time.Duration, ok bool) {
	if ms, ok := parseDecimal(h.Get("Retry-After-Ms")); ok {
		return clampWait(ms * float64(time.Millisecond)), true
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, ok := parseDecimal(v); ok {
		return clampWait(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return clampWait(float64(t.Sub(now))), true
	}
	return 0, false
}

// parseDecimal accepts a non-negative decimal number: digits with an
// optional fraction ("2", "1.5"). RFC 9110 allows whole seconds only; the
// fraction is accepted, as the official SDKs accept it, but no sign,
// exponent, hexadecimal form, Inf or NaN that strconv.ParseFloat would.
func parseDecimal(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 32 {
		return 0, false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && !math.IsInf(f, 0)
}

func clampWait(ns float64) time.Duration {
	switch {
	case math.IsNaN(ns) || ns <= 0:
		return 0
	case ns >= float64(maxServerWait):
		return maxServerWait
	}
	return time.Duration(ns)
}

// Backoff bounds: the n-th retry (from 0) waits min(initialBackoff * 2^n,
// maxBackoff), less up to a quarter of that at random, so that clients that
// failed together do not retry together.
const (
	initialBackoff = 500 * time.Millisecond
	maxBackoff     = 8 * time.Second
)

// backoff returns the wait before retry number n (0 for the first retry).
func backoff(n int) time.Duration {
	d := maxBackoff
	if n < 5 { // 0.5 s * 2^4 = 8 s already
		d = min(initialBackoff<<n, maxBackoff)
	}
	return jitter(d)
}

// jitter is d less up to a quarter of d at random, so that clients that
// failed together do not come back together.
func jitter(d time.Duration) time.Duration {
	return d - time.Duration(rand.Float64()*0.25*float64(d))
}
