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

// Options say by their type where they may be given, so that an option
// given where it means nothing does not compile:
//
//   - an Option (WithAccount, WithMaxRetries, WithTimeout,
//     WithRetryNonIdempotent, WithResponseInto) configures one call when
//     given after the call's arguments, and every call of a Client when
//     given to New or Client.With; every Wait, Upload and Download takes
//     Options too, for the calls it makes;
//
//   - a ClientOption (WithAPIKey, WithBaseURL, WithHTTPClient, WithLogger,
//     WithMiddleware, WithRetryBudget, WithMaxRetryWait, WithUserAgent)
//     configures the Client itself: only New takes it;
//
//   - a WaitOption (UntilStates, WithPollInterval, OnWaitProgress...) is
//     taken by the Wait methods, and by Upload (for WaitAfterUpload);
//
//   - a TransferOption (WithParallelTransfers, OnTransferProgress...) is
//     taken by Upload and the Download methods;
//
//   - an UploadOption is what Upload takes: any of the above but a
//     ClientOption, and WaitAfterUpload.
//
//     client, err := api.New(api.WithAccount("acme"), api.WithMaxRetries(4))
//     secret, err := client.Secrets.Get(ctx, "s", nil, api.WithTimeout(5*time.Second))
//
// What stays a check when the option is applied, before anything is sent,
// is its value: a negative count, an empty account, a state the resource
// does not have. A nil option is ignored.
type Option interface {
	ClientOption
	WaitOption
	TransferOption
	applyToCall(*callSettings) error
}

// A ClientOption configures a Client: New takes it. Every Option is one
// too, setting the default of every call.
type ClientOption interface {
	applyToClient(*clientConfig, *callSettings) error
}

// A WaitOption configures a Wait, or the wait of an Upload with
// WaitAfterUpload. Every Option is one too, for the polls' calls.
type WaitOption interface {
	UploadOption
	isWaitOption()
}

// A TransferOption configures an Upload or a Download. Every Option is one
// too, for the transfer's calls.
type TransferOption interface {
	UploadOption
	isTransferOption()
}

// An UploadOption configures an Upload: every Option, WaitOption and
// TransferOption is one, and so is WaitAfterUpload.
type UploadOption interface {
	workflowOption
	isUploadOption()
}

// workflowOption is what the options of a Wait, an Upload and a Download
// have in common: they set a workflow's settings.
type workflowOption interface {
	applyToWorkflow(*workflowTarget) error
}

// workflowTarget is what a workflow's options set: the settings of the
// calls it makes, and its own (nil for those it has none of).
type workflowTarget struct {
	call     *callSettings
	wait     *waitSettings
	transfer *transferSettings
}

// callOption is an Option: it sets call settings, wherever it is given.
type callOption func(*callSettings) error

func (o callOption) applyToCall(s *callSettings) error                    { return o(s) }
func (o callOption) applyToClient(_ *clientConfig, s *callSettings) error { return o(s) }
func (o callOption) applyToWorkflow(t *workflowTarget) error              { return o(t.call) }
func (callOption) isWaitOption()                                          {}
func (callOption) isTransferOption()                                      {}
func (callOption) isUploadOption()                                        {}

// clientOption is a ClientOption: it sets what only New may set.
type clientOption func(*clientConfig) error

func (o clientOption) applyToClient(c *clientConfig, _ *callSettings) error { return o(c) }

// resolveWorkflow applies a workflow's options to the Client's call
// defaults and to the workflow's own settings (w and tr, nil for those it
// has none of), and returns the call settings of its calls.
func resolveWorkflow[O workflowOption](c *Client, opts []O, w *waitSettings, tr *transferSettings) (callSettings, error) {
	s := c.defaults
	for i, opt := range opts {
		if workflowOption(opt) == nil {
			continue
		}
		if err := opt.applyToWorkflow(&workflowTarget{call: &s, wait: w, transfer: tr}); err != nil {
			return s, optionError(i, len(opts), err)
		}
	}
	return s, nil
}

// applyCallOptions applies opts to a copy of defaults: the settings of one
// call. A nil option is skipped. A call without options takes the
// defaults as they are: the copy that options write to (through an
// interface, so on the heap) is made only when there are some.
func applyCallOptions(defaults callSettings, opts []Option) (callSettings, error) {
	if len(opts) == 0 {
		return defaults, nil
	}
	return applyGivenCallOptions(defaults, opts)
}

// applyGivenCallOptions is applyCallOptions for a call with options.
func applyGivenCallOptions(defaults callSettings, opts []Option) (callSettings, error) {
	s := defaults
	for i, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.applyToCall(&s); err != nil {
			return s, optionError(i, len(opts), err)
		}
	}
	return s, nil
}

