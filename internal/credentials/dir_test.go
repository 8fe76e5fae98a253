package credentials

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDirReplacesTheHomeFiles: with Dir, the chain reads Dir/auth.ini and
// Dir/profiles/<name>/ instead of ~/.fireworks, whose own files are never
// read; the environment still comes between a profile and the default
// files.
func TestDirReplacesTheHomeFiles(t *testing.T) {
	home := writeHome(t, map[string]string{".fireworks/auth.ini": "api_key = " + defaultKey + "\naccount_id = home-acct\n"})
	dir := writeHome(t, map[string]string{
		"auth.ini":               "api_key = " + optionKey + "\n",
		"settings.ini":           "account_id = dir-acct\n",
		"profiles/demo/auth.ini": "[fireworks]\napi_key = " + profileKey + "\n",
	})
	got, err := Resolve(Input{Home: home, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got.APIKey != optionKey || got.Account != "dir-acct" {
		t.Errorf("credential from %s, account %q from %s; want both from %s", got.Sources.Credential, got.Account, got.Sources.Account, dir)
	}
	if want := filepath.Join(dir, "auth.ini"); !strings.HasPrefix(got.Sources.Credential, want) {
		t.Errorf("credential from %s, want %s", got.Sources.Credential, want)
	}

	got, err = Resolve(Input{Home: home, Dir: dir, Profile: "demo", Getenv: envOf(map[string]string{EnvAPIKey: envKey})})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "profiles", "demo", "auth.ini"); got.APIKey != profileKey || !strings.HasPrefix(got.Sources.Credential, want) {
		t.Errorf("credential from %s, want the profile's %s", got.Sources.Credential, want)
	}

	got, err = Resolve(Input{Home: home, Dir: t.TempDir(), Getenv: envOf(map[string]string{EnvAPIKey: envKey})})
	if err != nil {
		t.Fatal(err)
	}
	if got.APIKey != envKey || got.Account != "" {
		t.Errorf("with an empty Dir: credential from %s, account from %q; want the environment's, and nothing of ~/.fireworks", got.Sources.Credential, got.Sources.Account)
	}
}

// TestDirMissingOrNotADirectoryIsAnError: a Dir that does not exist or is
// a file is a one-line error naming it, even when an option gives the
// key; a profile missing from Dir names Dir's profiles/ directory.
func TestDirMissingOrNotADirectoryIsAnError(t *testing.T) {
	dir := writeHome(t, map[string]string{"auth.ini": "api_key = " + defaultKey + "\n"})
	for name, d := range map[string]string{"missing": filepath.Join(dir, "nope"), "a file": filepath.Join(dir, "auth.ini")} {
		_, err := Resolve(Input{Dir: d, APIKey: optionKey})
		if err == nil || !strings.Contains(err.Error(), d) || !strings.Contains(err.Error(), "WithCredentialsDir") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want one line naming %s and WithCredentialsDir", name, err, d)
		}
	}
	_, err := Resolve(Input{Dir: dir, Profile: "other"})
	if want := filepath.Join(dir, "profiles", "other"); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("an unknown profile: got %v, want it to name %s", err, want)
	}
	if err != nil {
		checkNoSecret(t, err.Error())
	}
}

// TestNoFilesWinsOverDir: NoFiles reads nothing, Dir or not.
func TestNoFilesWinsOverDir(t *testing.T) {
	dir := writeHome(t, map[string]string{"auth.ini": "api_key = " + defaultKey + "\n"})
	_, err := Resolve(Input{Dir: dir, NoFiles: true})
	if _, ok := err.(*NoCredentialError); !ok {
		t.Errorf("got %v, want NoCredentialError: the files are off", err)
	}
}
