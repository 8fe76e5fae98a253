package credentials

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Values of the fixtures: made up, long enough to be redacted.
const (
	optionKey   = "fw-option-key-0001"
	envKey      = "fw-env-key-0002"
	profileKey  = "fw-profile-key-0003"
	defaultKey  = "fw-default-key-0004"
	fileIDToken = "eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.sig"
	fileRefresh = "fw-refresh-token-0005"
)

// allValues are every fixture secret: no error text may hold one.
var allValues = []string{optionKey, envKey, profileKey, defaultKey, fileIDToken, fileRefresh}

// writeHome writes files (path relative to home: content) with mode 0600
// into a new temporary home directory.
func writeHome(t *testing.T, files map[string]string) string {
	t.Helper()
	home := t.TempDir()
	for rel, content := range files {
		writeFile(t, filepath.Join(home, rel), content, 0o600)
	}
	return home
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// checkNoSecret fails when text holds a fixture's secret value, without
// printing it.
func checkNoSecret(t *testing.T, text string) {
	t.Helper()
	for i, v := range allValues {
		if strings.Contains(text, v) {
			t.Errorf("text holds fixture secret #%d", i)
		}
	}
}

// TestChainOrder: each value comes from the first source of the chain that
// has it (options, a named profile, the environment, the default files),
// and Sources names that source.
func TestChainOrder(t *testing.T) {
	const defaultAuth = "api_key = " + defaultKey + "\naccount_id = default-acct\n"
	const profileAuth = "api_key = " + profileKey + "\naccount_id = profile-acct\n"
	home := writeHome(t, map[string]string{
		".fireworks/auth.ini":                   defaultAuth,
		".fireworks/settings.ini":               "base_url = https://default.example\n",
		".fireworks/profiles/work/auth.ini":     profileAuth,
		".fireworks/profiles/work/settings.ini": "base_url = https://profile.example\n",
	})
	env := map[string]string{EnvAPIKey: envKey, EnvAccountID: "env-acct", EnvBaseURL: "https://env.example"}
	cases := []struct {
		name                   string
		in                     Input
		env                    map[string]string
		key, account, base     string
		keyFrom, acctFrom, url string
	}{
		{"options win over everything", Input{APIKey: optionKey, Account: "opt-acct", BaseURL: "https://opt.example", Profile: "work"}, env,
			optionKey, "opt-acct", "https://opt.example", "WithAPIKey", "WithAccount", "WithBaseURL"},
		{"a profile named by option wins over the environment", Input{Profile: "work"}, env,
			profileKey, "profile-acct", "https://profile.example", "profiles/work/auth.ini:1", "profiles/work/auth.ini:2", "profiles/work/settings.ini:1"},
		{"a profile named by FIREWORKS_PROFILE too", Input{}, map[string]string{EnvProfile: "work", EnvAPIKey: envKey},
			profileKey, "profile-acct", "https://profile.example", "profiles/work/auth.ini:1", "profiles/work/auth.ini:2", "profiles/work/settings.ini:1"},
		{"the environment wins over the default files", Input{}, env,
			envKey, "env-acct", "https://env.example", EnvAPIKey, EnvAccountID, EnvBaseURL},
		{"the default files fill what the environment leaves", Input{}, map[string]string{EnvAPIKey: envKey},
			envKey, "default-acct", "https://default.example", EnvAPIKey, ".fireworks/auth.ini:2", ".fireworks/settings.ini:1"},
		{"the default files alone", Input{}, nil,
			defaultKey, "default-acct", "https://default.example", ".fireworks/auth.ini:1", ".fireworks/auth.ini:2", ".fireworks/settings.ini:1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Home, in.Getenv = home, envOf(tc.env)
			got, err := Resolve(in)
			if err != nil {
				t.Fatal(err)
			}
			if got.APIKey != tc.key {
				t.Error("wrong API key (from " + got.Sources.Credential + ")")
			}
			if got.Account != tc.account || got.BaseURL != tc.base {
				t.Errorf("account %q, base URL %q; want %q, %q", got.Account, got.BaseURL, tc.account, tc.base)
			}
			s := got.Sources
			if !strings.HasSuffix(s.Credential, tc.keyFrom) || !strings.HasSuffix(s.Account, tc.acctFrom) || !strings.HasSuffix(s.BaseURL, tc.url) {
				t.Errorf("sources %q; want suffixes %q, %q, %q", s, tc.keyFrom, tc.acctFrom, tc.url)
			}
			checkNoSecret(t, s.String())
		})
	}
}

