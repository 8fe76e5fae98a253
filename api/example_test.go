package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// Construct a client. Without options, New reads FIREWORKS_API_KEY and
// FIREWORKS_BASE_URL; options take precedence.
func ExampleNew() {
	client, err := api.New(
		api.WithAPIKey("fw-example-key"),
		api.WithBaseURL(api.DefaultBaseURL), // or FIREWORKS_BASE_URL
		api.WithMaxRetries(3),
		api.WithTimeout(30*time.Second),
		api.WithUserAgent("my-app/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL())
	// Output: https://api.fireworks.ai
}

// Update a secret's value. The Gateway never returns the value; errors are
// typed, so a missing secret is told apart without comparing numbers.
func Example_updateSecret() {
	// A stand-in for the Gateway: see package gatewaytest for a complete one.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v1/accounts/my-account/secrets/missing" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"code":5,"message":"secret not found"}`)
			return
		}
		_, _ = io.WriteString(w, `{"name":"accounts/my-account/secrets/wolfram","keyName":"WOLFRAM_ALPHA_API_KEY"}`)
	}))
	defer srv.Close()

	client, err := api.New(api.WithAPIKey("fw-example-key"), api.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	value := "sk-new-value"
	resp, err := client.UpdateSecretWithResponse(ctx, "my-account", "wolfram",
		gen.UpdateSecretJSONRequestBody{KeyName: "WOLFRAM_ALPHA_API_KEY", Value: &value})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("updated", resp.JSON200.Name)

	_, err = client.UpdateSecretWithResponse(ctx, "my-account", "missing",
		gen.UpdateSecretJSONRequestBody{KeyName: "X", Value: &value})
	if errors.Is(err, api.ErrNotFound) {
		fmt.Println(err)
	}
	// Output:
	// updated accounts/my-account/secrets/wolfram
	// PATCH /v1/accounts/my-account/secrets/missing: 404 Not Found (NOT_FOUND): secret not found
}

// Range over the secrets of an account across pages: the iterator follows
// nextPageToken, keeps the page size and filters, and stops at the first
// error. ListSecretsPages gives page-at-a-time access (with totalSize).
func Example_listSecrets() {
	fake, err := gatewaytest.NewServer() // a fake Gateway on loopback
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	for _, id := range []string{"ALPHA", "BETA", "GAMMA"} {
		_ = fake.AddSecret("my-account", id, id+"_KEY", "sk-"+id)
	}
	client, err := fake.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	pageSize := int32(2)
	for secret, err := range client.ListSecretsAll(context.Background(), "my-account", &gen.ListSecretsParams{PageSize: &pageSize}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(secret.Name, secret.KeyName)
	}
	// Output:
	// accounts/my-account/secrets/ALPHA ALPHA_KEY
	// accounts/my-account/secrets/BETA BETA_KEY
	// accounts/my-account/secrets/GAMMA GAMMA_KEY
}
