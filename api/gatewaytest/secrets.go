package gatewaytest

import (
	"encoding/json"
	"fmt"
)

// Secrets are a collection of the engine like any other; these are
// shortcuts for the resource the SDK's examples rotate.

// SecretValue returns the value last stored for a secret: what the client
// sent on create or update ("" when it sent none). The API itself never
// returns it.
func (h *Handler) SecretValue(account, id string) (value string, ok bool) {
	name := "accounts/" + account + "/secrets/" + id
	if _, exists := h.Resource(name); !exists {
		return "", false
	}
	raw, stored := h.StoredValue(name, "/value")
	if !stored {
		return "", true
	}
	_ = json.Unmarshal(raw, &value)
	return value, true
}

// AddSecret stores a secret directly, as if created through the API.
func (h *Handler) AddSecret(account, id, keyName, value string) error {
	if !idPattern.MatchString(id) {
		return fmt.Errorf("gatewaytest: %q is not a valid secret id", id)
	}
	return h.Put("accounts/"+account+"/secrets/"+id, map[string]string{"keyName": keyName, "value": value})
}
