package gatewaytest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// blameRecorder is a reporter that places each failure as testing.T
// does: at the first frame of the reporting goroutine whose function did
// not call Helper (runtime.gopanic skipped).
type blameRecorder struct {
	mu      sync.Mutex
	helpers map[string]bool
	msgs    []string
	lines   []string // "file.go:42", one per message
}

func (b *blameRecorder) Helper() {
	var pc [1]uintptr
	runtime.Callers(2, pc[:])
	frame, _ := runtime.CallersFrames(pc[:]).Next()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.helpers == nil {
		b.helpers = map[string]bool{}
	}
	b.helpers[frame.Function] = true
}

func (b *blameRecorder) Errorf(format string, args ...any) { b.record(fmt.Sprintf(format, args...)) }
func (b *blameRecorder) Fatalf(format string, args ...any) { b.record(fmt.Sprintf(format, args...)) }

func (b *blameRecorder) record(msg string) {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)]) // the caller of Errorf or Fatalf
	b.mu.Lock()
	defer b.mu.Unlock()
	line := "?"
	for {
		frame, more := frames.Next()
		if frame.Function != "runtime.gopanic" && !b.helpers[frame.Function] {
			line = filepath.Base(frame.File) + ":" + strconv.Itoa(frame.Line)
			break
		}
		if !more {
			break
		}
	}
	b.msgs = append(b.msgs, msg)
	b.lines = append(b.lines, line)
}

// here is the file:line of its caller, moved by delta lines.
func here(delta int) string {
	_, file, line, _ := runtime.Caller(1)
	return filepath.Base(file) + ":" + strconv.Itoa(line+delta)
}

// serveDirectly calls h.ServeHTTP on the test's goroutine, as a test of
// its own would, from a helper of tb.
func serveDirectly(tb interface{ Helper() }, h http.Handler, method, target string) {
	tb.Helper()
	req := httptest.NewRequest(method, target, nil)
	req.Header.Set("Authorization", "Bearer "+gatewaytest.APIKey)
	h.ServeHTTP(httptest.NewRecorder(), req)
}

// TestFailuresPointAtTheTest: a misuse of the fake (Inject, HandleFunc,
// Requests, SetState) is blamed at the test's line that called it, as
// is a HandleFunc's answer that breaks the spec when the test serves the
// request itself; a HandleFunc that panics is blamed at its panic.
func TestFailuresPointAtTheTest(t *testing.T) {
	rec := &blameRecorder{}
	h, err := gatewaytest.NewHandler(gatewaytest.WithReporter(rec))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	h.Inject("NoSuchOperation", gatewaytest.Fault{Status: 500})
	want = append(want, here(-1))
	h.HandleFunc("NoSuchOperation", nil)
	want = append(want, here(-1))
	h.Requests("NoSuchOperation")
	want = append(want, here(-1))
	h.SetState("accounts/acct/deployments/missing", "READY", "")
	want = append(want, here(-1))

	h.HandleFunc(gen.OpGetAccount, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"name": 7}`)
	})
	serveDirectly(rec, h, http.MethodGet, "/v1/accounts/acct")
	want = append(want, here(-1))

	var panicLine string
	h.HandleFunc(gen.OpGetSecret, func(http.ResponseWriter, *http.Request) {
		panicLine = here(+1)
		panic("the handler gave up")
	})
	serveDirectly(rec, h, http.MethodGet, "/v1/accounts/acct/secrets/s")
	want = append(want, panicLine)

	if len(rec.lines) != len(want) {
		t.Fatalf("%d reports %q, want %d", len(rec.lines), rec.msgs, len(want))
	}
	for i := range want {
		if rec.lines[i] != want[i] {
			t.Errorf("report %q is blamed at %s, want %s", rec.msgs[i], rec.lines[i], want[i])
		}
	}
}

// TestABrokenHandlerIsReportedOnce: a HandleFunc whose answer breaks the
// spec is reported once, naming the HandleFunc, its operation and the
// line that registered it, however often the client retries; each
// attempt gets a 500 naming it too. A HandleFunc that panics at every
// attempt is reported once too.
func TestABrokenHandlerIsReportedOnce(t *testing.T) {
	rep := &recordingReporter{}
	fake, _ := gatewaytest.Start(t, gatewaytest.WithReporter(rep))
	registered := here(+1)
	fake.HandleFunc(gen.OpUpdateSecret, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"keyName": 7}`)
	})
	for attempt := 1; attempt <= 3; attempt++ {
		status, body := do(t, fake, "PATCH", "/v1/accounts/acct/secrets/s", map[string]any{"keyName": "K"})
		if status != http.StatusInternalServerError || !strings.Contains(string(body), "the HandleFunc for UpdateSecret") {
			t.Errorf("attempt %d: %d %s, want a 500 naming the HandleFunc", attempt, status, body)
		}
	}
	if n := len(fake.Requests(gen.OpUpdateSecret)); n != 3 {
		t.Errorf("the fake saw %d attempts, want 3", n)
	}
	want := "the HandleFunc for UpdateSecret (registered at " + registered + ") answered 200"
	if len(rep.msgs) != 1 || !strings.Contains(rep.msgs[0], want) {
		t.Errorf("reports %q, want one holding %q", rep.msgs, want)
	}

	fake.HandleFunc(gen.OpGetSecret, func(http.ResponseWriter, *http.Request) { panic("gave up") })
	for range 2 {
		if status, _ := do(t, fake, "GET", "/v1/accounts/acct/secrets/s", nil); status != http.StatusInternalServerError {
			t.Errorf("a panicking HandleFunc: %d, want 500", status)
		}
	}
	if len(rep.msgs) != 2 || !strings.Contains(rep.msgs[1], "the HandleFunc for GetSecret") || !strings.Contains(rep.msgs[1], "panicked: gave up") {
		t.Errorf("reports %q, want a second one: the HandleFunc for GetSecret panicked", rep.msgs)
	}
}