// TestFileShapes: firectl's headerless lines, a [fireworks] section
// (winning over the default section), comments, quotes and CRLF all read.
func TestFileShapes(t *testing.T) {
	cases := []struct{ name, content string }{
		{"headerless", "# written by firectl\n\napi_key = " + defaultKey + "\naccount_id=acct\n"},
		{"fireworks section", "[fireworks]\napi_key = " + defaultKey + "\naccount_id = acct\n"},
		{"fireworks wins over default", "[DEFAULT]\napi_key = other-key-000\naccount_id = other\n[fireworks]\napi_key = " + defaultKey + "\naccount_id = acct\n"},
		{"headerless keys are the default section", "api_key = other-key-000\n[fireworks]\n api_key = \"" + defaultKey + "\"\n[other]\naccount_id = no\n[fireworks]\naccount_id = 'acct'\n"},
		{"CRLF, a BOM and ; comments", "\ufeff; comment\r\nAPI_KEY = " + defaultKey + "\r\naccount_id = acct\r\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := writeHome(t, map[string]string{".fireworks/auth.ini": tc.content})
			got, err := Resolve(Input{Home: home})
			if err != nil {
				t.Fatal(err)
			}
			if got.APIKey != defaultKey || got.Account != "acct" {
				t.Errorf("wrong key or account %q", got.Account)
			}
		})
	}
}

// TestSessionFromFile: firectl signin's id_token and refresh_token make a
// session, and its source is the id_token's line; api_key wins when both
// are there.
func TestSessionFromFile(t *testing.T) {
	home := writeHome(t, map[string]string{
		".fireworks/auth.ini":               "id_token = " + fileIDToken + "\nrefresh_token = " + fileRefresh + "\naccount_id = acct\n",
		".fireworks/profiles/both/auth.ini": "id_token = " + fileIDToken + "\nrefresh_token = " + fileRefresh + "\napi_key = " + profileKey + "\n",
	})
	got, err := Resolve(Input{Home: home})
	if err != nil {
		t.Fatal(err)
	}
	if got.APIKey != "" || got.IDToken != fileIDToken || got.RefreshToken != fileRefresh {
		t.Error("the session's tokens were not taken from the file")
	}
	if got.Sources.Credential != filepath.Join(home, ".fireworks/auth.ini")+":1" {
		t.Errorf("credential from %q", got.Sources.Credential)
	}
	both, err := Resolve(Input{Home: home, Profile: "both"})
	if err != nil {
		t.Fatal(err)
	}
	if both.APIKey != profileKey || both.IDToken != "" {
		t.Error("api_key did not win over the session in one file")
	}
}

