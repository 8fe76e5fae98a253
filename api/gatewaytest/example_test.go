package gatewaytest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// In a test, gatewaytest.Start(t) does all of this and closes the fake with
// the test. Here the fake answers one update with 503, the client retries,
// and the test reads the value that arrived, which the API never returns.
func ExampleNewServer() {
	fake, err := gatewaytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	client, err := fake.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	_ = fake.AddSecret("acct", "TOKEN", "SERVICE_TOKEN", "sk-old")

	fake.Inject(gen.OpUpdateSecret, gatewaytest.Fault{Status: 503, RetryAfterMs: "10", Times: 1})
	newValue := "sk-rotated"
	if _, err := client.UpdateSecretWithResponse(ctx, "acct", "TOKEN", gen.UpdateSecretJSONRequestBody{KeyName: "SERVICE_TOKEN", Value: &newValue}); err != nil {
		log.Fatal(err)
	}
	stored, _ := fake.SecretValue("acct", "TOKEN")
	fmt.Println("stored value rotated:", stored == newValue)
	for _, e := range fake.Requests(gen.OpUpdateSecret) {
		fmt.Println(e.Method, e.Path, "attempt", e.Attempt)
	}

	_, err = client.GetSecretWithResponse(ctx, "acct", "MISSING", nil)
	fmt.Println(errors.Is(err, api.ErrNotFound))
	// Output:
	// stored value rotated: true
	// PATCH /v1/accounts/acct/secrets/TOKEN attempt 1
	// PATCH /v1/accounts/acct/secrets/TOKEN attempt 2
	// true
}
