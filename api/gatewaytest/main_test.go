package gatewaytest_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the tests when the fake or its clients leave goroutines.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
