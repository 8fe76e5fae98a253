package api_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when any of them leaves a goroutine
// behind: a retry loop, a timer or a connection that was not closed.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
