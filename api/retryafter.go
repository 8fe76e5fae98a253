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
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && ms >= 0 && !math.IsInf(ms, 0) {
			return clampWait(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s < 0 || math.IsInf(s, 0) || math.IsNaN(s) {
			return 0, false
		}
		return clampWait(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return clampWait(float64(t.Sub(now))), true
	}
	return 0, false
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
	jitter := time.Duration(rand.Float64() * 0.25 * float64(d))
	return d - jitter
}
