package credentials

import (
	"fmt"
	"strings"
)

// iniFile is what parseINI keeps of a file: the values of the sections
// that concern Fireworks, the [fireworks] section's over the others, with
// the line each came from.
type iniFile struct {
	path   string
	values map[string]iniValue
}

type iniValue struct {
	value string
	line  int
}

// The sections whose keys are read. Lines before any section header (the
// shape firectl writes) count as the default section, as configparser's
// DEFAULT; [fireworks] wins over them, as the Python tools have it. Keys
// of any other section are ignored.
const (
	sectionNone      = ""
	sectionFireworks = "fireworks"
	sectionDefault   = "default"
)

// parseINI reads the key = value lines of a firectl file: blank lines and
// lines starting with # or ; are comments; a [section] header starts a
// section; a value may be quoted with " or '; keys are case-insensitive.
// A line it cannot read, or a key given twice in one section, is an error
// naming the file and line, never the line's text (it may hold a key).
func parseINI(path string, data []byte) (*iniFile, error) {
	f := &iniFile{path: path, values: map[string]iniValue{}}
	fallback := map[string]iniValue{}
	seen := map[string]bool{} // section + "\x00" + key
	section := sectionNone
	text := strings.TrimPrefix(string(data), "\ufeff") // a byte order mark, as Windows editors write
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		line = strings.TrimSpace(line) // the \r of CRLF too
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			if !strings.HasSuffix(line, "]") {
				return nil, fmt.Errorf("%s:%d: a section header without its closing ]", path, n)
			}
			section = strings.ToLower(strings.TrimSpace(line[1 : len(line)-1]))
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: not a key = value line", path, n)
		}
		key := strings.ToLower(strings.TrimSpace(k))
		if key == "" {
			return nil, fmt.Errorf("%s:%d: no key before =", path, n)
		}
		if seen[section+"\x00"+key] {
			return nil, fmt.Errorf("%s:%d: %s is set twice", path, n, key)
		}
		seen[section+"\x00"+key] = true
		val := unquote(strings.TrimSpace(v))
		switch section {
		case sectionFireworks:
			f.values[key] = iniValue{val, n}
		case sectionNone, sectionDefault:
			fallback[key] = iniValue{val, n}
		}
	}
	for k, v := range fallback {
		if _, ok := f.values[k]; !ok {
			f.values[k] = v
		}
	}
	return f, nil
}

// unquote removes one pair of matching quotes around v, as the Python
// tools do.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// get returns key's value and where it came from ("path:line"), or ok
// false when the file does not set it or sets it empty.
func (f *iniFile) get(key string) (value, at string, ok bool) {
	v, found := f.values[key]
	if !found || v.value == "" {
		return "", "", false
	}
	return v.value, fmt.Sprintf("%s:%d", f.path, v.line), true
}
