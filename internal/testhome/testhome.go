// Package testhome keeps a test binary away from the developer's own
// Fireworks credentials: the SDK's packages whose tests build Clients call
// Isolate from their TestMain. It is for tests only.
package testhome

import (
	"os"

	"github.com/fireworks-gateway/go-sdk/internal/compilecheck"
	"github.com/fireworks-gateway/go-sdk/internal/credentials"
)

// Variables are the environment variables of the credential chain, which
// Isolate unsets.
var Variables = []string{
	credentials.EnvAPIKey, credentials.EnvAccountID, credentials.EnvBaseURL,
	credentials.EnvProfile, credentials.EnvCustomHeaders, credentials.EnvLog,
}

// Isolate points HOME (USERPROFILE on Windows) at a new empty directory,
// so that no ~/.fireworks file is read, and unsets Variables; the go
// command's caches stay where they were (compilecheck.KeepGoCaches), for
// the tests that build a user's program. It returns the directory, for
// the caller to remove.
func Isolate() (string, error) {
	if err := compilecheck.KeepGoCaches(); err != nil {
		return "", err
	}
	home, err := os.MkdirTemp("", "fireworks-test-home-")
	if err != nil {
		return "", err
	}
	for _, v := range []string{"HOME", "USERPROFILE"} {
		if err := os.Setenv(v, home); err != nil {
			return "", err
		}
	}
	for _, v := range Variables {
		if err := os.Unsetenv(v); err != nil {
			return "", err
		}
	}
	return home, nil
}
