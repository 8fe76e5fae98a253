package credentials

import (
	"strings"
	"testing"
)

// FuzzParseINI: whatever the file holds, parseINI never panics, and its
// error is one line that starts with the file and line.
func FuzzParseINI(f *testing.F) {
	for _, seed := range []string{
		"api_key = fw-default-key-0004\n",
		"[fireworks]\napi_key = 'x'\n[DEFAULT]\naccount_id=\"a\"\n",
		"\ufeff; c\r\n# c\r\n",
		"[fireworks\n",
		"garbage-secret-value\n",
		"a = 1\na = 2\n",
		" = value-secret\n",
		"[]\n=\n\"\n'\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		file, err := parseINI("auth.ini", []byte(data))
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Fatal("error of more than one line")
			}
			if !strings.HasPrefix(msg, "auth.ini:") {
				t.Fatal("error does not start with the file and line")
			}
			return
		}
		for k := range file.values {
			if k != strings.ToLower(k) {
				t.Fatal("a key kept its case")
			}
		}
	})
}
