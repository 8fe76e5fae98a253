package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestDemoRunsTheLifecycleOnTheFake: with no configuration, the demo runs
// every step against the embedded fake and shows the retry of the 503.
func TestDemoRunsTheLifecycleOnTheFake(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out, func(string) string { return "" }); err != nil {
		t.Fatalf("demo failed: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"embedded fake Gateway",
		"1. create secret", "2. get it back", "3. list", "4. update", "5. delete", "6. get it again",
		"retry: PATCH /v1/accounts/demo-account/secrets/", "answered 503 on attempt 1",
		"the fake received the new value: true",
		"404 NOT_FOUND, as expected",
		"Done.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "sk-demo-") {
		t.Error("the demo printed a secret value")
	}
}

// TestDemoRealNeedsCredentials: -real without the environment is a clear
// error, before any request.
func TestDemoRealNeedsCredentials(t *testing.T) {
	err := run(context.Background(), []string{"-real"}, &bytes.Buffer{}, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "FIREWORKS_ACCOUNT_ID") {
		t.Errorf("err = %v, want one naming the variables", err)
	}
}
