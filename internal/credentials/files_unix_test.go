//go:build unix

package credentials

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHostileFiles: a FIFO or a device in the file's place (directly or
// through a symlink) is refused without blocking or reading it; a file too
// large to be firectl's is refused; an unreadable one is an error, not
// silence.
func TestHostileFiles(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, path string)
		want  string
	}{
		{"fifo", func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Skip("no mkfifo:", err)
			}
		}, "not a regular file"},
		{"symlink to a device", func(t *testing.T, path string) {
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Fatal(err)
			}
		}, "not a regular file"},
		{"too large", func(t *testing.T, path string) {
			writeFile(t, path, strings.Repeat("# comment\n", maxFileSize/10+1), 0o600)
		}, "larger than 65536 bytes"},
		{"unreadable", func(t *testing.T, path string) {
			if os.Geteuid() == 0 {
				t.Skip("root reads every file")
			}
			writeFile(t, path, "api_key = "+defaultKey, 0o000)
		}, "permission denied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			dir := filepath.Join(home, ".fireworks")
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			tc.setup(t, filepath.Join(dir, "auth.ini"))
			_, err := Resolve(Input{Home: home})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}
