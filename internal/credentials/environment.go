package credentials

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
)

// The environment conventions of the official Python SDK.
const (
	// EnvCustomHeaders holds headers added to every request, one
	// "Name: value" a line.
	EnvCustomHeaders = "FIREWORKS_CUSTOM_HEADERS"
	// EnvLog turns the SDK's logging on, at "info" or "debug", when the
	// program gives no logger.
	EnvLog = "FIREWORKS_LOG"
)

// refusedHeaders may not be set through FIREWORKS_CUSTOM_HEADERS: the
// credential is the chain's alone, and hop-by-hop headers (RFC 9110
// section 7.6.1) and the framing ones belong to the transport.
var refusedHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Connection":          true,
	"Keep-Alive":          true,
	"Proxy-Connection":    true,
	"Te":                  true,
	"Trailer":             true,
	"Transfer-Encoding":   true,
	"Upgrade":             true,
	"Content-Length":      true,
	"Host":                true,
}

// ParseCustomHeaders reads FIREWORKS_CUSTOM_HEADERS's value: "Name: value"
// lines (blank lines skipped; a name given twice adds a second value). A
// line without a colon, an invalid name or value, or a header the SDK or
// the transport owns (Authorization, hop-by-hop headers, Host,
// Content-Length) is an error naming the line and the header, never the
// value, which may be a secret.
func ParseCustomHeaders(s string) (http.Header, error) {
	h := http.Header{}
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		switch {
		case !ok:
			return nil, fmt.Errorf("%s line %d: not a \"Name: value\" line", EnvCustomHeaders, i+1)
		case !isToken(name):
			return nil, fmt.Errorf("%s line %d: not a valid header name", EnvCustomHeaders, i+1)
		case !isFieldValue(value):
			return nil, fmt.Errorf("%s line %d (%s): the value holds a control character", EnvCustomHeaders, i+1, http.CanonicalHeaderKey(name))
		}
		canonical := http.CanonicalHeaderKey(name)
		if refusedHeaders[canonical] {
			return nil, fmt.Errorf("%s line %d: %s may not be set this way (the credential chain or the transport owns it)", EnvCustomHeaders, i+1, canonical)
		}
		h.Add(canonical, value)
	}
	return h, nil
}

// ParseLogLevel reads FIREWORKS_LOG's value: "" (no logging), "info" or
// "debug", in any case; anything else is an error.
func ParseLogLevel(s string) (level slog.Level, on bool, err error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return 0, false, nil
	case "info":
		return slog.LevelInfo, true, nil
	case "debug":
		return slog.LevelDebug, true, nil
	}
	return 0, false, fmt.Errorf("%s=%q: want info or debug", EnvLog, strings.ToValidUTF8(s, "?"))
}

// isToken reports whether s is a header name: RFC 9110's token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// isFieldValue reports whether s may be a header value: no control
// character but the horizontal tab.
func isFieldValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
