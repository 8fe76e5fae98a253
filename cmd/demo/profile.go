package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

// demoProfile is the profile the demo writes and reads.
const demoProfile = "demo"

// writeDemoProfile writes a temporary credentials directory, in the
// layout of ~/.fireworks, holding profile "demo" as `firectl signin
// --profile demo` would: a session of the fake (id_token, refresh_token)
// and the account in auth.ini (mode 0600), the fake's URL in
// settings.ini. The client reads it through api.WithCredentialsDir, so
// that neither the user's own files nor an environment variable is used.
// Remove the directory when done.
func writeDemoProfile(fake *gatewaytest.Server, account string) (dir string, err error) {
	dir, err = os.MkdirTemp("", "fireworks-demo-")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(dir)
		}
	}()
	profile := filepath.Join(dir, "profiles", demoProfile)
	if err := os.MkdirAll(profile, 0o700); err != nil {
		return "", err
	}
	s := fake.NewSession()
	auth := fmt.Sprintf("account_id = %s\nid_token = %s\nrefresh_token = %s\n", account, s.IDToken, s.RefreshToken)
	if err := writePrivate(filepath.Join(profile, "auth.ini"), auth); err != nil {
		return "", err
	}
	if err := writePrivate(filepath.Join(profile, "settings.ini"), "base_url = "+fake.URL+"\n"); err != nil {
		return "", err
	}
	return dir, nil
}

// writePrivate writes a file that only its owner may read (a credential
// file, as the SDK requires of one).
func writePrivate(path, content string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(content); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
