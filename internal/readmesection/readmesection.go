// Package readmesection reads and rewrites the generated sections of
// README.md: the text between a line "<!-- name:start -->" and the marker
// "<!-- name:end -->". Tests and tools that generate a README table
// (the retry policy, the fault matrix, benchmarks) share it, so that every
// section is found and replaced the same way.
package readmesection

import (
	"fmt"
	"os"
	"strings"
)

func markers(name string) (start, end string) {
	return "<!-- " + name + ":start -->\n", "<!-- " + name + ":end -->"
}

// Get returns the section name of the document doc.
func Get(doc, name string) (string, error) {
	start, end := markers(name)
	i, j := strings.Index(doc, start), strings.Index(doc, end)
	if i < 0 || j < i+len(start) {
		return "", fmt.Errorf("no %q ... %q section", strings.TrimSpace(start), end)
	}
	return doc[i+len(start) : j], nil
}

// Set returns doc with the section name replaced by content.
func Set(doc, name, content string) (string, error) {
	if _, err := Get(doc, name); err != nil {
		return "", err
	}
	start, end := markers(name)
	i, j := strings.Index(doc, start), strings.Index(doc, end)
	return doc[:i+len(start)] + content + doc[j:], nil
}

// Read returns the section name of the file at path.
func Read(path, name string) (string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s, err := Get(string(raw), name)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Write replaces the section name of the file at path with content.
func Write(path, name, content string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	doc, err := Set(string(raw), name, content)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, []byte(doc), 0o644)
}
