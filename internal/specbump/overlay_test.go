package main

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The SDK's own repository, two levels up.
var sdkRoot = filepath.Join("..", "..")

func TestCheckOverlay(t *testing.T) {
	base := readFile(t, fixtureSpec)
	overlayFile := filepath.Join("testdata", "repo", "gen", "overlay.yaml")
	mangled := "  /v1/accounts/{account_id}/users/{user_id}/apiKeys/accounts/{account_id}/users/{user_id}:\n"
	apiKeyKey := "        key:\n          type: string\n          description: >-\n            The actual API key value, only available upon creation and not\n            stored thereafter.\n          readOnly: true\n"
	tests := []struct {
		name      string
		spec      func(t *testing.T) string
		wantStale []string
	}{
		{name: "every action matches", spec: func(t *testing.T) string { return base }},
		{
			// Upstream fixed the path: the action that removes the mangled
			// one has nothing to do. The action before it still matches.
			name: "defect fixed upstream",
			spec: func(t *testing.T) string {
				return replaceOnce(t, base, mangled, "  /v1/accounts/{account_id}/users/{user_id}/apiKeys/{keyId}:\n")
			},
			wantStale: []string{`action 2, target $.paths['/v1/accounts/{account_id}/users/{user_id}/apiKeys/accounts/{account_id}/users/{user_id}']: "Remove the mangled Gateway_GetApiKey path."`},
		},
		{
			name:      "field the overlay marks is gone",
			spec:      func(t *testing.T) string { return replaceOnce(t, base, apiKeyKey, "") },
			wantStale: []string{`action 3, target $.components.schemas.gatewayApiKey.properties.key: "The API key's value, returned once on creation."`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stale, err := checkOverlay(overlayFile, []byte(tt.spec(t)))
			if err != nil {
				t.Fatal(err)
			}
			if got := stringsOf(stale); !slices.Equal(got, tt.wantStale) {
				t.Errorf("stale %q, want %q", got, tt.wantStale)
			}
		})
	}
}

// The SDK's overlay applies to the SDK's spec (as make check-generate
// proves with the generator): the check must agree.
func TestCheckOverlayAgreesWithTheGeneratorOnTheSDK(t *testing.T) {
	overlayFile, err := overlayPath(sdkRoot)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := os.ReadFile(filepath.Join(sdkRoot, "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	stale, err := checkOverlay(overlayFile, spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) > 0 {
		t.Errorf("actions reported stale on the SDK's own spec: %q", stringsOf(stale))
	}
}

// The overlay is checked with the library the generator applies it with;
// a different version could match differently.
func TestOverlayLibrariesAreTheGenerators(t *testing.T) {
	ours, sdk := requiredVersions(t, "go.mod"), requiredVersions(t, filepath.Join(sdkRoot, "go.mod"))
	for _, module := range []string{
		"github.com/speakeasy-api/openapi",
		"github.com/speakeasy-api/jsonpath",
		"github.com/vmware-labs/yaml-jsonpath",
		"github.com/dprotaso/go-yit",
		"gopkg.in/yaml.v3",
		"github.com/getkin/kin-openapi",
	} {
		if ours[module] == "" || ours[module] != sdk[module] {
			t.Errorf("%s is %q here but %q in the SDK's go.mod: align internal/specbump/go.mod (go get %s@%s)", module, ours[module], sdk[module], module, sdk[module])
		}
	}
}

// requiredVersions reads the require lines of a go.mod file.
func requiredVersions(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	versions := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(strings.TrimPrefix(s.Text(), "require "))
		if len(fields) >= 2 && strings.Contains(fields[0], ".") && strings.HasPrefix(fields[1], "v") {
			versions[fields[0]] = fields[1]
		}
	}
	return versions
}
