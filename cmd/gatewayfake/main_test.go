package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
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
