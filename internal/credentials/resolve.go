package credentials

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// The environment variables of the chain, as the official SDKs and the
// Fireworks tools name them.
const (
	EnvAPIKey    = "FIREWORKS_API_KEY"
	EnvAccountID = "FIREWORKS_ACCOUNT_ID"
	EnvBaseURL   = "FIREWORKS_BASE_URL"
	EnvProfile   = "FIREWORKS_PROFILE"
)

// The keys read from firectl's files. Credentials (api_key, id_token,
// refresh_token) are read from auth.ini only; account_id and base_url
// from auth.ini, then settings.ini.
const (
	keyAPIKey       = "api_key"
	keyIDToken      = "id_token"
	keyRefreshToken = "refresh_token"
	keyAccountID    = "account_id"
	keyBaseURL      = "base_url"
)

// Input is what Resolve starts from: the values given with options ("" for
// none), and where to look for the others.
type Input struct {
	APIKey       string // api.WithAPIKey
	IDToken      string // api.WithSession: a session token ...
	RefreshToken string // ... and its refresh token
	Account      string // api.WithAccount
	BaseURL      string // api.WithBaseURL
	Profile      string // api.WithProfile
	// CredentialGiven names the option that supplies the credential
	// another way (api.WithCredentialSource): the chain then looks only
	// for the account and the base URL.
	CredentialGiven string

	// Getenv reads an environment variable ("" for unset); nil reads
	// none.
	Getenv func(string) string
	// Home is the directory holding .fireworks; "" reads no file (unless
	// Dir is set).
	Home string
	// Dir, when set, is read instead of ~/.fireworks: the directory
	// holding auth.ini, settings.ini and profiles/<name>/
	// (api.WithCredentialsDir). It must exist.
	Dir string
	// NoFiles reads no file, whatever Home and Dir are, and ignores
	// FIREWORKS_PROFILE (a profile named in Input is an error).
	NoFiles bool
}

// Result is what Resolve found. Exactly one of APIKey and IDToken is set.
type Result struct {
	APIKey       string
	IDToken      string
	RefreshToken string
	Account      string // "" when no source has one
	BaseURL      string // "" when no source has one: the default applies
	// Profile is the profile whose files were read, "" for none.
	Profile string
	// Sources says where each value came from, never the value.
	Sources Sources
}

// Sources names the source of each value of a Result: an option's name,
// an environment variable's, or a file and line; "" when none had it.
type Sources struct {
	Credential string
	Account    string
	BaseURL    string
}

// String describes the sources for a log line, with no value.
func (s Sources) String() string {
	orNone := func(v string) string {
		if v == "" {
			return "none"
		}
		return v
	}
	return fmt.Sprintf("credential from %s; account from %s; base URL from %s", orNone(s.Credential), orNone(s.Account), orNone(s.BaseURL))
}

// NoCredentialError is Resolve's error when no source has a credential. It
// lists every place that was looked at.
type NoCredentialError struct {
	Looked []string
}

func (e *NoCredentialError) Error() string {
	return fmt.Sprintf("no API key: looked at %s; set %s, use api.WithAPIKey, or run `firectl set-api-key`", strings.Join(e.Looked, ", "), EnvAPIKey)
}

// layer is one link of the chain: a name, and a lookup of a key.
type layer struct {
	name   string // for NoCredentialError
	lookup func(key string) (value, at string, ok bool, err error)
	// missing reports, once looked up, that the layer's files do not
	// exist; nil for a layer without files.
	missing func() bool
}

// Resolve walks the chain (options; a profile named with Input.Profile or
// FIREWORKS_PROFILE; FIREWORKS_API_KEY, FIREWORKS_ACCOUNT_ID and
// FIREWORKS_BASE_URL; the default ~/.fireworks files) and returns, for the
// credential, the account and the base URL, the first source that has
// each. A credential is an api_key, or an id_token with its refresh_token,
// from one source; api_key wins when a source has both. A file is read
// only when the chain reaches it.
//
// Its errors are one line, and name a variable, a file and line, never a
// value: a profile named but missing, a malformed file, a value holding
// white space, a credential file others may read, no credential at all.
func Resolve(in Input) (*Result, error) {
	getenv := in.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	layers := []layer{optionLayer(in)}
	profile, profileFrom := in.Profile, "WithProfile"
	if profile == "" && !in.NoFiles {
		profile, profileFrom = getenv(EnvProfile), EnvProfile
	}
	root, err := filesRoot(in)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	if profile != "" {
		if err := checkProfileName(profile, profileFrom); err != nil {
			return nil, err
		}
		if root == "" {
			return nil, fmt.Errorf("profile %q (%s): credential files are not read (no home directory, or files turned off)", profile, profileFrom)
		}
		l, err := fileLayer(profileDir(root, profile), "profile "+profile)
		if err != nil {
			return nil, err
		}
		if l == nil {
			return nil, fmt.Errorf("profile %q (%s): %s has no %s or %s; run `firectl signin --profile %s`", profile, profileFrom, profileDir(root, profile), authFile, settingsFile, profile)
		}
		layers = append(layers, *l)
		res.Profile = profile
	}
	layers = append(layers, envLayer(getenv))
	if root == "" {
		layers = append(layers, layer{name: "~/" + configDir + " (files not read)", lookup: none})
	} else {
		layers = append(layers, lazyFileLayer(root))
	}

	if in.CredentialGiven != "" {
		res.Sources.Credential = in.CredentialGiven
	} else {
		looked, err := res.findCredential(layers)
		if err != nil {
			return nil, err
		}
		if res.Sources.Credential == "" {
			return nil, &NoCredentialError{Looked: looked}
		}
	}
	if res.Account, res.Sources.Account, err = first(layers, keyAccountID); err != nil {
		return nil, err
	}
	if res.BaseURL, res.Sources.BaseURL, err = first(layers, keyBaseURL); err != nil {
		return nil, err
	}
	return res, nil
}

