package main

import (
	"path/filepath"
	"testing"
)

// TestREADMEVersionMentionsFollowTheSpec fails when the SDK's README names
// a spec version that openapi.yaml no longer has: make update-spec
// rewrites the mentions, and a hand edit must keep them too.
func TestREADMEVersionMentionsFollowTheSpec(t *testing.T) {
	readme := readFile(t, filepath.Join(sdkRoot, "README.md"))
	spec, err := parseSource("openapi.yaml", 1, []byte(readFile(t, filepath.Join(sdkRoot, "openapi.yaml"))))
	if err != nil {
		t.Fatal(err)
	}
	version := scalarValue(mappingValue(spec.root, "info"), "version")
	for _, m := range readmeVersionMentions([]byte(readme)) {
		if got := readme[m[0]:m[1]]; got != version {
			t.Errorf("README.md mentions spec version %s at byte %d; openapi.yaml is %s (make update-spec rewrites the mentions)", got, m[0], version)
		}
	}
}

func TestReadmeVersionMentions(t *testing.T) {
	text := "All 198 operations of the Gateway spec (version 4.259.0) are generated.\n" +
		"- `User-Agent: fireworks-gateway-go/<version> (gateway-spec 4.259.0; go1.26)`\n" +
		"Pinned: the spec version 4.21.6 once, and spec 4.15.25.\n" +
		"Not mentions: Go version 1.26.8, oapi-codegen v2.8.2, x-spec-version: 4.259.0, gateway-openapi-5.10.0.yaml, Gateway spec: 4.259.0 -> 5.10.0.\n"
	var got []string
	for _, m := range readmeVersionMentions([]byte(text)) {
		got = append(got, text[m[0]:m[1]])
	}
	want := []string{"4.259.0", "4.259.0", "4.21.6", "4.15.25"}
	if len(got) != len(want) {
		t.Fatalf("mentions %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("mentions %q, want %q", got, want)
		}
	}

	path := writeTemp(t, "README.md", text)
	n, err := rewriteREADMEVersions(path, "5.10.0")
	if err != nil {
		t.Fatal(err)
	}
	wantText := "All 198 operations of the Gateway spec (version 5.10.0) are generated.\n" +
		"- `User-Agent: fireworks-gateway-go/<version> (gateway-spec 5.10.0; go1.26)`\n" +
		"Pinned: the spec version 5.10.0 once, and spec 5.10.0.\n" +
		"Not mentions: Go version 1.26.8, oapi-codegen v2.8.2, x-spec-version: 4.259.0, gateway-openapi-5.10.0.yaml, Gateway spec: 4.259.0 -> 5.10.0.\n"
	if got := readFile(t, path); n != 4 || got != wantText {
		t.Errorf("rewrote %d:\n%s\nwant 4:\n%s", n, got, wantText)
	}
	if n, err := rewriteREADMEVersions(filepath.Join(t.TempDir(), "none.md"), "5.10.0"); n != 0 || err != nil {
		t.Errorf("a missing README: %d, %v", n, err)
	}
}
