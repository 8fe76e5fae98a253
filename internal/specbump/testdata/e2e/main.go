// Command specbumpe2e is copied by specbump's end-to-end test into a copy
// of the SDK where update-spec has added the operation of
// testdata/pages/add-operation.md (Gateway_RotateSecret). It calls that
// operation through its service, client.Secrets.Rotate, as a user would,
// against a local server. That it compiles at all proves the operation
// reached the SDK's surface with no hand edit; running it proves the
// request and the decoded response.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/gen"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "specbumpe2e:", err)
		os.Exit(1)
	}
	fmt.Println("ok")
}

// received is what the server saw of the one request.
type received struct {
	method, path, auth, userAgent, value string
}

func run() error {
	requests := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Value string `json:"value"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		requests <- received{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("User-Agent"), body.Value}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"name": "accounts/acct-1/secrets/sec-1", "rotateTime": "2025-01-02T03:04:05Z"}`)
	}))
	defer srv.Close()

	c, err := api.New(api.WithAPIKey("test-key"), api.WithBaseURL(srv.URL), api.WithAccount("acct-1"))
	if err != nil {
		return err
	}
	secret, err := c.Secrets.Rotate(context.Background(), "sec-1", gen.RotateSecretBody{Value: "new-value"})
	if err != nil {
		return err
	}
	if secret.Name != "accounts/acct-1/secrets/sec-1" || secret.RotateTime == nil {
		return fmt.Errorf("response not decoded: %+v", secret)
	}
	got := <-requests
	want := received{"POST", "/v1/accounts/acct-1/secrets/sec-1:rotate", "Bearer test-key", "", "new-value"}
	if got.method != want.method || got.path != want.path || got.auth != want.auth || got.value != want.value {
		return fmt.Errorf("request %+v, want %+v", got, want)
	}
	if gen.SpecVersion != "4.260.0" || !strings.Contains(got.userAgent, "gateway-spec 4.260.0") {
		return fmt.Errorf("spec version %q, User-Agent %q: want 4.260.0 in both", gen.SpecVersion, got.userAgent)
	}
	return nil
}