// TestResolveErrors: each bad input is a one-line error that names where
// the trouble is and never a value.
func TestResolveErrors(t *testing.T) {
	cases := []struct {
		name   string
		files  map[string]string
		mode   os.FileMode // of .fireworks/auth.ini when not 0
		noHome bool
		in     Input
		env    map[string]string
		want   []string
	}{
		{name: "no credential lists every place looked at", env: map[string]string{EnvAccountID: "a"},
			want: []string{"no API key: looked at WithAPIKey or WithSession, FIREWORKS_API_KEY, ", ".fireworks/auth.ini (no such file)", "firectl set-api-key"}},
		{name: "no home", noHome: true, want: []string{"~/.fireworks (files not read)"}},
		{name: "unknown profile", in: Input{Profile: "nope"}, files: map[string]string{".fireworks/auth.ini": "api_key = " + defaultKey},
			want: []string{`profile "nope" (WithProfile)`, "profiles/nope has no auth.ini or settings.ini"}},
		{name: "unknown profile from the environment", env: map[string]string{EnvProfile: "nope", EnvAPIKey: envKey},
			want: []string{`profile "nope" (FIREWORKS_PROFILE)`}},
		{name: "profile name with a slash", in: Input{Profile: "../x"}, want: []string{`profile name "../x" (WithProfile): only letters`}},
		{name: "profile name dot dot", env: map[string]string{EnvProfile: ".."}, want: []string{`profile name ".." (FIREWORKS_PROFILE): not a directory name`}},
		{name: "malformed line", files: map[string]string{".fireworks/auth.ini": "api_key = " + defaultKey + "\n" + defaultKey + "\n"},
			want: []string{".fireworks/auth.ini:2: not a key = value line"}},
		{name: "unclosed section", files: map[string]string{".fireworks/auth.ini": "[fireworks\napi_key = " + defaultKey},
			want: []string{".fireworks/auth.ini:1: a section header without its closing ]"}},
		{name: "key set twice", files: map[string]string{".fireworks/auth.ini": "api_key = " + defaultKey + "\napi_key = " + defaultKey},
			want: []string{".fireworks/auth.ini:2: api_key is set twice"}},
		{name: "key with white space in a file", files: map[string]string{".fireworks/auth.ini": "api_key = fw-default key-0004"},
			want: []string{".fireworks/auth.ini:1: api_key: contains white space"}},
		{name: "key with a newline in the environment", env: map[string]string{EnvAPIKey: envKey + "\n"},
			want: []string{"FIREWORKS_API_KEY: contains white space"}},
		{name: "key with white space given as an option", in: Input{APIKey: " " + optionKey}, want: []string{"WithAPIKey: contains white space"}},
		{name: "id_token without refresh_token", files: map[string]string{".fireworks/auth.ini": "id_token = " + fileIDToken},
			want: []string{".fireworks/auth.ini:1: id_token without refresh_token"}},
		{name: "credential file readable by others", files: map[string]string{".fireworks/auth.ini": "api_key = " + defaultKey}, mode: 0o644,
			want: []string{".fireworks/auth.ini holds a credential and is accessible by others (mode 0644): run chmod 600"}},
		{name: "base URL file writable by others", files: map[string]string{".fireworks/auth.ini": "base_url = https://x.example"}, mode: 0o662,
			env: map[string]string{EnvAPIKey: envKey}, want: []string{"sets the base URL and is writable by others (mode 0662)"}},
		{name: "a directory in place of the file", files: map[string]string{".fireworks/auth.ini/x": ""},
			want: []string{".fireworks/auth.ini: not a regular file"}},
		{name: "files turned off but a profile named", in: Input{NoFiles: true, Profile: "work"}, want: []string{`profile "work" (WithProfile): credential files are not read`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Getenv = envOf(tc.env)
			if !tc.noHome {
				in.Home = writeHome(t, tc.files)
			}
			if tc.mode != 0 {
				if err := os.Chmod(filepath.Join(in.Home, ".fireworks/auth.ini"), tc.mode); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Resolve(in)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			checkNoSecret(t, msg)
			if strings.Contains(msg, "\n") {
				t.Errorf("error of more than one line: %q", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q\ndoes not contain %q", msg, w)
				}
			}
		})
	}
}

// TestNoCredentialErrorIsTyped: the caller can tell "nothing configured"
// from a broken configuration.
func TestNoCredentialErrorIsTyped(t *testing.T) {
	_, err := Resolve(Input{Home: t.TempDir()})
	var nc *NoCredentialError
	if !errors.As(err, &nc) || len(nc.Looked) != 3 {
		t.Fatalf("got %v, want a NoCredentialError with three places", err)
	}
}

// TestFilesNotReadWhenNotReached: a broken default file does not matter
// when every value comes before it, and a value the chain does not use
// is not checked.
func TestFilesNotReadWhenNotReached(t *testing.T) {
	home := writeHome(t, map[string]string{".fireworks/auth.ini": "garbage\n"})
	got, err := Resolve(Input{Home: home, APIKey: optionKey, Account: "a", BaseURL: "https://x.example",
		Getenv: envOf(map[string]string{EnvAPIKey: "bad key with spaces"})})
	if err != nil {
		t.Fatal(err)
	}
	if got.APIKey != optionKey {
		t.Error("wrong key")
	}
	if _, err := Resolve(Input{Home: home, APIKey: optionKey}); err == nil {
		t.Error("a malformed default file that the chain reached (for the account) was accepted")
	}
}

// TestFilesTurnedOff: NoFiles reads no file and ignores FIREWORKS_PROFILE;
// a credential given another way leaves the chain the account and base URL.
func TestFilesTurnedOff(t *testing.T) {
	home := writeHome(t, map[string]string{".fireworks/auth.ini": "api_key = " + defaultKey + "\naccount_id = file-acct\n"})
	got, err := Resolve(Input{Home: home, NoFiles: true, Getenv: envOf(map[string]string{EnvProfile: "absent", EnvAPIKey: envKey})})
	if err != nil {
		t.Fatal(err)
	}
	if got.APIKey != envKey || got.Account != "" || got.Profile != "" {
		t.Errorf("a file or a profile was read (account %q, profile %q)", got.Account, got.Profile)
	}
	src, err := Resolve(Input{Home: home, CredentialGiven: "WithCredentialSource"})
	if err != nil {
		t.Fatal(err)
	}
	if src.APIKey != "" || src.Sources.Credential != "WithCredentialSource" || src.Account != "file-acct" {
		t.Errorf("with a credential source: key taken %v, sources %s", src.APIKey != "", src.Sources)
	}
}

// TestResolveNeverWrites: resolving leaves the files as they were.
func TestResolveNeverWrites(t *testing.T) {
	content := "id_token = " + fileIDToken + "\nrefresh_token = " + fileRefresh + "\n"
	home := writeHome(t, map[string]string{".fireworks/auth.ini": content})
	before, _ := os.Stat(filepath.Join(home, ".fireworks/auth.ini"))
	if _, err := Resolve(Input{Home: home}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(filepath.Join(home, ".fireworks/auth.ini"))
	if !after.ModTime().Equal(before.ModTime()) || after.Mode() != before.Mode() {
		t.Error("the file changed")
	}
	entries, _ := os.ReadDir(filepath.Join(home, ".fireworks"))
	if len(entries) != 1 {
		t.Errorf("%d entries in .fireworks, want the one file", len(entries))
	}
}
