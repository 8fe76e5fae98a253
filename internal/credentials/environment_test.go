package credentials

import (
	"log/slog"
	"strings"
	"testing"
)

// TestCustomHeaders: "Name: value" lines become headers, blank lines are
// skipped, a repeated name adds a value.
func TestCustomHeaders(t *testing.T) {
	h, err := ParseCustomHeaders("X-Team: ml\n\n  x-trace : a:b \r\nX-Team: ops\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(h.Values("X-Team"), ","); got != "ml,ops" {
		t.Errorf("X-Team = %q", got)
	}
	if got := h.Get("X-Trace"); got != "a:b" {
		t.Errorf("X-Trace = %q", got)
	}
	if h, err := ParseCustomHeaders(""); err != nil || len(h) != 0 {
		t.Errorf("empty: %v, %v", h, err)
	}
}

// TestCustomHeadersRefused: a header the credential chain or the transport
// owns, or a line that is not a header, is a one-line error naming the
// line, never the value.
func TestCustomHeadersRefused(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Authorization: Bearer " + envKey, "line 1: Authorization may not be set"},
		{"X-A: 1\nproxy-authorization: Basic " + envKey, "line 2: Proxy-Authorization may not be set"},
		{"Connection: close", "Connection may not be set"},
		{"transfer-encoding: chunked", "Transfer-Encoding may not be set"},
		{"Host: evil.example", "Host may not be set"},
		{"Te: trailers", "Te may not be set"},
		{"Upgrade: h2c", "Upgrade may not be set"},
		{"Keep-Alive: 5", "Keep-Alive may not be set"},
		{envKey, "line 1: not a \"Name: value\" line"},
		{"Bad Name: " + envKey, "line 1: not a valid header name"},
		{": " + envKey, "not a valid header name"},
		{"X-Key: " + envKey + "\x00", "line 1 (X-Key): the value holds a control character"},
	}
	for _, tc := range cases {
		_, err := ParseCustomHeaders(tc.in)
		if err == nil {
			t.Errorf("case %q accepted", tc.want)
			continue
		}
		msg := err.Error()
		checkNoSecret(t, msg)
		if !strings.Contains(msg, tc.want) || !strings.HasPrefix(msg, EnvCustomHeaders) || strings.Contains(msg, "\n") {
			t.Errorf("error %q; want one line with %q", msg, tc.want)
		}
	}
}

// TestLogLevel: FIREWORKS_LOG takes info or debug, in any case; "" is off;
// anything else is an error.
func TestLogLevel(t *testing.T) {
	cases := []struct {
		in    string
		level slog.Level
		on    bool
	}{{"", 0, false}, {"info", slog.LevelInfo, true}, {"DEBUG", slog.LevelDebug, true}, {" debug\n", slog.LevelDebug, true}}
	for _, tc := range cases {
		level, on, err := ParseLogLevel(tc.in)
		if err != nil || level != tc.level || on != tc.on {
			t.Errorf("ParseLogLevel(%q) = %v, %v, %v", tc.in, level, on, err)
		}
	}
	for _, bad := range []string{"warn", "1", "true", "trace"} {
		if _, _, err := ParseLogLevel(bad); err == nil || !strings.Contains(err.Error(), "want info or debug") {
			t.Errorf("ParseLogLevel(%q): %v", bad, err)
		}
	}
}
