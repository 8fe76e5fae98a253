package api

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/pathparam"
)

// Client calls every operation of the Gateway REST API. Its methods are
// those of gen.ClientWithResponses (UpdateSecretWithResponse returns the
// decoded response) and gen.Client (UpdateSecret returns the
// *http.Response), each with authentication, retries and typed errors.
//
// A non-2xx response comes back as an *Error, a failure without a response
// as a *TransportError, and a bad path parameter as an *InvalidParamError
// before anything is sent. A Client is safe for concurrent use; share one.
type Client struct {
	*gen.ClientWithResponses

	baseURL    string
	httpClient *http.Client
}

// InvalidParamError reports a path parameter refused before any request
// was sent: empty, a dot segment, or holding a character (such as '/' or
// ':') that would make the request address another resource.
type InvalidParamError = pathparam.Error

// New returns a Client. Without options it reads the API key from
// FIREWORKS_API_KEY and the base URL from FIREWORKS_BASE_URL (default
// https://api.fireworks.ai); options take precedence over the environment.
// It fails, before any request, when there is no usable API key or the
// base URL is not https (or http to a loopback address).
func New(opts ...Option) (*Client, error) {
	cfg := config{
		maxRetries:   DefaultMaxRetries,
		timeout:      DefaultTimeout,
		maxRetryWait: DefaultMaxRetryWait,
		budget:       newRetryBudget(DefaultRetryBudgetTokens, DefaultRetryBudgetRatio),
	}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, fmt.Errorf("api: %w", err)
		}
	}
	if !cfg.apiKeySet {
		cfg.apiKey = os.Getenv(EnvAPIKey)
	}
	if err := checkAPIKey(cfg.apiKey); err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	if cfg.baseURL == "" {
		cfg.baseURL = os.Getenv(EnvBaseURL)
	}
	if cfg.baseURL == "" {
		cfg.baseURL = DefaultBaseURL
	}
	base, err := parseBaseURL(cfg.baseURL)
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}

	hc := cfg.httpClient
	if hc == nil {
		hc = defaultHTTPClient()
	}
	guarded := *hc // a copy: the caller's client is never modified
	guarded.CheckRedirect = guardRedirects(originOf(base), hc.CheckRedirect)

	ua := UserAgent
	if cfg.userAgent != "" {
		ua = cfg.userAgent + " " + ua
	}
	var doer Doer = &retryDoer{
		client:       &guarded,
		base:         originOf(base),
		auth:         []string{"Bearer " + cfg.apiKey},
		userAgent:    []string{ua},
		secrets:      []string{cfg.apiKey},
		maxRetries:   cfg.maxRetries,
		timeout:      cfg.timeout,
		maxRetryWait: cfg.maxRetryWait,
		retryUnsafe:  cfg.retryUnsafe,
		budget:       cfg.budget,
		logger:       cfg.logger,
	}
	for i := len(cfg.middleware) - 1; i >= 0; i-- {
		doer = cfg.middleware[i](doer)
	}
	generated, err := gen.NewClientWithResponses(base.String(), gen.WithHTTPClient(doer))
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	return &Client{ClientWithResponses: generated, baseURL: base.String(), httpClient: &guarded}, nil
}

// BaseURL returns the base URL the Client sends requests to.
func (c *Client) BaseURL() string { return c.baseURL }

// CloseIdleConnections closes the idle connections of the Client's
// transport (the one given WithHTTPClient, or the Client's own), as
// http.Client.CloseIdleConnections does. A Client needs no closing; this
// is for programs that make many Clients without WithHTTPClient, each
// with a connection pool of its own.
func (c *Client) CloseIdleConnections() { c.httpClient.CloseIdleConnections() }

// defaultHTTPClient is used when the caller brings none: a private
// transport with the connect and TLS handshake timeouts the official SDKs
// use. The per-attempt timeout bounds the rest, so that no attempt can hang
// for ever even without a context deadline.
func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: DefaultConnectTimeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	// No ResponseHeaderTimeout: the per-attempt timeout (WithTimeout,
	// CallTimeout) bounds the wait for headers, and may be longer than any
	// fixed value here.
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t}
}
