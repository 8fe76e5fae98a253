package gatewaytest_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the tests when the fake or its clients leave goroutines
// behind. The tests run with an empty temporary HOME and none of the
// FIREWORKS_* variables, so that no test reads the developer's own
// credentials.
func TestMain(m *testing.M) {
	home := isolateFromUserCredentials()
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		_ = os.RemoveAll(home)
		os.Exit(code)
	}))
}

// isolateFromUserCredentials points HOME (USERPROFILE on Windows) at a new
// empty directory and unsets the variables of the credential chain; it
// returns the directory.
func isolateFromUserCredentials() string {
	home, err := os.MkdirTemp("", "fireworks-test-home-")
	if err != nil {
		panic(err)
	}
	for _, v := range []string{"HOME", "USERPROFILE"} {
		if err := os.Setenv(v, home); err != nil {
			panic(err)
		}
	}
	for _, v := range []string{"FIREWORKS_API_KEY", "FIREWORKS_ACCOUNT_ID", "FIREWORKS_BASE_URL", "FIREWORKS_PROFILE", "FIREWORKS_CUSTOM_HEADERS", "FIREWORKS_LOG"} {
		if err := os.Unsetenv(v); err != nil {
			panic(err)
		}
	}
	return home
}
