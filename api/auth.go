package api

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// origin is the scheme, host and port that the API key may be sent to.
type origin struct{ scheme, host, port string }

// originOf returns u's origin with the port made explicit, so that
// https://h and https://h:443 are one origin.
func originOf(u *url.URL) origin {
	return origin{scheme: strings.ToLower(u.Scheme), host: strings.ToLower(u.Hostname()), port: portOf(u)}
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// matches reports whether u is on this origin. It runs on every attempt,
// so it compares in place instead of building u's origin.
func (o origin) matches(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, o.scheme) && strings.EqualFold(u.Hostname(), o.host) && portOf(u) == o.port
}

// parseBaseURL checks the base URL: absolute, https, or http only to a
// loopback address, with no query, fragment or credentials. Its errors
// never quote the URL's user information.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's error quotes the whole URL, password included.
		return nil, errors.New("base URL: not a valid URL")
	}
	shown := u.Redacted()
	switch {
	case u.User != nil:
		return nil, fmt.Errorf("base URL %q: must not hold credentials (the API key goes in WithAPIKey)", shown)
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("base URL %q: scheme must be https", shown)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("base URL %q: no host", shown)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("base URL %q: must not have a query or fragment", shown)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("base URL %q: plain http is allowed only to a loopback address; the API key would cross the network in clear", shown)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// minAPIKeyLen is the shortest API key New accepts: above redact.MinLen,
// so that the key is always redacted from errors.
const minAPIKeyLen = 8

// checkAPIKey refuses keys that cannot be sent as a header value. Its
// errors never quote the key.
func checkAPIKey(key string) error {
	if key == "" {
		return fmt.Errorf("no API key: set %s or use WithAPIKey", EnvAPIKey)
	}
	if len(key) < minAPIKeyLen {
		// A key this short is not a Fireworks key, and could not be told
		// apart from ordinary text when it is redacted from errors.
		return fmt.Errorf("API key: shorter than %d characters; a Fireworks API key is longer", minAPIKeyLen)
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c <= ' ' || c == 0x7f {
			return errors.New("API key: contains white space or a control character (copied with a newline?)")
		}
	}
	return nil
}

// guardRedirects returns a CheckRedirect function that removes the API key
// from any redirect whose target is not the base URL's origin, before
// calling the caller's own CheckRedirect (or the default policy).
func guardRedirects(base origin, next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if !base.matches(req.URL) {
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}
