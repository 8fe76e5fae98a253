package credentials

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// The files firectl keeps, under the home directory.
const (
	configDir    = ".fireworks"
	profilesDir  = "profiles"
	authFile     = "auth.ini"
	settingsFile = "settings.ini"
)

// maxFileSize bounds what is read of a file: firectl's are a few lines,
// and a path pointing at a device or a huge file must not eat memory.
const maxFileSize = 64 << 10

// configFile is one of firectl's files as read: nil ini when it does not
// exist.
type configFile struct {
	path string
	ini  *iniFile
	mode fs.FileMode
}

// readConfigFile reads and parses path. A file that does not exist is no
// error (its ini is nil); one that is not a regular file, too large, or
// malformed is.
func readConfigFile(path string) (*configFile, error) {
	cf := &configFile{path: path}
	// Stat first: opening a FIFO put in the file's place would block New
	// for ever.
	if info, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return cf, nil
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", path, errors.Unwrap(err))
	} else if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, errors.Unwrap(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s: larger than %d bytes; not a firectl file", path, maxFileSize)
	}
	ini, err := parseINI(path, data)
	if err != nil {
		return nil, err
	}
	cf.ini, cf.mode = ini, info.Mode().Perm()
	return cf, nil
}

// exists reports whether the file was there.
func (cf *configFile) exists() bool { return cf.ini != nil }

// get returns key's value and where it came from, if the file sets it.
func (cf *configFile) get(key string) (value, at string, ok bool) {
	if cf.ini == nil {
		return "", "", false
	}
	return cf.ini.get(key)
}

// checkPrivate refuses a file holding a secret that the group or others
// may read or write, as ssh refuses such a private key: on a shared
// machine the secret is no longer the user's alone. Windows has no such
// mode bits, and is not checked.
func (cf *configFile) checkPrivate() error {
	if runtime.GOOS == "windows" || cf.mode&0o077 == 0 {
		return nil
	}
	return fmt.Errorf("%s holds a credential and is accessible by others (mode %#o): run chmod 600 %s", cf.path, cf.mode, cf.path)
}

// checkNotWritableByOthers refuses a file whose base URL the group or
// others could change, which would send the credential to their server.
func (cf *configFile) checkNotWritableByOthers() error {
	if runtime.GOOS == "windows" || cf.mode&0o022 == 0 {
		return nil
	}
	return fmt.Errorf("%s sets the base URL and is writable by others (mode %#o): run chmod go-w %s", cf.path, cf.mode, cf.path)
}

// checkProfileName refuses a profile name that is not one directory name.
func checkProfileName(name, from string) error {
	if name == "." || name == ".." {
		return fmt.Errorf("profile name %q (%s): not a directory name", name, from)
	}
	for _, r := range name {
		ok := r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !ok {
			return fmt.Errorf("profile name %q (%s): only letters, digits, '.', '-' and '_' are allowed", strings.ToValidUTF8(name, "?"), from)
		}
	}
	return nil
}

// profileDir returns where a profile's files live, under root (the
// directory holding auth.ini, settings.ini and profiles/).
func profileDir(root, name string) string {
	if name == "" {
		return root
	}
	return filepath.Join(root, profilesDir, name)
}

// filesRoot returns the directory whose files the chain reads ("" for
// none): Input.Dir, else ~/.fireworks. A Dir given that is not a
// directory is an error, before anything is read.
func filesRoot(in Input) (string, error) {
	switch {
	case in.NoFiles:
		return "", nil
	case in.Dir != "":
		info, err := os.Stat(in.Dir)
		if err != nil {
			return "", fmt.Errorf("credentials directory %s (WithCredentialsDir): %w", in.Dir, errors.Unwrap(err))
		}
		if !info.IsDir() {
			return "", fmt.Errorf("credentials directory %s (WithCredentialsDir): not a directory", in.Dir)
		}
		return in.Dir, nil
	case in.Home != "":
		return filepath.Join(in.Home, configDir), nil
	}
	return "", nil
}
