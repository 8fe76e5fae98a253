package gatewaytest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// The test of a key rotation, as the package documentation sketches it
// (in a test, gatewaytest.Start(t) starts the fake and its client and
// closes them with the test). The update meets a 503 that says when to
// come back (retry-after-ms), so the client retries it; a bare 503 on an
// update is not retried, since the server may have applied it.
func Example() {
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
	if err := fake.AddSecret(gatewaytest.Account, "my-secret", "SERVICE_TOKEN", "old"); err != nil {
		log.Fatal(err)
	}

	fake.Inject(gen.OpUpdateSecret, gatewaytest.Fault{Status: 503, RetryAfterMs: "10", Times: 1})
	_, err = client.Secrets.Update(ctx, "my-secret", gen.UpdateSecretBody{KeyName: "SERVICE_TOKEN", Value: api.Ptr("new")})
	v, _ := fake.SecretValue(gatewaytest.Account, "my-secret")
	fmt.Println("with retry-after-ms:", err, v)

	fake.Inject(gen.OpUpdateSecret, gatewaytest.Fault{Status: 503, Times: 1})
	_, err = client.Secrets.Update(ctx, "my-secret", gen.UpdateSecretBody{KeyName: "SERVICE_TOKEN", Value: api.Ptr("newer")})
	v, _ = fake.SecretValue(gatewaytest.Account, "my-secret")
	fmt.Println("a bare 503:", errors.Is(err, api.ErrUnavailable), v)
	// Output:
	// with retry-after-ms: <nil> new
	// a bare 503: true new
}

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
	if _, err := client.Raw().UpdateSecretWithResponse(ctx, "acct", "TOKEN", gen.UpdateSecretBody{KeyName: "SERVICE_TOKEN", Value: &newValue}); err != nil {
		log.Fatal(err)
	}
	stored, _ := fake.SecretValue("acct", "TOKEN")
	fmt.Println("stored value rotated:", stored == newValue)
	for _, e := range fake.Requests(gen.OpUpdateSecret) {
		fmt.Println(e.Method, e.Path, "attempt", e.Attempt)
	}

	_, err = client.Raw().GetSecretWithResponse(ctx, "acct", "MISSING", nil)
	fmt.Println(errors.Is(err, api.ErrNotFound))
	// Output:
	// stored value rotated: true
	// PATCH /v1/accounts/acct/secrets/TOKEN attempt 1
	// PATCH /v1/accounts/acct/secrets/TOKEN attempt 2
	// true
}

// call sends a request to the fake with an API key, as any client would,
// and returns the status and the decoded JSON answer.
func call(fake *gatewaytest.Server, method, path, body string) (int, map[string]any) {
	req, _ := http.NewRequest(method, fake.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+gatewaytest.APIKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// A deployment is created CREATING and is READY after two reads (the
// default of WithSettleReads); SetState makes it fail, as a test of a
// client's error handling needs.
func ExampleHandler_SetState() {
	fake, err := gatewaytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()

	_, created := call(fake, "POST", "/v1/accounts/acct/deployments?deploymentId=d1", `{"baseModel":"accounts/fireworks/models/llama-v3p1-8b-instruct"}`)
	fmt.Println("created:", created["state"])
	for range 3 {
		_, d := call(fake, "GET", "/v1/accounts/acct/deployments/d1", "")
		fmt.Println("read:", d["state"])
	}

	fake.SetState("accounts/acct/deployments/d1", "FAILED", "no H100 capacity in us-iowa-1")
	_, d := call(fake, "GET", "/v1/accounts/acct/deployments/d1", "")
	fmt.Println("forced:", d["state"], "-", d["status"].(map[string]any)["message"])
	// Output:
	// created: CREATING
	// read: CREATING
	// read: CREATING
	// read: READY
	// forced: FAILED - no H100 capacity in us-iowa-1
}

// A dataset waits in UPLOADING for its files: the upload endpoint hands
// out a signed URL per file on the fake's own storage, a PUT stores the
// bytes as Google Cloud Storage would take them (no Authorization
// header: the URL is the credential), and validation makes it READY.
func ExampleHandler_StoredFile() {
	fake, err := gatewaytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	data := []byte(`{"messages":[{"role":"user","content":"hi"}]}` + "\n")

	call(fake, "POST", "/v1/accounts/acct/datasets", `{"datasetId":"chats","dataset":{"format":"CHAT"}}`)
	_, ep := call(fake, "POST", "/v1/accounts/acct/datasets/chats:getUploadEndpoint",
		fmt.Sprintf(`{"filenameToSize":{"train.jsonl":"%d"}}`, len(data)))
	signedURL := ep["filenameToSignedUrls"].(map[string]any)["train.jsonl"].(string)

	put, _ := http.NewRequest(http.MethodPut, signedURL, bytes.NewReader(data))
	put.Header.Set("Content-Type", "application/octet-stream")
	put.Header.Set("X-Goog-Content-Length-Range", fmt.Sprintf("%d,%d", len(data), len(data)))
	resp, err := http.DefaultClient.Do(put)
	if err != nil {
		log.Fatal(err)
	}
	_ = resp.Body.Close()
	fmt.Println("PUT:", resp.StatusCode)

	status, _ := call(fake, "POST", "/v1/accounts/acct/datasets/chats:validateUpload", "{}")
	_, ds := call(fake, "GET", "/v1/accounts/acct/datasets/chats", "")
	stored, _ := fake.StoredFile("accounts/acct/datasets/chats", "train.jsonl")
	fmt.Println("validate:", status, "state:", ds["state"], "stored:", bytes.Equal(stored, data))
	// Output:
	// PUT: 200
	// validate: 200 state: READY stored: true
}
