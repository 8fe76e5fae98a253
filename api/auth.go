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
// loopback address, with no query, fragment or credentials, and no path
// that can never work (the SDK adds /v1/... itself; an inference URL is
// not the Gateway's). A path prefix is kept, for a proxy that serves the
// Gateway under one. Its errors never quote the URL's user information.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's error quotes the whole URL, password included: say
		// what is wrong in words of our own.
		return nil, fmt.Errorf("base URL: not a valid URL (%s); want https://host[:port], such as %s", urlProblem(err), DefaultBaseURL)
	}
	shown := u.Redacted()
	switch {
	case u.User != nil:
		return nil, fmt.Errorf("base URL %q: must not hold credentials (the API key goes in WithAPIKey)", shown)
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("base URL %q: scheme must be https (want https://host[:port], such as %s)", shown, DefaultBaseURL)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("base URL %q: no host (want https://host[:port], such as %s)", shown, DefaultBaseURL)
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("base URL %q: must not have a query", shown)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return nil, fmt.Errorf("base URL %q: must not have a fragment", shown)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, fmt.Errorf("base URL %q: plain http is allowed only to a loopback address; the API key would cross the network in clear", shown)
	}
	if hint := basePathProblem(u); hint != "" {
		return nil, fmt.Errorf("base URL %q: %s", shown, hint)
	}
	return u, nil
}

// basePathProblem says why a base URL's path can never reach the Gateway,
// "" when it may (none, or a proxy's prefix).
func basePathProblem(u *url.URL) string {
	root := *u
	root.Path, root.RawPath = "", ""
	for _, seg := range strings.Split(strings.Trim(u.Path, "/"), "/") {
		switch strings.ToLower(seg) {
		case "inference":
			return fmt.Sprintf("that is an inference URL; the Gateway's base URL is the host alone (%s)", root.Redacted())
		case "v1":
			return fmt.Sprintf("the SDK adds /v1/... to every path itself: use %s", root.Redacted())
		}
	}
	return ""
}

// urlProblem words url.Parse's error without quoting any part of the URL.
func urlProblem(err error) string {
	msg := err.Error()
	if ue, ok := err.(*url.Error); ok {
		msg = ue.Err.Error()
	}
	switch {
	case strings.Contains(msg, "invalid port"):
		return "the port is not a number"
	case strings.Contains(msg, "invalid URL escape"):
		return "a '%' not followed by two hexadecimal digits"
	case strings.Contains(msg, "control character"):
		return "it holds a control character (copied with a newline?)"
	case strings.Contains(msg, "invalid character") && strings.Contains(msg, "host"):
		return "the host holds a character a host name cannot"
	case strings.Contains(msg, "missing protocol scheme"):
		return "no scheme"
	}
	return "it cannot be parsed"
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

// checkAPIKey refuses keys too short to be a Fireworks key. Its errors
// never quote the key; white space was refused by the credential chain
// (credentials.CheckValue), wherever the key came from.
func checkAPIKey(key string) error {
	if key == "" {
		return fmt.Errorf("no API key: set %s or use WithAPIKey", EnvAPIKey)
	}
	if len(key) < minAPIKeyLen {
		// A key this short is not a Fireworks key, and could not be told
		// apart from ordinary text when it is redacted from errors.
		return fmt.Errorf("API key: shorter than %d characters; a Fireworks API key is longer", minAPIKeyLen)
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
