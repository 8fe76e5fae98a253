package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// TestStandaloneSessions: POST /_gatewaytest/session signs in; its token
// works until -session-ttl has passed on the fake's clock (stepped with
// /_gatewaytest/advance), then is 401; POST /v1/auth/refresh, with no
// Authorization, exchanges the refresh token for a new session once.
func TestStandaloneSessions(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-port", "0", "-session-ttl", "5m"}, &stdout, io.Discard) }()
	url := waitForURL(t, stdout.String)
	call := callerAs(t, url)
	const secrets = "/v1/accounts/acct/secrets"
	code, body := call("POST", "/_gatewaytest/session", "any-key", "{}")
	var s struct{ IDToken, RefreshToken string }
	if code != 200 || json.Unmarshal([]byte(body), &s) != nil || s.IDToken == "" || s.RefreshToken == "" {
		t.Fatalf("POST /_gatewaytest/session: %d, want 200 with idToken and refreshToken", code)
	}
	if code, _ := call("GET", secrets, s.IDToken, ""); code != 200 {
		t.Errorf("the session's token: %d, want 200", code)
	}
	if code, _ := call("POST", "/_gatewaytest/advance", "any-key", `{"duration":"5m"}`); code != 200 {
		t.Fatalf("advance: %d", code)
	}
	if code, _ := call("GET", secrets, s.IDToken, ""); code != 401 {
		t.Errorf("the token after -session-ttl: %d, want 401", code)
	}
	refresh := `{"refreshToken":"` + s.RefreshToken + `"}`
	code, body = call("POST", "/v1/auth/refresh", "", refresh)
	var next struct{ Token string }
	if code != 200 || json.Unmarshal([]byte(body), &next) != nil || next.Token == "" {
		t.Fatalf("refresh: %d, want 200 with a token", code)
	}
	if code, _ := call("GET", secrets, next.Token, ""); code != 200 {
		t.Errorf("the refreshed token: %d, want 200", code)
	}
	if code, _ := call("POST", "/v1/auth/refresh", "", refresh); code != 401 {
		t.Errorf("the same refresh token again: %d, want 401", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}

// TestBadSessionTTLStopsTheFake: a -session-ttl or -refresh-ttl that is
// not positive stops the fake before it serves, naming the flags.
func TestBadSessionTTLStopsTheFake(t *testing.T) {
	for _, args := range [][]string{{"-session-ttl", "0s"}, {"-refresh-ttl", "-1h"}} {
		var stdout syncBuffer
		err := run(context.Background(), append([]string{"-port", "0"}, args...), &stdout, io.Discard)
		if err == nil || !strings.Contains(err.Error(), args[0]) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v, want a one-line error naming %s", args, err, args[0])
		}
		if strings.Contains(stdout.String(), "listening") {
			t.Errorf("%v: the fake served", args)
		}
	}
}
