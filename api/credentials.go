package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/credentials"
)

// More environment variables read by New: a profile, and the conventions
// of the official Python SDK.
const (
	// EnvProfile names a profile of the Fireworks tools, as
	// WithProfile does: ~/.fireworks/profiles/<name>/auth.ini and
	// settings.ini.
	EnvProfile = credentials.EnvProfile
	// EnvCustomHeaders holds headers added to every request to the API,
	// one "Name: value" a line. Authorization, Host, Content-Length and
	// hop-by-hop headers are refused.
	EnvCustomHeaders = credentials.EnvCustomHeaders
	// EnvLog turns on the Client's logging to standard error, at "info"
	// or "debug", when no WithLogger is given.
	EnvLog = credentials.EnvLog
)

// A CredentialSource gives the credential sent with each request to the
// API (as "Authorization: Bearer <credential>"), asked once per attempt,
// in the manner of oauth2.TokenSource: a key reloaded from a secret
// manager, a token minted by the program. Caching is the source's
// business; it must be safe for concurrent use. Its errors end the call,
// before anything is sent.
type CredentialSource interface {
	// Credential returns the API key or session token to send with the
	// next attempt, without "Bearer ".
	Credential(ctx context.Context) (string, error)
}

// CredentialFunc adapts a function to CredentialSource.
type CredentialFunc func(ctx context.Context) (string, error)

// Credential calls f(ctx).
func (f CredentialFunc) Credential(ctx context.Context) (string, error) { return f(ctx) }

// credentialConfig is what the options of the credential chain set.
type credentialConfig struct {
	profile      string
	idToken      string
	refreshToken string
	source       CredentialSource
	noFiles      bool
	dir          string
}

// WithProfile reads the credentials of a profile of the Fireworks tools
// (firectl's --profile): ~/.fireworks/profiles/<name>/auth.ini and
// settings.ini, whose values win over the FIREWORKS_* environment
// variables. A profile that does not exist is an error.
func WithProfile(name string) ClientOption {
	return clientOption(func(c *clientConfig) error {
		if name == "" {
			return errors.New("WithProfile: empty name")
		}
		c.creds.profile = name
		return nil
	})
}

// WithSession authenticates with a session, as firectl signin keeps one:
// the token is sent as Bearer and refreshed through
// Auth.RefreshSessionToken before it expires, and once when the API
// refuses it.
func WithSession(idToken, refreshToken string) ClientOption {
	return clientOption(func(c *clientConfig) error {
		if idToken == "" || refreshToken == "" {
			return errors.New("WithSession: an empty token")
		}
		c.creds.idToken, c.creds.refreshToken = idToken, refreshToken
		return nil
	})
}

// WithCredentialSource asks src for the credential of every attempt, so
// that a key that rotates needs no new Client. The credential goes only
// to the base URL's origin, as any other, and is redacted from errors.
// When src also has a method Invalidate(credential string), it is called
// when the API answers 401 to that credential, and the call is sent once
// more with the credential src gives next.
func WithCredentialSource(src CredentialSource) ClientOption {
	return clientOption(func(c *clientConfig) error {
		if src == nil {
			return errors.New("WithCredentialSource: nil source")
		}
		c.creds.source = src
		return nil
	})
}

// WithoutCredentialFiles makes New read no file of the Fireworks tools
// (and ignore FIREWORKS_PROFILE): options and environment variables only.
// Tests use it, or an empty temporary HOME, so that they never pick up
// the developer's own credentials.
func WithoutCredentialFiles() ClientOption {
	return clientOption(func(c *clientConfig) error {
		c.creds.noFiles = true
		return nil
	})
}

// WithCredentialsDir reads the credential files of the Fireworks tools
// from dir instead of ~/.fireworks: dir/auth.ini and dir/settings.ini for
// the default files, dir/profiles/<name>/ for a profile (WithProfile,
// FIREWORKS_PROFILE). dir must be a directory. A program or a test that
// writes its own profile (into a temporary directory) uses it, so that it
// never reads, nor depends on, the user's own files. It cannot be given
// with WithoutCredentialFiles.
func WithCredentialsDir(dir string) ClientOption {
	return clientOption(func(c *clientConfig) error {
		if dir == "" {
			return errors.New("WithCredentialsDir: empty directory")
		}
		c.creds.dir = dir
		return nil
	})
}

// resolvedCredentials is what New takes from the chain.
type resolvedCredentials struct {
	source  credentials.Source // nil for a static API key (cfg.apiKey)
	session *sessionSetup      // set for a session, made once the pipeline exists
	sources credentials.Sources
	headers http.Header // FIREWORKS_CUSTOM_HEADERS
}

type sessionSetup struct{ idToken, refreshToken string }

