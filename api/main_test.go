package api_test

import (
	"os"
	"testing"

	"github.com/fireworks-gateway/go-sdk/internal/testhome"
	"go.uber.org/goleak"
)

// TestMain fails the package's tests when any of them leaves a goroutine
// behind: a retry loop, a timer or a connection that was not closed. The
// tests run with an empty temporary HOME and none of the FIREWORKS_*
// variables, so that no test reads the developer's own credentials.
func TestMain(m *testing.M) {
	home, err := testhome.Isolate()
	if err != nil {
		panic(err)
	}
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		_ = os.RemoveAll(home)
		os.Exit(code)
	}))
}
