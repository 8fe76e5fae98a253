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
)

// Environment variables read by New, as the official SDKs read them.
const (
	EnvAPIKey    = "FIREWORKS_API_KEY"
	EnvBaseURL   = "FIREWORKS_BASE_URL"
	EnvAccountID = "FIREWORKS_ACCOUNT_ID"
)

// An Option configures a Client when given to New (or Client.With), and
// one call when given after the call's arguments:
//
//	client, err := api.New(api.WithAccount("acme"), api.WithMaxRetries(4))
//	secret, err := client.Secrets.Get(ctx, "s", nil, api.WithTimeout(5*time.Second))
//
// Options that shape the Client itself (WithAPIKey, WithBaseURL,
// WithHTTPClient, WithLogger, WithMiddleware, WithRetryBudget,
// WithMaxRetryWait, WithUserAgent) are refused, before anything is sent,
// when given to a call.
type Option func(*optionTarget) error

// optionTarget is what an option sets: a call's settings, and the
// Client's configuration when the option is given to New.
type optionTarget struct {
	call     *callSettings
	client   *clientConfig     // nil for a call and for Client.With
	wait     *waitSettings     // set for Wait (and Upload), nil otherwise
	transfer *transferSettings // set for Upload and Download, nil otherwise
}

// callSettings are what a call may change: the Client's are the defaults.
type callSettings struct {
	account            string
	maxRetries         int
	timeout            time.Duration
	retryNonIdempotent bool
}

// clientConfig is what only New may set. The Client keeps it, once, in
// its pipeline.
type clientConfig struct {
	apiKey       string
	apiKeySet    bool
	baseURL      string
	httpClient   *http.Client
	maxRetryWait time.Duration
	budget       RetryBudget
	logger       *slog.Logger
	userAgent    string
	middleware   []func(Doer) Doer
	creds        credentialConfig // the credential chain's options (credentials.go)
}

// clientOption is an Option that only New takes.
func clientOption(name string, set func(*clientConfig) error) Option {
	return func(t *optionTarget) error {
		if t.client == nil {
			return fmt.Errorf("%s configures a Client: give it to api.New, not to a call", name)
		}
		return set(t.client)
	}
}

// WithAPIKey sets the API key, instead of FIREWORKS_API_KEY. A key shorter
// than 8 characters is refused.
func WithAPIKey(key string) Option {
	return clientOption("WithAPIKey", func(c *clientConfig) error {
		c.apiKey, c.apiKeySet = key, true
		return nil
	})
}

// WithBaseURL sets the API's base URL, instead of FIREWORKS_BASE_URL or
// DefaultBaseURL. It must be https, or http to a loopback address.
func WithBaseURL(u string) Option {
	return clientOption("WithBaseURL", func(c *clientConfig) error {
		c.baseURL = u
		return nil
	})
}

// WithAccount sets the account that calls act on (the account_id of their
// path), instead of FIREWORKS_ACCOUNT_ID: for every call of a Client when
// given to New or Client.With, for one call when given to the call.
func WithAccount(id string) Option {
	return func(t *optionTarget) error {
		if id == "" {
			return &InvalidParamError{In: "path", Param: accountParam, Reason: "empty value (WithAccount)"}
		}
		t.call.account = id
		return nil
	}
}

// WithHTTPClient makes the Client send its requests through hc, whose
// Transport (for tracing, proxies, metrics) and Jar keep working. The
// Client never modifies hc: it uses a copy whose redirects never carry the
// API key to another origin.
func WithHTTPClient(hc *http.Client) Option {
	return clientOption("WithHTTPClient", func(c *clientConfig) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	})
}

// WithMaxRetries sets how many times a failed request is retried (0:
// never), for every call or for one. Each retry also needs room in the
// Client's retry budget (see WithRetryBudget), which a healthy API always
// leaves.
func WithMaxRetries(n int) Option {
	return func(t *optionTarget) error {
		if n < 0 {
			return fmt.Errorf("WithMaxRetries: %d is negative", n)
		}
		t.call.maxRetries = n
		return nil
	}
}

// WithTimeout bounds each attempt (connecting, sending, and reading the
// response body) to d, for every call or for one. The caller's context
// bounds the whole call.
func WithTimeout(d time.Duration) Option {
	return func(t *optionTarget) error {
		if d <= 0 {
			return fmt.Errorf("WithTimeout: %v is not positive", d)
		}
		t.call.timeout = d
		return nil
	}
}

// WithRetryNonIdempotent lets POST and PATCH requests be retried after
// failures where the server may already have acted on them (a lost
// connection, a timeout, a 500, a 503 without Retry-After), for every call
// or for one. Use it only where a duplicated create or update is harmless.
func WithRetryNonIdempotent() Option {
	return func(t *optionTarget) error {
		t.call.retryNonIdempotent = true
		return nil
	}
}

// WithMaxRetryWait caps the wait a server may ask for with Retry-After or
// retry-after-ms. A response that asks for longer is not retried: its error
// comes back at once, with the wait in Error.RetryAfter.
func WithMaxRetryWait(d time.Duration) Option {
	return clientOption("WithMaxRetryWait", func(c *clientConfig) error {
		if d < 0 {
			return fmt.Errorf("WithMaxRetryWait: %v is negative", d)
		}
		c.maxRetryWait = d
		return nil
	})
}

// WithRetryBudget sets the retry budget shared by every call of the Client
// (see RetryBudget; DefaultRetryBudget without this option).
func WithRetryBudget(b RetryBudget) Option {
	return clientOption("WithRetryBudget", func(c *clientConfig) error {
		if err := b.validate(); err != nil {
			return fmt.Errorf("WithRetryBudget: %w", err)
		}
		c.budget = b
		return nil
	})
}

// WithoutRetryBudget lets every call retry up to its WithMaxRetries,
// whatever the other calls meet: a failing API then gets up to
// 1+MaxRetries requests for each call.
func WithoutRetryBudget() Option {
	return clientOption("WithoutRetryBudget", func(c *clientConfig) error {
		c.budget = RetryBudget{}
		return nil
	})
}

// WithLogger logs every attempt at debug level, and every retry at info
// level, to l: method, path, status, attempt, wait and duration. Logs never
// hold the API key, a query string, a request or response body, or a
// secret value.
func WithLogger(l *slog.Logger) Option {
	return clientOption("WithLogger", func(c *clientConfig) error {
		c.logger = l
		return nil
	})
}

// WithUserAgent puts product (such as "my-app/1.2") before the SDK's own
// User-Agent.
func WithUserAgent(product string) Option {
	return clientOption("WithUserAgent", func(c *clientConfig) error {
		c.userAgent = product
		return nil
	})
}

// A Doer sends an HTTP request; *http.Client is one.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// DoerFunc adapts a function to Doer.
type DoerFunc func(*http.Request) (*http.Response, error)

// Do calls f(req).
func (f DoerFunc) Do(req *http.Request) (*http.Response, error) { return f(req) }

// WithMiddleware wraps every call of the Client around its retries, auth
// and error mapping; the first middleware given is the outermost. Each
// request a middleware sees is one call as the caller made it; errors it
// returns come back to the caller as they are.
func WithMiddleware(mw func(next Doer) Doer) Option {
	return clientOption("WithMiddleware", func(c *clientConfig) error {
		if mw == nil {
			return errors.New("WithMiddleware: nil middleware")
		}
		c.middleware = append(c.middleware, mw)
		return nil
	})
}
