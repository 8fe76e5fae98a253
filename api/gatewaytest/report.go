package gatewaytest

import (
	"fmt"
	"log"
	"net/http"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
)

// Reports of the fake's own failures, and where they are blamed.
//
// A testing.TB reporter prints a failure at the first frame of the
// reporting goroutine that is not a helper. The fake's methods that a test
// calls (Inject, HandleFunc, Requests, SetState) and the path of a request
// served on the test's goroutine (NewHandler's ServeHTTP called by the
// test) mark themselves as helpers, so that a failure points at the test's
// line. A request served by an http.Server runs on a goroutine of its own,
// where no line of the test is on the stack: there the message names the
// line that registered the HandleFunc at fault. A panic of a HandleFunc is
// reported at the line that panicked.

// testHelper is the Helper method of a testing.TB reporter.
type testHelper interface{ Helper() }

// maxReported bounds how many distinct failures the fake remembers, so
// that a long-running fake does not grow without bound: beyond it, it
// forgets them and may report one again.
const maxReported = 10_000

// servedDirectly reports whether the request is being served on the
// caller's goroutine, not by an http.Server, which sets
// http.ServerContextKey.
func servedDirectly(r *http.Request) bool {
	return r.Context().Value(http.ServerContextKey) == nil
}

// callerSite is "file.go:42", the first frame out of this package (the
// test's line that called the fake), or "" when there is none.
func callerSite() string {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	for {
		frame, more := frames.Next()
		if !inThisPackage(frame.Function) && frame.Function != "" {
			return filepath.Base(frame.File) + ":" + strconv.Itoa(frame.Line)
		}
		if !more {
			return ""
		}
	}
}

// thisPackage is the import path of the fake, as frames spell function
// names ("github.com/.../gatewaytest.(*Handler).Inject").
var thisPackage = reflect.TypeFor[Handler]().PkgPath()

func inThisPackage(function string) bool {
	rest, ok := strings.CutPrefix(function, thisPackage)
	return ok && strings.HasPrefix(rest, ".")
}

// reportf sends a failure of the fake to its reporter, or to the log
// without one.
func (h *Handler) reportf(format string, args ...any) {
	if h.tb != nil {
		h.tb.Helper()
	}
	if h.reporter != nil {
		h.reporter.Errorf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// reportOnce reports a failure the first time it happens: a client that
// retries a request the fake answered wrongly meets the same failure at
// every attempt, and a test reads one report of it.
func (h *Handler) reportOnce(format string, args ...any) {
	if h.tb != nil {
		h.tb.Helper()
	}
	msg := fmt.Sprintf(format, args...)
	h.mu.Lock()
	seen := h.reported[msg]
	if !seen {
		if len(h.reported) >= maxReported {
			h.reported = map[string]bool{}
		}
		h.reported[msg] = true
	}
	h.mu.Unlock()
	if !seen {
		h.reportf("%s", msg)
	}
}

// testHandler is a HandleFunc of the test, with the line that set it.
type testHandler struct {
	fn   http.HandlerFunc
	site string
}

// name is how reports call the handler: "the HandleFunc for
// UpdateSecret (registered at secrets_test.go:42)".
func (th testHandler) name(operation string) string {
	if th.site == "" {
		return "the HandleFunc for " + operation
	}
	return "the HandleFunc for " + operation + " (registered at " + th.site + ")"
}
