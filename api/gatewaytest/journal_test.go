package gatewaytest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

// TestJournalRedactsEverySpelling: the journal finds a secret value
// however the body carries it: in a duplicate property (a decoded map
// keeps only the last), behind escapes in its name, in a list of keys,
// or in a nested object; none reaches the journal.
func TestJournalRedactsEverySpelling(t *testing.T) {
	const first, second = "sk-first-secret-value", "sk-second-secret-value"
	bodies := map[string]string{
		"duplicate property":  `{"keyName":"K","value":"` + first + `","value":"` + second + `"}`,
		"escaped name":        `{"keyName":"K","v\u0061lue":"` + first + `","value":"` + second + `"}`,
		"name as a value too": `{"keyName":"value","value":"` + first + `"}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			fake, _ := gatewaytest.Start(t)
			do(t, fake, "PATCH", "/v1/accounts/acct/secrets/s", []byte(body))
			journal := fmt.Sprintf("%+v", fake.Journal())
			for i, secret := range []string{first, second} {
				if strings.Contains(body, secret) && strings.Contains(journal, secret) {
					t.Errorf("the journal holds secret %d of the body", i+1)
				}
			}
		})
	}
	fake, _ := gatewaytest.Start(t)
	do(t, fake, "POST", "/v1/accounts/acct/deployments", map[string]any{"baseModel": "m", "directRouteApiKeys": []string{first, second}})
	do(t, fake, "POST", "/v1/accounts/acct/identityProviders", map[string]any{"oidcConfig": map[string]any{"clientSecret": first}})
	journal := fmt.Sprintf("%+v", fake.Journal())
	if strings.Contains(journal, first) || strings.Contains(journal, second) {
		t.Errorf("the journal holds a key of a list or a nested secret: %s", hide(journal, first, second))
	}
}