// optionError is the error of the i-th of n options, refused before
// anything is sent: an *InvalidParamError (In "option") whose reason is
// the option's own words, or the one the option gave for the parameter it
// sets.
func optionError(i, n int, err error) error {
	if ip, ok := err.(*InvalidParamError); ok {
		return ip // a parameter an option sets (WithAccount's account_id)
	}
	return &InvalidParamError{In: "option", Param: fmt.Sprintf("%d of %d", i+1, n), Reason: err.Error()}
}

// callSettings are what a call may change: the Client's are the defaults.
type callSettings struct {
	account            string
	maxRetries         int
	timeout            time.Duration
	retryNonIdempotent bool
	into               *Response // WithResponseInto's, nil for none
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

// WithAPIKey sets the API key, instead of FIREWORKS_API_KEY. A key shorter
// than 8 characters is refused.
func WithAPIKey(key string) ClientOption {
	return clientOption(func(c *clientConfig) error {
		c.apiKey, c.apiKeySet = key, true
		return nil
	})
}

// WithBaseURL sets the API's base URL, instead of FIREWORKS_BASE_URL or
// DefaultBaseURL. It must be https, or http to a loopback address.
func WithBaseURL(u string) ClientOption {
	return clientOption(func(c *clientConfig) error {
		c.baseURL = u
		return nil
	})
}

// WithAccount sets the account that calls act on (the account_id of their
// path), instead of FIREWORKS_ACCOUNT_ID: for every call of a Client when
// given to New or Client.With, for one call when given to the call.
func WithAccount(id string) Option {
	return callOption(func(s *callSettings) error {
		if err := checkAccount(id); err != nil {
			return err // an *InvalidParamError naming account_id
		}
		s.account = id
		return nil
	})
}

// WithHTTPClient makes the Client send its requests through hc, whose
// Transport (for tracing, proxies, metrics) and Jar keep working. The
// Client never modifies hc: it uses a copy whose redirects never carry the
// API key to another origin.
func WithHTTPClient(hc *http.Client) ClientOption {
	return clientOption(func(c *clientConfig) error {
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
	return callOption(func(s *callSettings) error {
		if n < 0 {
			return fmt.Errorf("WithMaxRetries: %d is negative", n)
		}
		s.maxRetries = n
		return nil
	})
}

// WithTimeout bounds each attempt (connecting, sending, and reading the
// response body) to d, for every call or for one. The caller's context
// bounds the whole call. The files' transfers of an Upload or a Download
// are bounded by their progress instead (WithTransferIdleTimeout).
func WithTimeout(d time.Duration) Option {
	return callOption(func(s *callSettings) error {
		if d <= 0 {
			return fmt.Errorf("WithTimeout: %v is not positive", d)
		}
		s.timeout = d
		return nil
	})
}

// WithRetryNonIdempotent lets POST and PATCH requests be retried after
// failures where the server may already have acted on them (a lost
// connection, a timeout, a 500, a 503 without Retry-After), for every call
// or for one. Use it only where a duplicated create or update is harmless.
func WithRetryNonIdempotent() Option {
	return callOption(func(s *callSettings) error {
		s.retryNonIdempotent = true
		return nil
	})
}

// WithMaxRetryWait caps the wait a server may ask for with Retry-After or
// retry-after-ms. A response that asks for longer is not retried: its error
// comes back at once, with the wait in Error.RetryAfter.
func WithMaxRetryWait(d time.Duration) ClientOption {
	return clientOption(func(c *clientConfig) error {
		if d < 0 {
			return fmt.Errorf("WithMaxRetryWait: %v is negative", d)
		}
		c.maxRetryWait = d
		return nil
	})
}

// WithRetryBudget sets the retry budget shared by every call of the Client
// (see RetryBudget; DefaultRetryBudget without this option).
func WithRetryBudget(b RetryBudget) ClientOption {
	return clientOption(func(c *clientConfig) error {
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
func WithoutRetryBudget() ClientOption {
	return clientOption(func(c *clientConfig) error {
		c.budget = RetryBudget{}
		return nil
	})
}

// WithLogger logs every attempt at debug level, and every retry at info
// level, to l: method, path, status, attempt, wait and duration. Logs never
// hold the API key, a query string, a request or response body, or a
// secret value.
func WithLogger(l *slog.Logger) ClientOption {
	return clientOption(func(c *clientConfig) error {
		c.logger = l
		return nil
	})
}

// WithUserAgent puts product (such as "my-app/1.2") before the SDK's own
// User-Agent.
func WithUserAgent(product string) ClientOption {
	return clientOption(func(c *clientConfig) error {
		c.userAgent = product
		return nil
	})
}

// A Doer sends an HTTP request; *http.Client is one.
type Doer interface {
	// Do sends the request and returns its response, as http.Client.Do does.
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
func WithMiddleware(mw func(next Doer) Doer) ClientOption {
	return clientOption(func(c *clientConfig) error {
		if mw == nil {
			return errors.New("WithMiddleware: nil middleware")
		}
		c.middleware = append(c.middleware, mw)
		return nil
	})
}
