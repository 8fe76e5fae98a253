package api

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/fireworks-gateway/go-sdk/gen"
)

// clientCore is the hand-written part of Client (whose services are
// generated in services.gen.go).
type clientCore struct {
	common   service      // what every service points to
	defaults callSettings // the account, retries and timeout of every call
	p        *pipeline    // shared with the Clients made by With
	raw      *gen.ClientWithResponses
}

// service is what every resource service holds: its Client.
type service struct{ client *Client }

// New returns a Client. Without options it reads the API key from
// FIREWORKS_API_KEY, the account from FIREWORKS_ACCOUNT_ID and the base URL
// from FIREWORKS_BASE_URL (default https://api.fireworks.ai); options take
// precedence over the environment. It fails, before any request, when there
// is no usable API key or the base URL is not https (or http to a loopback
// address). A Client without an account can still make the calls that act
// on none (Accounts.List); the others fail with ErrNoAccount.
func New(opts ...ClientOption) (*Client, error) {
	cfg := clientConfig{maxRetryWait: DefaultMaxRetryWait, budget: DefaultRetryBudget}
	defaults := callSettings{maxRetries: DefaultMaxRetries, timeout: DefaultTimeout}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.applyToClient(&cfg, &defaults); err != nil {
			return nil, fmt.Errorf("api: %w", err)
		}
	}
	keyFrom := "WithAPIKey"
	if !cfg.apiKeySet {
		cfg.apiKey, keyFrom = os.Getenv(EnvAPIKey), EnvAPIKey
	}
	if err := checkAPIKey(cfg.apiKey); err != nil {
		if cfg.apiKey != "" {
			return nil, fmt.Errorf("api: %w (from %s)", err, keyFrom)
		}
		return nil, fmt.Errorf("api: %w", err)
	}
	if defaults.account == "" {
		if v := os.Getenv(EnvAccountID); v != "" {
			if err := checkAccount(v); err != nil {
				return nil, fmt.Errorf("api: %s: %w: fix the variable, or use WithAccount", EnvAccountID, err)
			}
			defaults.account = v
		}
	}
	baseFrom := "WithBaseURL"
	if cfg.baseURL == "" {
		cfg.baseURL, baseFrom = os.Getenv(EnvBaseURL), EnvBaseURL
	}
	if cfg.baseURL == "" {
		cfg.baseURL, baseFrom = DefaultBaseURL, ""
	}
	base, err := parseBaseURL(cfg.baseURL)
	if err != nil {
		if baseFrom == EnvBaseURL {
			return nil, fmt.Errorf("api: %s: %w", EnvBaseURL, err)
		}
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
	server := base.String()
	if !strings.HasSuffix(server, "/") {
		// The request builders resolve "./v1/..." against it: without the
		// slash, a base path's last segment would be replaced.
		server += "/"
	}
	p := &pipeline{
		clientConfig: cfg,
		server:       server,
		api:          destination{client: &guarded, origin: originOf(base), auth: []string{"Bearer " + cfg.apiKey}},
		storage:      storageClient(hc),
		userAgent:    []string{ua},
		secrets:      []string{cfg.apiKey},
		budget:       noBudget{},
	}
	if cfg.budget != (RetryBudget{}) {
		p.budget = newSlidingBudget(cfg.budget, time.Now())
	}
	if len(cfg.middleware) > 0 {
		var doer Doer = endOfChain{p}
		for i := len(cfg.middleware) - 1; i >= 0; i-- {
			doer = cfg.middleware[i](doer)
		}
		p.doer = doer
	}
	return newClient(p, defaults)
}

func newClient(p *pipeline, defaults callSettings) (*Client, error) {
	c := &Client{clientCore: clientCore{defaults: defaults, p: p}}
	raw, err := gen.NewClientWithResponses(p.server, gen.WithHTTPClient(rawDoer{c}))
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	c.raw = raw
	c.initServices()
	return c, nil
}

// With returns a Client that shares c's connections, credentials and
// retry budget, with other settings for its calls: another account
// (WithAccount), retries (WithMaxRetries, WithRetryNonIdempotent) or
// timeout (WithTimeout). It takes Options only: those that shape a Client
// (a ClientOption such as WithAPIKey) go to New.
func (c *Client) With(opts ...Option) (*Client, error) {
	defaults, err := applyCallOptions(c.defaults, opts)
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	return newClient(c.p, defaults)
}

// Raw returns the generated client of package gen behind c's pipeline
// (auth, retries, typed errors): for the raw *http.Response of an
// operation, or its WithBody variant. Its methods take every path
// parameter, the account included; per-call options go in Editor.
func (c *Client) Raw() *gen.ClientWithResponses { return c.raw }

// Account returns the account that c's calls act on, "" if none.
func (c *Client) Account() string { return c.defaults.account }

// BaseURL returns the base URL the Client sends requests to.
func (c *Client) BaseURL() string { return strings.TrimSuffix(c.p.server, "/") }

// CloseIdleConnections closes the idle connections of the Client's
// transport (the one given WithHTTPClient, or the Client's own), as
// http.Client.CloseIdleConnections does. A Client needs no closing; this
// is for programs that make many Clients without WithHTTPClient, each
// with a connection pool of its own.
func (c *Client) CloseIdleConnections() { c.p.api.client.CloseIdleConnections() }

// defaultHTTPClient is used when the caller brings none: a private
// transport with the connect and TLS handshake timeouts the official SDKs
// use. The per-attempt timeout bounds the rest, so that no attempt can hang
// for ever even without a context deadline.
func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: DefaultConnectTimeout, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	// No ResponseHeaderTimeout: the per-attempt timeout (WithTimeout)
	// bounds the wait for headers, and may be longer than any fixed value
	// here.
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t}
}
