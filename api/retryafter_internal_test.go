package api

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestParseRetryAfterForms: the forms servers send are read; anything
// else (signs, exponents, hexadecimal floats, junk) is ignored, so the
// SDK's own backoff applies.
func TestParseRetryAfterForms(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		ms, seconds string
		want        time.Duration
		ok          bool
	}{
		{"", "3", 3 * time.Second, true},
		{"", "1.5", 1500 * time.Millisecond, true},
		{"", " 2 ", 2 * time.Second, true},
		{"", now.Add(5 * time.Second).Format(http.TimeFormat), 5 * time.Second, true},
		{"", now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"250", "", 250 * time.Millisecond, true},
		{"12.5", "", 12500 * time.Microsecond, true},
		{"250", "9", 250 * time.Millisecond, true},
		{"", "99999999999", maxServerWait, true},
		{"", "", 0, false},
		{"", "-1", 0, false},
		{"", "+2", 0, false},
		{"", "1e3", 0, false},
		{"", "0x1p4", 0, false},
		{"", "Inf", 0, false},
		{"", "NaN", 0, false},
		{"", ".5", 0, false},
		{"", "5.", 0, false},
		{"", "soon", 0, false},
		{"junk", "4", 4 * time.Second, true},
	}
	for _, tc := range cases {
		h := http.Header{}
		if tc.ms != "" {
			h.Set("Retry-After-Ms", tc.ms)
		}
		if tc.seconds != "" {
			h.Set("Retry-After", tc.seconds)
		}
		got, ok := parseRetryAfter(h, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retry-after-ms %q, Retry-After %q: %v %v, want %v %v", tc.ms, tc.seconds, got, ok, tc.want, tc.ok)
		}
	}
}

// TestErrorStringIsOneBoundedLine: server text with newlines or control
// characters, and a huge request id, still give one bounded line.
func TestErrorStringIsOneBoundedLine(t *testing.T) {
	e := &Error{Method: "GET", Path: "/v1/x", StatusCode: 500, Message: "line one\nline two\r\x1b[31m", RequestID: strings.Repeat("r", 10_000)}
	s := e.Error()
	if strings.ContainsAny(s, "\n\r\x1b") {
		t.Errorf("Error() holds control characters: %q", s)
	}
	if len(s) > 1024 {
		t.Errorf("Error() is %d bytes long", len(s))
	}
	if !strings.Contains(s, "line one line two") {
		t.Errorf("Error() = %q, want the message kept readable", s)
	}
}
