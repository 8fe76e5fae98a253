package gatewaytest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

const secretValue = "sk-contract-test-value-9f8e7d"

// TestSecretsLifecycle: create, get, list, update and delete through the
// wrapper; duplicates and missing secrets give typed errors; the value is
// stored and never returned.
func TestSecretsLifecycle(t *testing.T) {
	fake, c := gatewaytest.Start(t)
	ctx := context.Background()

	created, err := c.Raw().CreateSecretWithResponse(ctx, "acct", gen.Secret{Name: "WOLFRAM", KeyName: "WOLFRAM_ALPHA_API_KEY", Value: api.Ptr(secretValue)})
	if err != nil {
		t.Fatal(err)
	}
	if created.JSON200.Name != "accounts/acct/secrets/WOLFRAM" || created.JSON200.Value != nil {
		t.Errorf("created %q, value returned: %v", created.JSON200.Name, created.JSON200.Value != nil)
	}
	if v, ok := fake.SecretValue("acct", "WOLFRAM"); !ok || v != secretValue {
		t.Error("the fake did not store the value that was sent")
	}

	_, err = c.Raw().CreateSecretWithResponse(ctx, "acct", gen.Secret{Name: "accounts/acct/secrets/WOLFRAM", KeyName: "X"})
	if !errors.Is(err, api.ErrAlreadyExists) {
		t.Errorf("duplicate create: err = %v, want ErrAlreadyExists", err)
	}

	got, err := c.Raw().GetSecretWithResponse(ctx, "acct", "WOLFRAM", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.JSON200.KeyName != "WOLFRAM_ALPHA_API_KEY" || got.JSON200.Value != nil || strings.Contains(string(got.Body), secretValue) {
		t.Errorf("get returned keyName %q, or the value", got.JSON200.KeyName)
	}

	list, err := c.Raw().ListSecretsWithResponse(ctx, "acct", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(*list.JSON200.Secrets) != 1 || *list.JSON200.TotalSize != 1 || strings.Contains(string(list.Body), secretValue) {
		t.Errorf("list: %s", list.Body)
	}

	if _, err := c.Raw().UpdateSecretWithResponse(ctx, "acct", "WOLFRAM", gen.UpdateSecretBody{KeyName: "RENAMED", Value: api.Ptr("sk-rotated-value-123")}); err != nil {
		t.Fatal(err)
	}
	if v, _ := fake.SecretValue("acct", "WOLFRAM"); v != "sk-rotated-value-123" {
		t.Error("update did not store the new value")
	}
	if _, err := c.Raw().UpdateSecretWithResponse(ctx, "acct", "MISSING", gen.UpdateSecretBody{KeyName: "X"}); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("update of a missing secret: err = %v, want ErrNotFound", err)
	}

	if _, err := c.Raw().DeleteSecretWithResponse(ctx, "acct", "WOLFRAM"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Raw().GetSecretWithResponse(ctx, "acct", "WOLFRAM", nil); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("get after delete: err = %v, want ErrNotFound", err)
	}
	if _, err := c.Raw().DeleteSecretWithResponse(ctx, "acct", "WOLFRAM"); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("second delete: err = %v, want ErrNotFound", err)
	}
	if _, ok := fake.SecretValue("acct", "WOLFRAM"); ok {
		t.Error("the secret is still stored after delete")
	}
}

// TestCreateSecretNames: a create takes a bare id or this account's
// resource name; anything else is a 400.
func TestCreateSecretNames(t *testing.T) {
	_, c := gatewaytest.Start(t)
	ctx := context.Background()
	for name, wantErr := range map[string]bool{
		"MY_SECRET":                  false,
		"accounts/acct/secrets/ok-1": false,
		"accounts/other/secrets/x":   true,
		"has space":                  true,
		"":                           true,
	} {
		_, err := c.Raw().CreateSecretWithResponse(ctx, "acct", gen.Secret{Name: name, KeyName: "K"})
		var apiErr *api.Error
		if gotErr := errors.As(err, &apiErr) && apiErr.StatusCode == 400; gotErr != wantErr {
			t.Errorf("name %q: err = %v, want a 400: %v", name, err, wantErr)
		}
	}
}

// TestListSecretsPaginates: the default page is 50, a page size above 200
// is 200, tokens chain to the end, and totalSize counts every secret.
func TestListSecretsPaginates(t *testing.T) {
	fake, c := gatewaytest.Start(t)
	for i := range 450 {
		if err := fake.AddSecret("acct", fmt.Sprintf("s%03d", i), "K", "v"); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, tc := range []struct {
		pageSize *int32
		want     []int
	}{
		{nil, repeat(50, 9)},
		{api.Ptr(int32(500)), []int{200, 200, 50}},
		{api.Ptr(int32(200)), []int{200, 200, 50}},
		{api.Ptr(int32(449)), []int{200, 200, 50}},
		{api.Ptr(int32(150)), []int{150, 150, 150}},
	} {
		var sizes []int
		seen := map[string]bool{}
		for page, err := range c.Secrets.ListPages(ctx, &gen.ListSecretsParams{PageSize: tc.pageSize}) {
			if err != nil {
				t.Fatal(err)
			}
			if *page.TotalSize != 450 {
				t.Errorf("totalSize %d, want 450", *page.TotalSize)
			}
			for _, s := range *page.Secrets {
				if seen[s.Name] {
					t.Errorf("%s listed twice", s.Name)
				}
				seen[s.Name] = true
			}
			sizes = append(sizes, len(*page.Secrets))
		}
		if fmt.Sprint(sizes) != fmt.Sprint(tc.want) || len(seen) != 450 {
			t.Errorf("page size %v: pages %v (%d secrets), want %v", tc.pageSize, sizes, len(seen), tc.want)
		}
	}

	// An empty account, and a token the fake never gave.
	n := 0
	for _, err := range c.Secrets.ListAll(ctx, nil, api.WithAccount("empty")) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 0 {
		t.Errorf("%d secrets in an empty account", n)
	}
	_, err := c.Raw().ListSecretsWithResponse(ctx, "acct", &gen.ListSecretsParams{PageToken: api.Ptr("not-a-token")})
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
		t.Errorf("bad token: err = %v, want a 400", err)
	}
}

func repeat(n, times int) []int {
	out := make([]int, times)
	for i := range out {
		out[i] = n
	}
	return out
}