// resolveCredentials walks the credential chain (see credentials.Resolve)
// and sets the API key, base URL and account it found into cfg and
// defaults. It reads the environment and the home directory here, once.
func resolveCredentials(cfg *clientConfig, defaults *callSettings) (*resolvedCredentials, error) {
	given := 0
	for _, set := range []bool{cfg.apiKeySet, cfg.creds.idToken != "", cfg.creds.source != nil} {
		if set {
			given++
		}
	}
	if given > 1 {
		return nil, errors.New("give one of WithAPIKey, WithSession and WithCredentialSource")
	}
	if cfg.creds.noFiles && cfg.creds.dir != "" {
		return nil, errors.New("give one of WithCredentialsDir and WithoutCredentialFiles")
	}
	if cfg.apiKeySet && cfg.apiKey == "" {
		return nil, fmt.Errorf("no API key: WithAPIKey was given an empty key (give it a key, or leave it out to use %s)", EnvAPIKey)
	}
	home, _ := os.UserHomeDir() // none: no file is read
	in := credentials.Input{
		APIKey: cfg.apiKey, IDToken: cfg.creds.idToken, RefreshToken: cfg.creds.refreshToken,
		Account: defaults.account, BaseURL: cfg.baseURL, Profile: cfg.creds.profile,
		Getenv: os.Getenv, Home: home, Dir: cfg.creds.dir, NoFiles: cfg.creds.noFiles,
	}
	if cfg.creds.source != nil {
		in.CredentialGiven = "WithCredentialSource"
	}
	res, err := credentials.Resolve(in)
	if err != nil {
		return nil, err
	}
	out := &resolvedCredentials{sources: res.Sources}
	switch {
	case cfg.creds.source != nil:
		out.source = cfg.creds.source
	case res.IDToken != "":
		out.session = &sessionSetup{res.IDToken, res.RefreshToken}
	default:
		if err := checkAPIKey(res.APIKey); err != nil {
			return nil, fmt.Errorf("%s (from %s)", err, res.Sources.Credential)
		}
		cfg.apiKey = res.APIKey
	}
	cfg.baseURL, defaults.account = res.BaseURL, res.Account
	if res.Account != "" && res.Sources.Account != "WithAccount" {
		// WithAccount checked its own; one from a variable or a file can
		// hold what no path segment may.
		if err := checkAccount(res.Account); err != nil {
			return nil, fmt.Errorf("%s: %w: fix it, or use WithAccount", res.Sources.Account, err)
		}
	}
	if cfg.baseURL == "" {
		cfg.baseURL = DefaultBaseURL
	}
	if out.headers, err = credentials.ParseCustomHeaders(os.Getenv(EnvCustomHeaders)); err != nil {
		return nil, err
	}
	if cfg.logger == nil {
		level, on, err := credentials.ParseLogLevel(os.Getenv(EnvLog))
		if err != nil {
			return nil, err
		}
		if on {
			cfg.logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
		}
	}
	return out, nil
}

// logSources says, at debug level, where each value came from; never a
// value.
func (p *pipeline) logSources(s credentials.Sources) {
	if p.logger == nil || !p.logger.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	p.logger.LogAttrs(context.Background(), slog.LevelDebug, "fireworks credentials",
		slog.String("credential", s.Credential),
		slog.String("account", s.Account),
		slog.String("base_url", s.BaseURL))
}

// newSession makes the session's token source, refreshing through
// Auth.RefreshSessionToken on a pipeline of its own that sends no
// Authorization (the refresh token in the body is the credential) and
// skips the middlewares: the session cannot wait for itself.
func newSession(p *pipeline, defaults callSettings, s *sessionSetup) (*credentials.Session, error) {
	bare := *p
	bare.api.auth, bare.api.cred, bare.doer = nil, nil, nil
	refresher, err := newClient(&bare, defaults)
	if err != nil {
		return nil, err
	}
	refresh := func(ctx context.Context, refreshToken string) (credentials.Tokens, error) {
		got, err := refresher.Auth.RefreshSessionToken(ctx, gen.RefreshSessionTokenRequest{RefreshToken: &refreshToken})
		if err != nil {
			return credentials.Tokens{}, err
		}
		var t credentials.Tokens
		if got.Token != nil {
			t.Token = *got.Token
		}
		if got.RefreshToken != nil {
			t.RefreshToken = *got.RefreshToken
		}
		if got.ExpireTime != nil {
			t.Expiry = *got.ExpireTime
		}
		if got.RefreshExpireTime != nil {
			t.RefreshExpiry = *got.RefreshExpireTime
		}
		return t, nil
	}
	return credentials.NewSession(s.idToken, s.refreshToken, refresh), nil
}

// sentCredentialKey keys the sentCredential of a call in its request's
// context, for redaction.
type sentCredentialKey struct{}

// sentCredential is the credential a call's last attempt carried, when it
// may change between attempts: redacted from the call's errors as the
// static key is, and what a 401 invalidates.
type sentCredential struct{ token string }

// next asks src for the credential of the next attempt and checks it
// before anything is sent. Its errors never quote the credential.
func (s *sentCredential) next(ctx context.Context, src credentials.Source) ([]string, error) {
	tok, err := src.Credential(ctx)
	if err != nil {
		return nil, fmt.Errorf("credential: %w", publicSessionError(err))
	}
	if tok == "" {
		return nil, errors.New("credential: the credential source gave an empty credential")
	}
	if err := credentials.CheckValue(tok, "credential"); err != nil {
		return nil, err
	}
	s.token = tok
	return []string{"Bearer " + tok}, nil
}

// orDefault names the source of a base URL for an error.
func orDefault(source string) string {
	if source == "" {
		return "the default"
	}
	return source
}
