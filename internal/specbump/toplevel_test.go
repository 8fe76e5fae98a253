package main

import (
	"strings"
	"testing"
)

// updateSecretAt is the Update secret page (require-field.md without the
// change) at the fixture spec's version, with its top-level text edited.
func updateSecretAt(t *testing.T, edit func(string) string) string {
	t.Helper()
	doc := replaceOnce(t, pageBlock(t, "require-field.md"), "                - value\n", "")
	doc = replaceOnce(t, doc, "4.260.0", "4.259.0")
	return asPage(t, "update-secret.md", edit(doc))
}

// TestPageTagsAndServersAreMerged: tags and servers the spec lacks are
// appended to its lists, a tag it has with another description is
// replaced, and the report says each.
func TestPageTagsAndServersAreMerged(t *testing.T) {
	base := readFile(t, fixtureSpec)
	page := updateSecretAt(t, func(doc string) string {
		doc = replaceOnce(t, doc, "tags:\n  - name: Gateway\n", "tags:\n  - name: Gateway\n    description: The control plane.\n  - name: Secrets\n")
		return replaceOnce(t, doc, "servers:\n  - url: https://api.fireworks.ai\n", "servers:\n  - url: https://api.fireworks.ai\n  - url: https://api.eu.fireworks.ai\n")
	})
	built, err := buildSpec([]byte(base), []string{page})
	if err != nil {
		t.Fatal(err)
	}
	want := replaceOnce(t, base, "tags:\n  - name: Gateway\n", "tags:\n  - name: Gateway\n    description: The control plane.\n  - name: Secrets\n")
	want = replaceOnce(t, want, "servers:\n  - url: https://api.fireworks.ai\n", "servers:\n  - url: https://api.fireworks.ai\n  - url: https://api.eu.fireworks.ai\n")
	if string(built.text) != want {
		t.Errorf("diff (- want, + got):\n%s", lineDiff(want, string(built.text)))
	}
	notes := strings.Join(built.documentNotes, "\n")
	for _, w := range []string{
		"tags: added `Secrets`",
		"tags: replaced `Gateway` with the page's",
		"servers: added `https://api.eu.fireworks.ai` after openapi.yaml's, whose first stays the default",
	} {
		if !strings.Contains(notes, w) {
			t.Errorf("the notes lack %q:\n%s", w, notes)
		}
	}
}

// TestPageSecurityGoesOnItsOperations: a page whose top-level security
// differs from the spec's keeps it for its own operations, and the spec's
// other operations keep the spec's.
func TestPageSecurityGoesOnItsOperations(t *testing.T) {
	base := readFile(t, fixtureSpec)
	page := updateSecretAt(t, func(doc string) string {
		return replaceOnce(t, doc, "security:\n  - BearerAuth: []\n", "security:\n  - BearerAuth: []\n  - ApiKeyAuth: []\n")
	})
	built, err := buildSpec([]byte(base), []string{page})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parseSource("openapi.yaml", 1, built.text)
	if err != nil {
		t.Fatal(err)
	}
	if got := mappingValue(doc.root, "security"); len(got.Content) != 1 {
		t.Errorf("the spec's top-level security changed: %d requirements", len(got.Content))
	}
	op := mappingValue(mappingValue(mappingValue(doc.root, "paths"), "/v1/accounts/{account_id}/secrets/{secret_id}"), "patch")
	if sec := mappingValue(op, "security"); sec == nil || len(sec.Content) != 2 {
		t.Errorf("Update secret has no security of its own with the page's two requirements")
	}
	if other := mappingValue(mappingValue(mappingValue(doc.root, "paths"), "/v1/accounts/{account_id}/secrets/{secret_id}"), "get"); mappingValue(other, "security") != nil {
		t.Error("Get secret, which the page does not give, got the page's security")
	}
	if notes := strings.Join(built.documentNotes, "\n"); !strings.Contains(notes, "security: update-secret.md:6's top-level security differs from openapi.yaml's; it is put on the page's 1 operation") {
		t.Errorf("notes:\n%s", notes)
	}
}

// TestUnmergedTopLevelFieldsAreReported: what a page has beyond its
// operations, components, tags, servers and security is named, not
// dropped without a word.
func TestUnmergedTopLevelFieldsAreReported(t *testing.T) {
	base := readFile(t, fixtureSpec)
	page := updateSecretAt(t, func(doc string) string {
		doc = replaceOnce(t, doc, "info:\n  title: Gateway REST API\n", "info:\n  title: Gateway REST API v5\n")
		return doc + "externalDocs:\n  url: https://docs.fireworks.ai\n"
	})
	built, err := buildSpec([]byte(base), []string{page})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(built.documentNotes, "\n")
	for _, w := range []string{
		"`externalDocs`: update-secret.md:6's differs from openapi.yaml's and is not merged",
		"`info.title`: update-secret.md:6's differs from openapi.yaml's and is not merged (only info.version comes from pages)",
	} {
		if !strings.Contains(notes, w) {
			t.Errorf("the notes lack %q:\n%s", w, notes)
		}
	}
}
