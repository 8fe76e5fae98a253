package gatewaytest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

// TestMessagesNameGoTypes: the fake's messages name a resource by its Go
// type (gen.Secret, gen.Deployment), as a Go program knows it, never by
// the spec's schema name (gatewaySecret): every collection has one, and
// an update mask naming no field, a forced state the enum lacks and a
// fixture property the schema lacks all say it.
func TestMessagesNameGoTypes(t *testing.T) {
	for _, c := range gatewaytest.Collections() {
		if !strings.HasPrefix(c.GoType, "gen.") || strings.Contains(c.GoType, "gateway") {
			t.Errorf("%s: Go type %q, want gen.<Type> for %s", c.Pattern, c.GoType, c.Schema)
		}
	}
	fake, _ := gatewaytest.Start(t)
	fake.AddSecret("acct", "S", "K", "v")
	status, body := do(t, fake, http.MethodPatch, "/v1/accounts/acct/secrets/S?updateMask=noSuchField", map[string]any{"keyName": "K"})
	if status != http.StatusBadRequest || !strings.Contains(string(body), "gen.Secret") || strings.Contains(string(body), "gatewaySecret") {
		t.Errorf("update with an unknown mask path: %d %s, want 400 naming gen.Secret", status, body)
	}

	rec := &fatalRecorder{}
	h, err := gatewaytest.NewHandler(gatewaytest.WithReporter(rec))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Put("accounts/acct/deployments/d1", `{"baseModel": "m"}`); err != nil {
		t.Fatal(err)
	}
	h.SetState("accounts/acct/deployments/d1", "ALIVE", "")
	if len(rec.fatals) != 1 || !strings.Contains(rec.fatals[0], "gen.Deployment") || strings.Contains(rec.fatals[0], "gatewayDeployment") {
		t.Errorf("SetState of a state the enum lacks: %q, want one message naming gen.Deployment", rec.fatals)
	}
	if err := h.Put("accounts/acct/secrets/X", `{"keyName": "K", "nope": 1}`); err == nil || !strings.Contains(err.Error(), "not a property of gen.Secret") {
		t.Errorf("Put with an unknown property: %v, want one naming gen.Secret", err)
	}
}
