package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Defaults of a Client, as the official Fireworks SDKs have them.
const (
	DefaultBaseURL        = "https://api.fireworks.ai"
	DefaultMaxRetries     = 2
	DefaultTimeout        = 60 * time.Second // per attempt
	DefaultConnectTimeout = 5 * time.Second
	DefaultMaxRetryWait   = 60 * time.Second
	// DefaultRetryBudgetTokens and DefaultRetryBudgetRatio are gRPC's
	// retry throttling defaults: retries stop after about five failures in
	// a row and come back after about ten successes per missing token.
	DefaultRetryBudgetTokens = 10
	DefaultRetryBudgetRatio  = 0.1
)

// Environment variables read by New, as the official SDKs read them.
const (
	EnvAPIKey  = "FIREWORKS_API_KEY"
	EnvBaseURL = "FIREWORKS_BASE_URL"
)

// An Option configures a Client; pass options to New.
type Option func(*config) error

type config struct {
	apiKey       string
	apiKeySet    bool
	baseURL      string
	httpClient   *http.Client
	maxRetries   int
	timeout      time.Duration
	maxRetryWait time.Duration
	retryUnsafe  bool
	budget       *retryBudget
	logger       *slog.Logger
	userAgent    string
	middleware   []func(Doer) Doer
}

// WithAPIKey sets the API key, instead of FIREWORKS_API_KEY.
func WithAPIKey(key string) Option {
	return func(c *config) error {
		c.apiKey, c.apiKeySet = key, true
		return nil
	}
}

// WithBaseURL sets the API's base URL, instead of FIREWORKS_BASE_URL or
// DefaultBaseURL. It must be https, or http to a loopback address.
func WithBaseURL(u string) Option {
	return func(c *config) error {
		c.baseURL = u
		return nil
	}
}

// WithHTTPClient makes the Client send its requests through hc, whose
// Transport (for tracing, proxies, metrics) and Jar keep working. The
// Client never modifies hc: it uses a copy whose redirects never carry the
// API key to another origin.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithMaxRetries sets how many times a failed request is retried (0: never).
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("WithMaxRetries: %d is negative", n)
		}
		c.maxRetries = n
		return nil
	}
}

// WithTimeout bounds each attempt (connecting, sending, and reading the
// response body) to d. The caller's context bounds the whole call.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithTimeout: %v is not positive", d)
		}
		c.timeout = d
		return nil
	}
}

// WithMaxRetryWait caps the wait a server may ask for with Retry-After or
// retry-after-ms. A response that asks for longer is not retried: its error
// comes back at once, with the wait in Error.RetryAfter.
func WithMaxRetryWait(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("WithMaxRetryWait: %v is negative", d)
		}
		c.maxRetryWait = d
		return nil
	}
}

// WithRetryNonIdempotent lets the Client retry POST and PATCH requests after
// failures where the server may already have acted on them (a lost
// connection, a timeout, a 500). Use it only where a duplicated create or
// update is harmless; CallRetryNonIdempotent does the same for one call.
func WithRetryNonIdempotent() Option {
	return func(c *config) error {
		c.retryUnsafe = true
		return nil
	}
}

// WithRetryBudget sets the retry budget shared by every call of the Client:
// a bucket of maxTokens, where each failed attempt takes one token, each
// success gives back ratio, and retries happen only while more than half
// of the bucket is left. WithRetryBudget(0, 0) turns the budget off.
func WithRetryBudget(maxTokens, ratio float64) Option {
	return func(c *config) error {
		if maxTokens == 0 && ratio == 0 {
			c.budget = nil
			return nil
		}
		if maxTokens < 1 || ratio <= 0 || ratio > maxTokens {
			return fmt.Errorf("WithRetryBudget: want maxTokens >= 1 and 0 < ratio <= maxTokens, got %v and %v", maxTokens, ratio)
		}
		c.budget = newRetryBudget(maxTokens, ratio)
		return nil
	}
}

// WithLogger logs every attempt at debug level, and every retry at info
// level, to l: method, path, status, attempt, wait and duration. Logs never
// hold the API key, a query string, a request or response body, or a
// secret value.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithUserAgent puts product (such as "my-app/1.2") before the SDK's own
// User-Agent.
func WithUserAgent(product string) Option {
	return func(c *config) error {
		c.userAgent = product
		return nil
	}
}

// A Doer sends an HTTP request; *http.Client is one.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// DoerFunc adapts a function to Doer.
type DoerFunc func(*http.Request) (*http.Response, error)

// Do calls f(req).
func (f DoerFunc) Do(req *http.Request) (*http.Response, error) { return f(req) }

// WithMiddleware wraps every request of the Client, after its retries, auth
// and error mapping; the first middleware given is the outermost. Each
// request a middleware sees is one call as the caller made it; errors it
// returns come back to the caller as they are.
func WithMiddleware(mw func(next Doer) Doer) Option {
	return func(c *config) error {
		if mw == nil {
			return errors.New("WithMiddleware: nil middleware")
		}
		c.middleware = append(c.middleware, mw)
		return nil
	}
}
