package api_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
)

// badPathValues are the inputs that would make the generated client
// address another resource than the one named: each must be refused.
var badPathValues = map[string]string{
	"empty":                  "",
	"dot":                    ".",
	"dot dot":                "..",
	"slash":                  "a/b",
	"resource name":          "accounts/acct/secrets/sec",
	"traversal":              "../../accounts/other",
	"backslash":              `a\b`,
	"custom method":          "dep:undelete",
	"percent escape":         "a%2Fb",
	"double-encoded dot dot": "%2e%2e",
	"newline":                "a\nb",
	"NUL":                    "a\x00b",
	"space":                  "a b",
	"leading space":          " a",
	"tab":                    "a\tb",
	"invalid UTF-8":          "a\xffb",
}

// TestBadPathParametersAreRefusedBeforeSending: each bad value, in each
// path parameter, is an *api.InvalidParamError naming the parameter, and no
// request is sent.
func TestBadPathParametersAreRefusedBeforeSending(t *testing.T) {
	rt := script(step{status: 200, body: secretJSON})
	c := newClient(t, rt)
	ctx := context.Background()
	for name, bad := range badPathValues {
		for _, tc := range []struct {
			param string
			call  func() error
		}{
			{"secret_id", func() error { _, err := c.Secrets.Get(ctx, bad, nil); return err }},
			{"account_id", func() error { _, err := c.Secrets.List(ctx, nil, api.WithAccount(bad)); return err }},
			{"secret_id", func() error { return c.Secrets.Delete(ctx, bad) }},
			{"deployment_id", func() error { _, err := c.Deployments.Undelete(ctx, bad); return err }},
			{"user_id", func() error { _, err := c.APIKeys.List(ctx, bad, nil); return err }},
		} {
			err := tc.call()
			var pe *api.InvalidParamError
			if !errors.As(err, &pe) || pe.Param != tc.param {
				t.Errorf("%s in %s: err = %v, want an InvalidParamError naming %s", name, tc.param, err, tc.param)
				continue
			}
			if len(bad) >= 4 && strings.Contains(err.Error(), bad) {
				t.Errorf("%s in %s: the error quotes the value", name, tc.param)
			}
		}
	}
	if n := len(rt.Calls()); n != 0 {
		t.Errorf("%d requests were sent, want 0", n)
	}
}

// TestGoodPathParametersAddressTheirResource: ids of the shapes the API
// uses, and unusual but harmless ones, reach exactly the intended path.
func TestGoodPathParametersAddressTheirResource(t *testing.T) {
	for _, id := range []string{"my-secret", "secret_1", "UPPER", "a.b", "llama-v3p1-8b-instruct", "ключ", "a+b", "a@b", "a=b", "a?b", "a#b", "...", ".hidden"} {
		rt := script(step{status: 200, body: secretJSON})
		c := newClient(t, rt)
		if _, err := c.Secrets.Get(context.Background(), id, nil); err != nil {
			t.Errorf("%q: %v", id, err)
			continue
		}
		u, err := url.Parse(rt.Calls()[0].url)
		if err != nil {
			t.Fatal(err)
		}
		segments := strings.Split(u.EscapedPath(), "/")
		last, _ := url.PathUnescape(segments[len(segments)-1])
		if len(segments) != 6 || last != id || u.RawQuery != "" || u.Host != "api.fireworks.test" {
			t.Errorf("%q was sent as %s", id, u)
		}
	}
}
