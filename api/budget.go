package api

import "sync"

// retryBudget is a token bucket shared by every call of one Client, as gRPC's
// retry throttling is: each failed attempt takes a token, each success gives
// back ratio of one, and retries are allowed only while more than half of
// the bucket is left. When a backend fails for everybody, each client
// falls back to about one attempt per call instead of 1+MaxRetries, so the
// SDK does not multiply the load on a struggling API.
type retryBudget struct {
	mu     sync.Mutex
	tokens float64
	max    float64
	ratio  float64
}

func newRetryBudget(maxTokens, ratio float64) *retryBudget {
	return &retryBudget{tokens: maxTokens, max: maxTokens, ratio: ratio}
}

// failure records an attempt that failed with server trouble (a status or
// a connection failure that the retry policy classes as retryable),
// whether or not it is retried.
func (b *retryBudget) failure() {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.tokens = max(b.tokens-1, 0)
	b.mu.Unlock()
}

// success records a successful (2xx) attempt.
func (b *retryBudget) success() {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.tokens = min(b.tokens+b.ratio, b.max)
	b.mu.Unlock()
}

// allowRetry reports whether the bucket holds enough tokens for a retry.
func (b *retryBudget) allowRetry() bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tokens > b.max/2
}
