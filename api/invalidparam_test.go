package api_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
)

// TestInvalidParamErrorIsAnAPITypeForServicesAndRaw: a refused path
// parameter is an *api.InvalidParamError from a service call (wrapped in
// the operation's name), and errors.As finds one in the generated raw
// client's error too, with the same fields; nothing is sent.
func TestInvalidParamErrorIsAnAPITypeForServicesAndRaw(t *testing.T) {
	rt := script(step{status: 200, body: secretJSON})
	c := newClient(t, rt)
	ctx := context.Background()

	_, err := c.Secrets.Get(ctx, "../other", nil)
	var pe *api.InvalidParamError
	ok := errors.As(err, &pe)
	if !ok || pe.In != "path" || pe.Param != "secret_id" || pe.Reason == "" {
		t.Errorf("service call: err = %v (%T), want an *api.InvalidParamError for path parameter secret_id", err, err)
	}

	_, rawErr := c.Raw().GetSecretWithResponse(ctx, "my-account", "../other", nil)
	var rawPE *api.InvalidParamError
	if !errors.As(rawErr, &rawPE) || rawPE.In != "path" || rawPE.Param != "secret_id" {
		t.Errorf("raw call: err = %v (%T), want errors.As to find an *api.InvalidParamError for secret_id", rawErr, rawErr)
	} else if ok && (rawPE.Reason != pe.Reason || !strings.HasSuffix(err.Error(), ": "+rawErr.Error())) {
		t.Errorf("raw call: %q, service call: %q: want the same refusal", rawErr, err)
	}
	var other *api.Error
	if errors.As(rawErr, &other) {
		t.Errorf("raw call: errors.As found an *api.Error in %v", rawErr)
	}
	if n := len(rt.Calls()); n != 0 {
		t.Errorf("%d requests were sent, want 0", n)
	}
}
