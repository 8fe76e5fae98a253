package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// leaks reports which of the test's secrets text holds, by name: the
// failure message must not print the secret itself.
func leaks(text string, secrets map[string]string) []string {
	var names []string
	for name, s := range secrets {
		if strings.Contains(text, s) {
			names = append(names, name)
		}
	}
	return names
}

// TestSecretsNeverReachErrors: a server that echoes the secret value and
// the API key in its error (as text, inside JSON details, and JSON-escaped)
// gives an error whose text, fields and response body hold neither.
func TestSecretsNeverReachErrors(t *testing.T) {
	const htmlSecret = `sk-<tricky>&"quoted"-value`
	secrets := map[string]string{"secret value": testSecretValue, "API key": testAPIKey, "escaped secret": htmlSecret}
	// encoding/json escapes <, > and & in the body: the escaped form must
	// be found too.
	body, _ := json.Marshal(map[string]any{
		"code":    3,
		"message": fmt.Sprintf("bad value %s for key %s, also %s", testSecretValue, testAPIKey, htmlSecret),
		"details": []any{map[string]string{"value": testSecretValue, "raw": htmlSecret}},
	})
	rt := script(step{status: 400, body: string(body), header: http.Header{"X-Request-Id": {testAPIKey}}})
	c := newClient(t, rt)

	for name, value := range map[string]string{"plain": testSecretValue, "needs JSON escaping": htmlSecret} {
		t.Run(name, func(t *testing.T) {
			_, err := c.Secrets.Update(context.Background(), "sec", gen.UpdateSecretBody{KeyName: "API_KEY", Value: &value})
			var apiErr *api.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err is %T, want *api.Error", err)
			}
			respBody, _ := io.ReadAll(apiErr.Response.Body)
			var details []string
			for _, d := range apiErr.Details {
				details = append(details, string(d))
			}
			for what, text := range map[string]string{
				"Error()":       err.Error(),
				"%+v":           fmt.Sprintf("%+v", err),
				"%#v":           fmt.Sprintf("%#v", apiErr),
				"Message":       apiErr.Message,
				"Details":       strings.Join(details, " "),
				"Body":          string(apiErr.Body),
				"Response.Body": string(respBody),
				"RequestID":     apiErr.RequestID,
			} {
				want := map[string]string{"API key": testAPIKey, "this call's secret value": value}
				if got := leaks(text, want); len(got) > 0 {
					t.Errorf("%s holds the %v", what, got)
				}
			}
			if !strings.Contains(apiErr.Message, "[REDACTED]") {
				t.Errorf("Message = %q, want the placeholder where the secrets were", redactForTest(apiErr.Message, secrets))
			}
		})
	}
}

// redactForTest keeps a failure message free of the secrets it reports on.
func redactForTest(s string, secrets map[string]string) string {
	for name, v := range secrets {
		s = strings.ReplaceAll(s, v, "<"+name+">")
	}
	return s
}

// TestLogsNeverHoldSecrets: the credentials log names where each value
// came from; the attempt and retry logs name method, path, status,
// attempt, wait and duration; none holds a key, query, body or secret
// value.
func TestLogsNeverHoldSecrets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		rt := script(
			step{status: 503, header: http.Header{"Retry-After-Ms": {"100"}}, body: `{"message":"echo ` + testSecretValue + `"}`},
			step{status: 200, body: `{"name":"accounts/acct/secrets/sec","keyName":"API_KEY","value":"` + testSecretValue + `"}`},
		)
		c := newClient(t, rt, api.WithLogger(logger))
		if _, err := c.Secrets.Update(context.Background(), "sec",
			gen.UpdateSecretBody{KeyName: "API_KEY", Value: api.Ptr(testSecretValue)}, api.WithMaxRetries(1)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Secrets.List(context.Background(), &gen.ListSecretsParams{Filter: api.Ptr("keyName=" + testSecretValue)}); err != nil {
			t.Fatal(err)
		}
		out := logs.String()
		if got := leaks(out, map[string]string{"API key": testAPIKey, "secret value": testSecretValue, "body": `"keyName"`, "query": "filter="}); len(got) > 0 {
			t.Errorf("logs hold the %v", got)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 4 {
			t.Fatalf("%d log lines, want 4 (where the credentials came from, a retry, a success, a list)", len(lines))
		}
		var sources map[string]any
		if err := json.Unmarshal([]byte(lines[0]), &sources); err != nil {
			t.Fatal(err)
		}
		for key, want := range map[string]any{"level": "DEBUG", "msg": "fireworks credentials", "credential": "WithAPIKey", "account": "WithAccount", "base_url": "WithBaseURL"} {
			if sources[key] != want {
				t.Errorf("credentials log %s = %v, want %v", key, sources[key], want)
			}
		}
		var retry map[string]any
		if err := json.Unmarshal([]byte(lines[1]), &retry); err != nil {
			t.Fatal(err)
		}
		for key, want := range map[string]any{"level": "INFO", "method": "PATCH", "path": "/v1/accounts/acct/secrets/sec", "status": 503.0, "attempt": 1.0} {
			if retry[key] != want {
				t.Errorf("retry log %s = %v, want %v", key, retry[key], want)
			}
		}
		if _, ok := retry["wait"]; !ok {
			t.Error("retry log has no wait")
		}
		if _, ok := retry["duration"]; !ok {
			t.Error("retry log has no duration")
		}
	})
}

// TestEverySensitiveFieldIsRedacted: the credentials of operations other
// than Secrets (a session refresh token, an OIDC client secret, a list of
// direct-route API keys) are kept out of errors like a Secret's value.
func TestEverySensitiveFieldIsRedacted(t *testing.T) {
	const refresh, clientSecret, routeKey = "refresh-token-0123456789", "oidc-client-secret-XYZ123", "direct-route-key-987654"
	rt := script(step{status: 400, body: `{"code":3,"message":"bad: ` + refresh + " " + clientSecret + " " + routeKey + `"}`})
	c := newClient(t, rt)
	ctx := context.Background()
	calls := map[string]func() error{
		"refresh token": func() error {
			_, err := c.Auth.RefreshSessionToken(ctx, gen.RefreshSessionTokenRequest{RefreshToken: api.Ptr(refresh)})
			return err
		},
		"client secret": func() error {
			_, err := c.IdentityProviders.Create(ctx, gen.IdentityProvider{OidcConfig: &gen.OidcConfig{ClientID: "c", IssuerURL: "https://idp.test", ClientSecret: clientSecret}})
			return err
		},
		"direct-route keys": func() error {
			_, err := c.Deployments.Update(ctx, "dep", nil, gen.UpdateDeploymentBody{DirectRouteAPIKeys: &[]string{routeKey}})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		secret := map[string]string{"refresh token": refresh, "client secret": clientSecret, "direct-route keys": routeKey}[name]
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: the error holds the value sent", name)
		}
	}
}
