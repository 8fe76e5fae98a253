package api_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// Test credentials and secret values. They are fixtures, not real keys;
// tests assert that they never leak, and never print them when they do.
const (
	testAPIKey      = "fw-test-key-0123456789abcdef"
	testSecretValue = "sk-super-secret-value-42"
	testBaseURL     = "https://api.fireworks.test"
)

// step is one scripted answer of a scriptedTransport.
type step struct {
	status int
	header http.Header
	body   string
	err    error // returned instead of a response
	hang   bool  // block until the attempt's context ends
}

// call is what a scriptedTransport received.
type call struct {
	method, url string
	header      http.Header
	body        string
	at          time.Time
}

// scriptedTransport is an in-memory http.RoundTripper that answers each
// attempt with the next step of its script (the last step repeats). It
// needs no network, so retry timing runs on synctest's fake clock.
type scriptedTransport struct {
	mu    sync.Mutex
	steps []step
	calls []call
}

func script(steps ...step) *scriptedTransport { return &scriptedTransport{steps: steps} }

func (s *scriptedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body string
	if req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		_ = req.Body.Close()
		body = string(b)
	}
	s.mu.Lock()
	s.calls = append(s.calls, call{method: req.Method, url: req.URL.String(), header: req.Header.Clone(), body: body, at: time.Now()})
	st := s.steps[min(len(s.calls)-1, len(s.steps)-1)]
	s.mu.Unlock()

	if st.hang {
		<-req.Context().Done()
		return nil, req.Context().Err()
	}
	if st.err != nil {
		return nil, st.err
	}
	h := st.header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	status := st.status
	if status == 0 {
		status = http.StatusOK
	}
	return &http.Response{
		StatusCode: status,
		Status:     http.StatusText(status),
		Header:     h,
		Body:       io.NopCloser(strings.NewReader(st.body)),
		Request:    req,
	}, nil
}

func (s *scriptedTransport) Calls() []call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]call(nil), s.calls...)
}

// newClient returns a Client that sends through rt, with the test key.
func newClient(t testing.TB, rt http.RoundTripper, opts ...api.ClientOption) *api.Client {
	t.Helper()
	c, err := api.New(append([]api.ClientOption{
		api.WithAPIKey(testAPIKey),
		api.WithBaseURL(testBaseURL),
		api.WithAccount("acct"),
		api.WithHTTPClient(&http.Client{Transport: rt}),
	}, opts...)...)
	if err != nil {
		t.Fatalf("api.New: %v", err)
	}
	return c
}

const secretJSON = `{"name":"accounts/acct/secrets/sec","keyName":"API_KEY"}`

// updateSecret calls UpdateSecret, the reference PATCH operation.
func updateSecret(ctx context.Context, c *api.Client, opts ...api.Option) (*gen.Secret, error) {
	return c.Secrets.Update(ctx, "sec", gen.UpdateSecretBody{KeyName: "API_KEY", Value: api.Ptr(testSecretValue)}, opts...)
}

// callMethod calls one operation of each method class on the Secrets
// resource: GET, DELETE, POST and PATCH.
func callMethod(ctx context.Context, c *api.Client, method string, opts ...api.Option) error {
	var err error
	switch method {
	case http.MethodGet:
		_, err = c.Secrets.Get(ctx, "sec", nil, opts...)
	case http.MethodDelete:
		err = c.Secrets.Delete(ctx, "sec", opts...)
	case http.MethodPost:
		_, err = c.Secrets.Create(ctx, createBody(), opts...)
	case http.MethodPatch:
		_, err = updateSecret(ctx, c, opts...)
	default:
		panic("no operation for " + method)
	}
	return err
}

func createBody() gen.Secret {
	return gen.Secret{Name: "accounts/acct/secrets/sec", KeyName: "API_KEY", Value: api.Ptr(testSecretValue)}
}

func getSecretParams(readMask string) gen.GetSecretParams {
	return gen.GetSecretParams{ReadMask: &readMask}
}