// findCredential takes the credential of the first layer that has one,
// and returns the names of the layers it looked at.
func (res *Result) findCredential(layers []layer) ([]string, error) {
	var looked []string
	for _, l := range layers {
		key, at, ok, err := l.lookup(keyAPIKey)
		if err != nil {
			return nil, err
		}
		if l.missing != nil && l.missing() {
			looked = append(looked, l.name+" (no such file)")
		} else {
			looked = append(looked, l.name)
		}
		if ok {
			res.APIKey, res.Sources.Credential = key, at
			return looked, nil
		}
		id, idAt, idOK, err := l.lookup(keyIDToken)
		if err != nil {
			return nil, err
		}
		refresh, refreshAt, refreshOK, err := l.lookup(keyRefreshToken)
		if err != nil {
			return nil, err
		}
		switch {
		case idOK && refreshOK:
			res.IDToken, res.RefreshToken, res.Sources.Credential = id, refresh, idAt
			return looked, nil
		case idOK:
			return nil, fmt.Errorf("%s: %s without %s; run `firectl signin` again", idAt, keyIDToken, keyRefreshToken)
		case refreshOK:
			return nil, fmt.Errorf("%s: %s without %s; run `firectl signin` again", refreshAt, keyRefreshToken, keyIDToken)
		}
	}
	return looked, nil
}

// first returns the value of key in the first layer that has it.
func first(layers []layer, key string) (value, at string, err error) {
	for _, l := range layers {
		v, at, ok, err := l.lookup(key)
		if err != nil || ok {
			return v, at, err
		}
	}
	return "", "", nil
}

func none(string) (string, string, bool, error) { return "", "", false, nil }

// optionLayer is the values given with options.
func optionLayer(in Input) layer {
	given := map[string][2]string{
		keyAPIKey:       {in.APIKey, "WithAPIKey"},
		keyIDToken:      {in.IDToken, "WithSession"},
		keyRefreshToken: {in.RefreshToken, "WithSession"},
		keyAccountID:    {in.Account, "WithAccount"},
		keyBaseURL:      {in.BaseURL, "WithBaseURL"},
	}
	return layer{name: "WithAPIKey or WithSession", lookup: func(key string) (string, string, bool, error) {
		g := given[key]
		if g[0] == "" {
			return "", "", false, nil
		}
		return g[0], g[1], true, CheckValue(g[0], g[1])
	}}
}

// envLayer is the FIREWORKS_* environment variables.
func envLayer(getenv func(string) string) layer {
	names := map[string]string{keyAPIKey: EnvAPIKey, keyAccountID: EnvAccountID, keyBaseURL: EnvBaseURL}
	return layer{name: EnvAPIKey, lookup: func(key string) (string, string, bool, error) {
		name, ok := names[key]
		if !ok {
			return "", "", false, nil
		}
		v := getenv(name)
		if v == "" {
			return "", "", false, nil
		}
		return v, name, true, CheckValue(v, name)
	}}
}

// fileLayer reads dir's auth.ini and settings.ini now; nil when neither
// exists.
func fileLayer(dir, name string) (*layer, error) {
	auth, err := readConfigFile(filepath.Join(dir, authFile))
	if err != nil {
		return nil, err
	}
	settings, err := readConfigFile(filepath.Join(dir, settingsFile))
	if err != nil {
		return nil, err
	}
	if !auth.exists() && !settings.exists() {
		return nil, nil
	}
	l := filesLayer(auth, settings)
	l.name = fmt.Sprintf("%s (%s)", name, auth.path)
	return &l, nil
}

// lazyFileLayer reads dir's files when the chain first asks it for a key,
// so that a program whose values all come before never reads them.
func lazyFileLayer(dir string) layer {
	authPath := filepath.Join(dir, authFile)
	var read *layer
	var readErr error
	l := layer{name: authPath}
	l.missing = func() bool { return read != nil && read.missing() }
	l.lookup = func(key string) (string, string, bool, error) {
		if read == nil && readErr == nil {
			auth, err := readConfigFile(authPath)
			if err != nil {
				readErr = err
			} else if settings, err := readConfigFile(filepath.Join(dir, settingsFile)); err != nil {
				readErr = err
			} else {
				fl := filesLayer(auth, settings)
				read = &fl
			}
		}
		if readErr != nil {
			return "", "", false, readErr
		}
		return read.lookup(key)
	}
	return l
}

// filesLayer looks a key up in auth.ini, then (for the account and the
// base URL) in settings.ini.
func filesLayer(auth, settings *configFile) layer {
	return layer{missing: func() bool { return !auth.exists() }, lookup: func(key string) (string, string, bool, error) {
		from := []*configFile{auth}
		secret := key == keyAPIKey || key == keyIDToken || key == keyRefreshToken
		if !secret {
			from = append(from, settings)
		}
		for _, cf := range from {
			v, at, ok := cf.get(key)
			if !ok {
				continue
			}
			if err := CheckValue(v, at+": "+key); err != nil {
				return "", "", false, err
			}
			var err error
			switch {
			case secret:
				err = cf.checkPrivate()
			case key == keyBaseURL:
				err = cf.checkNotWritableByOthers()
			}
			return v, at, true, err
		}
		return "", "", false, nil
	}}
}

// CheckValue refuses a value holding white space or a control character
// (a key copied with its newline), which cannot go in a header, naming
// where it came from, never the value.
func CheckValue(v, from string) error {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c <= ' ' || c == 0x7f {
			return errors.New(from + ": contains white space or a control character (copied with a newline?)")
		}
	}
	return nil
}
