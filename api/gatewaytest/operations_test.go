package gatewaytest_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// fatalRecorder is a reporter with Fatalf, as a testing.TB has, that
// records instead of stopping the test.
type fatalRecorder struct {
	mu     sync.Mutex
	fatals []string
}

func (r *fatalRecorder) Errorf(format string, args ...any) {}
func (r *fatalRecorder) Helper()                           {}
func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}

// TestOperationNames: Inject, HandleFunc and Requests take a spec id (the
// gen.Op constants) or a Go name, which resolves to the spec id; a name
// the spec does not have fails the test at once through the reporter,
// and panics without one, instead of never matching.
func TestOperationNames(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	do(t, fake, "POST", users+"?userId=u1", map[string]any{"role": "user"})
	fake.Inject("CreateAPIKey", gatewaytest.Fault{Status: 503, Times: 1}) // the Go name
	status, _ := do(t, fake, "POST", users+"/u1/apiKeys", map[string]any{"apiKey": map[string]any{}})
	if status != http.StatusServiceUnavailable {
		t.Errorf("a fault injected under the Go name CreateAPIKey did not fire: %d", status)
	}
	if n, m := len(fake.Requests(gen.OpCreateAPIKey)), len(fake.Requests("CreateAPIKey")); n != 1 || m != 1 {
		t.Errorf("Requests: %d under the constant, %d under the Go name, want 1 and 1", n, m)
	}

	misuses := map[string]func(*gatewaytest.Handler){
		"Inject":     func(h *gatewaytest.Handler) { h.Inject("CreateApiKeys", gatewaytest.Fault{Status: 500}) },
		"HandleFunc": func(h *gatewaytest.Handler) { h.HandleFunc("GetAcount", func(http.ResponseWriter, *http.Request) {}) },
		"Requests":   func(h *gatewaytest.Handler) { h.Requests("gatewaytest") },
		"SetState":   func(h *gatewaytest.Handler) { h.SetState("accounts/acct/deployments/missing", "READY", "") },
	}
	for method, misuse := range misuses {
		t.Run(method, func(t *testing.T) {
			rec := &fatalRecorder{}
			h, err := gatewaytest.NewHandler(gatewaytest.WithReporter(rec))
			if err != nil {
				t.Fatal(err)
			}
			misuse(h)
			if len(rec.fatals) != 1 || !strings.Contains(rec.fatals[0], method) {
				t.Errorf("Fatalf calls %q, want one naming %s", rec.fatals, method)
			}

			standalone, err := gatewaytest.NewHandler()
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), method) {
					t.Errorf("without a reporter: panic %v, want one naming %s", p, method)
				}
			}()
			misuse(standalone)
		})
	}
}
