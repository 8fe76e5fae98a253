package api_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
)

// TestWithCredentialsDirReadsItsProfileNotHome: WithCredentialsDir and
// WithProfile read dir/profiles/<name>/, whose key is sent; the files of
// ~/.fireworks are not read (a malformed one there is no error).
func TestWithCredentialsDirReadsItsProfileNotHome(t *testing.T) {
	home := tempHome(t)
	writeCredentialFile(t, home, ".fireworks/auth.ini", "garbage that is not ini\n", 0o600)
	dir := t.TempDir()
	writeCredentialFile(t, dir, "profiles/demo/auth.ini", "api_key = "+profileKey+"\naccount_id = demo-acct\n", 0o600)
	rt := script(step{body: `{"name":"accounts/demo-acct/secrets/s"}`})
	c, err := api.New(api.WithCredentialsDir(dir), api.WithProfile("demo"), api.WithBaseURL(testBaseURL), api.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Account() != "demo-acct" {
		t.Errorf("account %q, want the profile's", c.Account())
	}
	if _, err := c.Secrets.Get(context.Background(), "s", nil); err != nil {
		t.Fatal(err)
	}
	if got := rt.Calls()[0].header.Get("Authorization"); got != "Bearer "+profileKey {
		t.Error("the profile's key was not sent")
	}
}

// TestWithCredentialsDirRefusals: an empty or missing directory, and one
// given with WithoutCredentialFiles, are one-line errors from New; nothing
// is sent.
func TestWithCredentialsDirRefusals(t *testing.T) {
	tempHome(t)
	missing := filepath.Join(t.TempDir(), "nope")
	for name, tc := range map[string]struct {
		opts []api.ClientOption
		want string
	}{
		"empty":        {[]api.ClientOption{api.WithCredentialsDir("")}, "WithCredentialsDir: empty directory"},
		"missing":      {[]api.ClientOption{api.WithCredentialsDir(missing)}, missing},
		"files off":    {[]api.ClientOption{api.WithCredentialsDir(t.TempDir()), api.WithoutCredentialFiles()}, "give one of WithCredentialsDir and WithoutCredentialFiles"},
		"no key in it": {[]api.ClientOption{api.WithCredentialsDir(t.TempDir())}, "auth.ini (no such file)"},
	} {
		t.Run(name, func(t *testing.T) {
			rt := script()
			_, err := api.New(append(tc.opts, api.WithHTTPClient(&http.Client{Transport: rt}))...)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %v, want one line with %q", err, tc.want)
			}
			if len(rt.Calls()) != 0 {
				t.Error("a request was sent")
			}
		})
	}
}
