package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDemoRunsTheLifecycleOnTheFake: with no configuration, the demo runs
// every step against the embedded fake, authenticated by a session it
// wrote into a temporary profile (whose files it names, never a token): the Secrets lifecycle with the
// retry of a 503, then the dataset upload with its progress bar and its
// wait (the API key never reaching storage) and the deployment's wait.
func TestDemoRunsTheLifecycleOnTheFake(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-file-size", "300000"}, &out, func(string) string { return "" }); err != nil {
		t.Fatalf("demo failed: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"embedded fake Gateway",
		"read with api.WithCredentialsDir and api.WithProfile",
		"1. create secret", "2. get it back", "3. list", "4. update", "5. delete", "6. get it again",
		"retry: PATCH /v1/accounts/demo-account/secrets/", "answered 503 on attempt 1",
		"the fake received the new value: true",
		"404 NOT_FOUND, as expected",
		"7. create dataset sdk-demo-", "8. upload a generated", "retry: POST /v1/accounts/demo-account/datasets/", ":getUploadEndpoint answered 503",
		"train.jsonl 100% |", "uploaded, validated and READY",
		"the fake's storage holds 300000 bytes; requests to storage with an API key: 0",
		"9. create a deployment", "deployment CREATING", "is READY",
		"Done.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "sk-demo-") {
		t.Error("the demo printed a secret value")
	}
	for _, want := range []string{
		`(?m)^   credential: .*` + regexp.QuoteMeta(filepath.Join("profiles", "demo", "auth.ini")) + `:\d+$`,
		`(?m)^   base URL:   .*` + regexp.QuoteMeta(filepath.Join("profiles", "demo", "settings.ini")) + `:\d+$`,
	} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("output lacks a line matching %s", want)
		}
	}
	if m := regexp.MustCompile(`credential: (.*)` + regexp.QuoteMeta(string(filepath.Separator)+"profiles")).FindStringSubmatch(out.String()); m != nil {
		if _, err := os.Stat(m[1]); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the temporary credentials directory is left behind (stat: %v)", err)
		}
	}
	if strings.Contains(out.String(), "eyJ") || strings.Contains(out.String(), "gatewaytest-refresh-") {
		t.Error("the demo printed a session token")
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
