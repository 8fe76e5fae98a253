package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServesTheFakeAndStopsWithTheContext: run prints a loopback URL,
// answers the API there (validating auth), and returns cleanly when its
// context ends (as it does on SIGINT or SIGTERM).
func TestServesTheFakeAndStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-port", "0"}, &stdout, io.Discard) }()

	url := waitForURL(t, stdout.String)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("URL %q is not on loopback", url)
	}
	client := &http.Client{}
	defer client.CloseIdleConnections()
	for _, tc := range []struct {
		auth string
		want int
	}{{"Bearer any-key", 200}, {"", 401}} {
		req, _ := http.NewRequest("GET", url+"/v1/accounts/acct/secrets", nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("auth %q: status %d, want %d", tc.auth, resp.StatusCode, tc.want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
	if !strings.Contains(stdout.String(), "stopped") {
		t.Error("no clean-shutdown message")
	}
}

// TestShutsDownOnSIGTERM runs the real binary (this test binary, in main
// mode) and stops it with SIGTERM: it must exit 0.
func TestShutsDownOnSIGTERM(t *testing.T) {
	if os.Getenv("GATEWAYFAKE_MAIN") == "1" {
		os.Args = []string{"gatewayfake", "-port", "0"}
		main()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestShutsDownOnSIGTERM$")
	cmd.Env = append(os.Environ(), "GATEWAYFAKE_MAIN=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.Contains(line, "listening on http://127.0.0.1:") {
		_ = cmd.Process.Kill()
		t.Fatalf("first line %q (%v)", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	errc := make(chan error, 1)
	go func() { errc <- cmd.Wait() }()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v, want status 0", err)
		}
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("no exit within 10 s of SIGTERM")
	}
}

func waitForURL(t *testing.T, output func() string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, after, ok := strings.Cut(output(), "listening on "); ok {
			if url, _, ok := strings.Cut(after, "\n"); ok {
				return url
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no URL printed")
	return ""
}

// TestSeedServeAndDump: -seed stores a fixtures file's resources before
// serving; the API and the admin endpoint serve them; -dump writes the
// state on shutdown, with what clients created and without any secret
// value; -settle-reads 0 makes a new deployment READY at its first read.
func TestSeedServeAndDump(t *testing.T) {
	const secret = "sk-seeded-secret-value-123"
	dir := t.TempDir()
	seed := filepath.Join(dir, "fixtures.json")
	dump := filepath.Join(dir, "state.json")
	fixtures := `{"resources": [{"name": "accounts/acct/secrets/TOKEN", "resource": {"keyName": "K", "value": "` + secret + `"}}]}`
	if err := os.WriteFile(seed, []byte(fixtures), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-port", "0", "-seed", seed, "-dump", dump, "-settle-reads", "0", "-strict"}, &stdout, io.Discard)
	}()
	url := waitForURL(t, stdout.String)
	call := caller(t, url)
	steps := []struct {
		method, path, body string
		want               int
		wantIn             string
	}{
		{"GET", "/v1/accounts/acct/secrets/TOKEN", "", 200, `"keyName":"K"`},
		{"POST", "/v1/accounts/acct/deployments?deploymentId=d1", `{"baseModel":"m"}`, 200, `"state":"CREATING"`},
		{"GET", "/v1/accounts/acct/deployments/d1", "", 200, `"state":"READY"`},
		{"POST", "/v1/accounts/acct/deployments", `{"baseModel":"m","deploymentId":"d2"}`, 400, "/deploymentId"},
		{"GET", "/_gatewaytest/state", "", 200, "accounts/acct/deployments/d1"},
	}
	for _, s := range steps {
		status, body := call(s.method, s.path, s.body)
		if status != s.want || !strings.Contains(body, s.wantIn) || strings.Contains(body, secret) {
			t.Errorf("%s %s: %d %s, want %d with %s and never the secret", s.method, s.path, status, strings.ReplaceAll(body, secret, "[SECRET]"), s.want, s.wantIn)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	written, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(written), "accounts/acct/secrets/TOKEN") || !strings.Contains(string(written), "accounts/acct/deployments/d1") {
		t.Errorf("the dump lacks a resource:\n%s", strings.ReplaceAll(string(written), secret, "[SECRET]"))
	}
	if strings.Contains(string(written), secret) {
		t.Error("the dump holds the secret value")
	}
}

// TestBadSeedStopsTheFake: a fixtures file the spec refuses stops the
// fake before it serves, with an error naming the resource, not the value.
func TestBadSeedStopsTheFake(t *testing.T) {
	const secret = "sk-seeded-secret-value-123"
	seed := filepath.Join(t.TempDir(), "fixtures.json")
	if err := os.WriteFile(seed, []byte(`{"resources": [{"name": "accounts/acct/secrets/TOKEN", "resource": {"keyName": ["`+secret+`"]}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout syncBuffer
	err := run(context.Background(), []string{"-port", "0", "-seed", seed}, &stdout, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "accounts/acct/secrets/TOKEN") || strings.Contains(err.Error(), secret) {
		t.Errorf("run: %v, want an error naming the resource, without its value", strings.ReplaceAll(fmt.Sprint(err), secret, "[SECRET]"))
	}
	if strings.Contains(stdout.String(), "listening") {
		t.Error("the fake served despite a bad seed")
	}
}

// TestStandaloneItemRules: the standalone server applies the engine's
// rules as the in-process fake does: an operation on an item that does
// not exist or is soft-deleted is 404 NOT_FOUND (a custom verb, a
// sub-resource); validateOnly=true stores nothing; POST evaluatorsV2
// stores an evaluator; hard=true purges a soft-deleted deployment.
func TestStandaloneItemRules(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-port", "0", "-settle-reads", "0"}, &stdout, io.Discard) }()
	url := waitForURL(t, stdout.String)
	call := caller(t, url)
	evaluator, err := gatewaytest.SynthesizeRequest(gen.OpCreateEvaluatorV2)
	if err != nil {
		t.Fatal(err)
	}
	evaluatorV2 := strings.Replace(string(evaluator), "{", `{"evaluatorId":"e1",`, 1)
	const d1 = "/v1/accounts/acct/deployments/d1"
	steps := []struct {
		method, path, body string
		want               int
		wantIn             string
	}{
		{"POST", "/v1/accounts/acct/models/never-created:prepare", "{}", 404, `"code":5`},
		{"GET", "/v1/accounts/acct/deployments/never-created/shards", "", 404, "accounts/acct/deployments/never-created not found"},
		{"POST", "/v1/accounts/acct/deployments?deploymentId=d1&validateOnly=true", `{"baseModel":"m"}`, 200, `"name":"accounts/acct/deployments/d1"`},
		{"GET", d1, "", 404, `"code":5`},
		{"POST", "/v1/accounts/acct/deployments?deploymentId=d1", `{"baseModel":"m"}`, 200, `"state":"CREATING"`},
		{"POST", "/v1/accounts/acct/evaluatorsV2", evaluatorV2, 200, `"name":"accounts/acct/evaluators/e1"`},
		{"GET", "/v1/accounts/acct/evaluators/e1", "", 200, `"name":"accounts/acct/evaluators/e1"`},
		{"DELETE", d1, "", 200, ""},
		{"GET", d1, "", 200, `"state":"DELETED"`},
		{"GET", d1 + ":metrics", "", 404, "accounts/acct/deployments/d1 not found"},
		{"DELETE", d1 + "?hard=true", "", 200, ""},
		{"POST", d1 + ":undelete", "{}", 404, `"code":5`},
	}
	for _, s := range steps {
		if status, body := call(s.method, s.path, s.body); status != s.want || !strings.Contains(body, s.wantIn) {
			t.Errorf("%s %s: %d %s, want %d with %s", s.method, s.path, status, body, s.want, s.wantIn)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}

// TestJournalLimitDefault: -journal-limit defaults to the library's
// gatewaytest.DefaultJournalLimit, one figure for both.
func TestJournalLimitDefault(t *testing.T) {
	var stderr syncBuffer
	if err := run(context.Background(), []string{"-h"}, io.Discard, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("run -h: %v", err)
	}
	_, usage, _ := strings.Cut(stderr.String(), "-journal-limit")
	usage, _, _ = strings.Cut(usage, "\n  -")
	if want := fmt.Sprintf("(default %d)", gatewaytest.DefaultJournalLimit); !strings.Contains(usage, want) {
		t.Errorf("-journal-limit usage %q, want %s", usage, want)
	}
}

// TestBadStorageMemoryStopsTheFake: a -storage-memory that is not a
// positive number of bytes stops the fake before it serves, with a
// one-line error naming the flag.
func TestBadStorageMemoryStopsTheFake(t *testing.T) {
	for _, v := range []string{"0", "-1"} {
		var stdout syncBuffer
		err := run(context.Background(), []string{"-port", "0", "-storage-memory", v}, &stdout, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "-storage-memory") || strings.Contains(err.Error(), "\n") {
			t.Errorf("-storage-memory %s: %v, want a one-line error naming the flag", v, err)
		}
		if strings.Contains(stdout.String(), "listening") {
			t.Errorf("-storage-memory %s: the fake served", v)
		}
	}
}

// caller returns a function that sends a request to the fake at url with
// an API key (and a JSON body, if any) and returns the status and body;
// its connections are closed with the test.
func caller(t *testing.T, url string) func(method, path, body string) (int, string) {
	call := callerAs(t, url)
	return func(method, path, body string) (int, string) {
		t.Helper()
		return call(method, path, "any-key", body)
	}
}

// callerAs is caller with the Bearer credential given per request ("" for
// none).
func callerAs(t *testing.T, url string) func(method, path, bearer, body string) (int, string) {
	client := &http.Client{}
	t.Cleanup(client.CloseIdleConnections)
	return func(method, path, bearer, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
}
