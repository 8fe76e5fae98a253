package api

import (
	"fmt"
	"net"
	"net/http"
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

// New returns a Client. It takes its credential, account and base URL,
// once, from the first source of the credential chain that has each:
//
//  1. options: WithAPIKey, WithSession or WithCredentialSource; WithAccount;
//     WithBaseURL;
//  2. a profile named with WithProfile or FIREWORKS_PROFILE:
//     ~/.fireworks/profiles/<name>/auth.ini and settings.ini, whose values
//     win over the environment (a profile that does not exist is an error);
//  3. FIREWORKS_API_KEY, FIREWORKS_ACCOUNT_ID, FIREWORKS_BASE_URL;
//  4. ~/.fireworks/auth.ini and settings.ini, as firectl writes them
//     (api_key, or id_token and refresh_token; account_id; base_url).
//
// The base URL defaults to https://api.fireworks.ai. With a logger at
// debug level, New logs where each value came from, never the value.
// WithoutCredentialFiles skips the files. New fails, before any request,
// when no source has a credential (the error lists every place looked
// at), a file is malformed, a credential file is readable by others (as
// ssh refuses such a key), a value holds white space, or the base URL is
// not https (or http to a loopback address). FIREWORKS_CUSTOM_HEADERS
// adds headers to every request to the API, and FIREWORKS_LOG=info|debug
// logs to standard error when no WithLogger is given. A Client without an
// account can still make the calls that act on none (Accounts.List); the
// others fail with ErrNoAccount.
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
	creds, err := resolveCredentials(&cfg, &defaults)
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	base, err := parseBaseURL(cfg.baseURL)
	if err != nil {
		return nil, fmt.Errorf("api: %w (from %s)", err, orDefault(creds.sources.BaseURL))
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
		api:          destination{client: &guarded, origin: originOf(base), cred: creds.source, headers: creds.headers},
		storage:      storageClient(hc),
		userAgent:    []string{ua},
		budget:       noBudget{},
	}
	if cfg.apiKey != "" {
		p.api.auth, p.secrets = []string{"Bearer " + cfg.apiKey}, []string{cfg.apiKey}
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
	if creds.session != nil {
		if p.api.cred, err = newSession(p, defaults, creds.session); err != nil {
			return nil, fmt.Errorf("api: %w", err)
		}
	}
	p.logSources(creds.sources)
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
