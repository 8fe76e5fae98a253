package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// Construct a client. Without options, New walks the credential chain: a
// profile named by FIREWORKS_PROFILE, FIREWORKS_API_KEY,
// FIREWORKS_ACCOUNT_ID and FIREWORKS_BASE_URL, then ~/.fireworks/auth.ini;
// options take precedence.
func ExampleNew() {
	client, err := api.New(
		api.WithAPIKey("fw-example-key"),
		api.WithAccount("my-account"),       // or FIREWORKS_ACCOUNT_ID
		api.WithBaseURL(api.DefaultBaseURL), // or FIREWORKS_BASE_URL
		api.WithMaxRetries(3),
		api.WithTimeout(30*time.Second),
		api.WithUserAgent("my-app/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL(), client.Account())
	// Output: https://api.fireworks.ai my-account
}

// Ask for the credential on every request: a key reloaded from a secret
// manager needs no new Client. The source caches as it likes.
func ExampleWithCredentialSource() {
	var current atomic.Value // the latest key the secret manager gave
	current.Store("fw-example-key-v1")
	client, err := api.New(
		api.WithCredentialSource(api.CredentialFunc(func(ctx context.Context) (string, error) {
			return current.Load().(string), nil
		})),
		api.WithAccount("my-account"),
	)
	if err != nil {
		log.Fatal(err)
	}
	current.Store("fw-example-key-v2") // the next request sends v2
	fmt.Println(client.Account())
	// Output: my-account
}

// Use the credentials of a profile that firectl keeps
// (~/.fireworks/profiles/staging/auth.ini and settings.ini): an api_key,
// or the session of firectl signin, refreshed as it nears its expiry.
func ExampleWithProfile() {
	client, err := api.New(api.WithProfile("staging"))
	if err != nil {
		log.Fatal(err) // a profile that does not exist, a file others can read, ...
	}
	fmt.Println(client.Account(), client.BaseURL())
}

// exampleGateway stands in for the Gateway in the examples that need a
// fixed answer: see package gatewaytest for a complete fake.
func exampleGateway() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v1/accounts/my-account/secrets/missing" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"code":5,"message":"secret not found"}`)
			return
		}
		_, _ = io.WriteString(w, `{"name":"accounts/my-account/secrets/wolfram","keyName":"WOLFRAM_ALPHA_API_KEY"}`)
	}))
}

// Update a secret's value: the reference operation. The result is the
// decoded Secret (never nil when the error is nil); the Gateway never
// returns the value.
func Example_updateSecret() {
	srv := exampleGateway()
	defer srv.Close()
	client, err := api.New(api.WithAPIKey("fw-example-key"), api.WithBaseURL(srv.URL), api.WithAccount("my-account"))
	if err != nil {
		log.Fatal(err)
	}
	value := "sk-new-value"
	secret, err := client.Secrets.Update(context.Background(), "wolfram",
		gen.UpdateSecretBody{KeyName: "WOLFRAM_ALPHA_API_KEY", Value: &value})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("updated", secret.Name, secret.KeyName)
	// Output: updated accounts/my-account/secrets/wolfram WOLFRAM_ALPHA_API_KEY
}

// Errors are typed: a missing secret is told apart with errors.Is, and
// errors.As gives the status, the Gateway code, the message and how many
// attempts were made.
func Example_errors() {
	srv := exampleGateway()
	defer srv.Close()
	client, err := api.New(api.WithAPIKey("fw-example-key"), api.WithBaseURL(srv.URL), api.WithAccount("my-account"))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Secrets.Get(context.Background(), "missing", nil)
	var apiErr *api.Error
	switch {
	case errors.Is(err, api.ErrNotFound) && errors.As(err, &apiErr):
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message)
		fmt.Println(err)
	case err != nil:
		log.Fatal(err)
	}
	// A bad id is refused before anything is sent.
	_, err = client.Secrets.Get(context.Background(), "../other", nil)
	var bad *api.InvalidParamError
	fmt.Println(errors.As(err, &bad), bad.Param)
	// Output:
	// 404 NOT_FOUND secret not found
	// GET /v1/accounts/my-account/secrets/missing: 404 Not Found (NOT_FOUND): secret not found
	// true secret_id
}

// Range over the secrets of an account across pages: the iterator follows
// nextPageToken, keeps the page size and filters, and stops at the first
// error. ListPages gives page-at-a-time access (with totalSize).
func Example_listSecrets() {
	fake, err := gatewaytest.NewServer() // a fake Gateway on loopback
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	for _, id := range []string{"ALPHA", "BETA", "GAMMA"} {
		_ = fake.AddSecret("my-account", id, id+"_KEY", "sk-"+id)
	}
	client, err := fake.NewClient(api.WithAccount("my-account"))
	if err != nil {
		log.Fatal(err)
	}

	pageSize := int32(2)
	for secret, err := range client.Secrets.ListAll(context.Background(), &gen.ListSecretsParams{PageSize: &pageSize}) {
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

// Work on another account for one call, or for a scope with With: the
// Clients share connections and retry budget.
func ExampleClient_With() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"name":"`+r.URL.Path[len("/v1/"):]+`","keyName":"K"}`)
	}))
	defer srv.Close()
	client, err := api.New(api.WithAPIKey("fw-example-key"), api.WithBaseURL(srv.URL), api.WithAccount("my-account"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	s, _ := client.Secrets.Get(ctx, "s", nil, api.WithAccount("team-b")) // one call
	fmt.Println(s.Name)
	teamC, _ := client.With(api.WithAccount("team-c")) // a scope
	s, _ = teamC.Secrets.Get(ctx, "s", nil)
	fmt.Println(s.Name)
	s, _ = client.Secrets.Get(ctx, "s", nil) // the Client's own account
	fmt.Println(s.Name)
	// Output:
	// accounts/team-b/secrets/s
	// accounts/team-c/secrets/s
	// accounts/my-account/secrets/s
}

// Raw gives the generated client behind the same pipeline (auth, retries,
// typed errors), for the raw *http.Response or a WithBody variant; per-call
// options go through api.Editor.
func ExampleClient_Raw() {
	srv := exampleGateway()
	defer srv.Close()
	client, err := api.New(api.WithAPIKey("fw-example-key"), api.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.Raw().GetSecretWithResponse(context.Background(), "my-account", "wolfram", nil,
		api.Editor(api.WithMaxRetries(0)))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode(), resp.HTTPResponse.Header.Get("Content-Type"), resp.JSON200.KeyName)
	// Output: 200 application/json WOLFRAM_ALPHA_API_KEY
}
