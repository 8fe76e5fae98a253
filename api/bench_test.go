package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/pairbench"
	"github.com/hashicorp/go-retryablehttp"
)

// BenchmarkUpdateSecret compares, in one run and against one loopback
// server, the success path of Update secret through raw net/http with
// encoding/json (the floor), the bare generated client with an auth
// editor (the baseline), the SDK's service method (client.Secrets.Update),
// the generated client behind the SDK's pipeline (client.Raw(): the
// wrapper's path before services), and, as a peer of the pipeline's
// retries, the bare generated client sending through
// hashicorp/go-retryablehttp (its StandardClient, with the same retries and
// auth editor). `make bench` prints the ratios (internal/benchreport).
//
// The sub-benchmarks under "paired" run "service" and "generated" in
// turn within one loop (pairbench.Runs), so that both see the same load; the
// service's target is judged on their ratio: at most 1.05x "generated",
// and at most +12 allocations in the unpaired rows. "generated-vs-generated"
// is the A/A run that shows the pairing's own noise.
func BenchmarkUpdateSecret(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, secretJSON)
	}))
	defer srv.Close()
	transport := &http.Transport{MaxIdleConnsPerHost: 4}
	defer transport.CloseIdleConnections()
	hc := &http.Client{Transport: transport}
	ctx := context.Background()
	value := testSecretValue
	body := gen.UpdateSecretBody{KeyName: "API_KEY", Value: &value}

	url := srv.URL + "/v1/accounts/acct/secrets/sec"
	rawCall := func(b *testing.B) {
		buf, err := json.Marshal(body)
		if err != nil {
			b.Fatal(err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPatch, url, bytes.NewReader(buf))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+testAPIKey)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var s gen.Secret
		err = json.NewDecoder(resp.Body).Decode(&s)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(resp.StatusCode, err)
		}
	}
	auth := gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+testAPIKey)
		return nil
	})
	// generatedCall is Update secret through a generated client, under ctx.
	generatedCall := func(ctx context.Context, c *gen.ClientWithResponses) func(b *testing.B) {
		return func(b *testing.B) {
			resp, err := c.UpdateSecretWithResponse(ctx, "acct", "sec", body)
			if err != nil || resp.JSON200 == nil {
				b.Fatal(err)
			}
		}
	}
	bare, err := gen.NewClientWithResponses(srv.URL, gen.WithHTTPClient(hc), auth)
	if err != nil {
		b.Fatal(err)
	}
	client, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(srv.URL), api.WithHTTPClient(hc), api.WithAccount("acct"))
	if err != nil {
		b.Fatal(err)
	}
	// serviceCall is Update secret through the service, under ctx.
	serviceCall := func(ctx context.Context) func(b *testing.B) {
		return func(b *testing.B) {
			if s, err := client.Secrets.Update(ctx, "sec", body); err != nil || s.KeyName != "API_KEY" {
				b.Fatal(err)
			}
		}
	}
	rc := retryablehttp.NewClient()
	rc.HTTPClient = hc // the same transport and connections as the others
	rc.Logger = nil    // it logs every request by default
	rc.RetryMax = api.DefaultMaxRetries
	peer, err := gen.NewClientWithResponses(srv.URL, gen.WithHTTPClient(rc.StandardClient()), auth)
	if err != nil {
		b.Fatal(err)
	}

	for _, sub := range []struct {
		name string
		call func(*testing.B)
	}{
		{"raw-net-http", rawCall},
		{"generated", generatedCall(ctx, bare)},
		{"service", serviceCall(ctx)},
		{"raw-pipeline", generatedCall(ctx, client.Raw())},
		{"retryablehttp", generatedCall(ctx, peer)},
	} {
		b.Run(sub.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sub.call(b)
			}
		})
	}
	b.Run("paired/service-vs-generated", func(b *testing.B) { pairbench.Runs(b, generatedCall(ctx, bare), serviceCall(ctx)) })
	b.Run("paired/generated-vs-generated", func(b *testing.B) { pairbench.Runs(b, generatedCall(ctx, bare), generatedCall(ctx, bare)) })
	// The same pair under a context that can be cancelled (a server's
	// request context, say): the transport's own context of each request
	// then derives from the caller's in both.
	b.Run("paired/service-vs-generated-cancelable-ctx", func(b *testing.B) {
		cancelable, cancel := context.WithCancel(ctx)
		defer cancel()
		pairbench.Runs(b, generatedCall(cancelable, bare), serviceCall(cancelable))
	})
}

// TestPeerBenchmarkDependencyIsTestOnly: go-retryablehttp is in go.mod only
// as the benchmark's peer; no non-test file of the module may import it,
// so that the SDK's users never build it.
func TestPeerBenchmarkDependencyIsTestOnly(t *testing.T) {
	const peer = "github.com/hashicorp/go-retryablehttp"
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return nil // not ours to judge here: go vet and the build report it
		}
		for _, imp := range f.Imports {
			if strings.Trim(imp.Path.Value, `"`) == peer {
				t.Errorf("%s imports %s, a test-only dependency", path, peer)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkRetriedUpdateSecret measures a call whose first attempt fails
// with 503 (retry-after-ms: 0, an error body of its own) and whose retry
// succeeds, against the same call succeeding at once: what a retry costs
// in time and allocations. A retried failure's body is drained, not built
// into an error that is thrown away.
func BenchmarkRetriedUpdateSecret(b *testing.B) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("flaky") == "" && strings.HasSuffix(r.URL.Path, "/flaky") && n.Add(1)%2 == 1 {
			w.Header().Set("Retry-After-Ms", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"code":14,"message":"the service is unavailable, try again"}`)
			return
		}
		_, _ = io.WriteString(w, secretJSON)
	}))
	defer srv.Close()
	transport := &http.Transport{MaxIdleConnsPerHost: 4}
	defer transport.CloseIdleConnections()
	client, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(srv.URL), api.WithAccount("acct"),
		api.WithHTTPClient(&http.Client{Transport: transport}), api.WithoutRetryBudget())
	if err != nil {
		b.Fatal(err)
	}
	value := testSecretValue
	body := gen.UpdateSecretBody{KeyName: "API_KEY", Value: &value}
	for _, id := range []string{"first-try", "flaky"} {
		name := map[string]string{"first-try": "first-try", "flaky": "retried-once"}[id]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := client.Secrets.Update(context.Background(), id, body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
