package gatewaytest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

// TestNothingGetsThrough: what a real server or proxy would read as
// something else is refused with 400 INVALID_ARGUMENT, never acted on: a
// dot segment as a path parameter (DELETE .../deployments/.. would reach
// the collection), also percent-encoded, and numbers beyond their format.
func TestNothingGetsThrough(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	if err := fake.Put("accounts/acct/deployments/d1", `{"baseModel":"m"}`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path, body string
		wantInMessage            string
	}{
		{"dot-dot deployment", "DELETE", deployments + "/..", "", "path parameter deployment_id: a dot segment"},
		{"encoded dot-dot", "DELETE", deployments + "/%2e%2E", "", "path parameter deployment_id: a dot segment"},
		{"dot account", "GET", "/v1/accounts/./deployments/d1", "", "path parameter account_id: a dot segment"},
		{"float beyond float32", "PATCH", "/v1/accounts/acct/datasets/x", `{"averageTurnCount":3.5e38}`, "/averageTurnCount: out of the float range"},
		{"double overflow", "PATCH", "/v1/accounts/acct/quotas/q", `{"usage":1e400}`, "/usage: out of the double range"},
		{"int32 beyond a double", "POST", deployments, `{"baseModel":"m","minReplicaCount":1e400}`, "/minReplicaCount: out of the int32 range"},
		{"int64 string out of range", "POST", datasets + "/x:getUploadEndpoint", `{"filenameToSize":{"f":"99999999999999999999"}}`, "/filenameToSize/f: out of the int64 range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = []byte(tc.body)
			}
			status, resp := do(t, fake, tc.method, tc.path, body)
			if status != http.StatusBadRequest || decode(t, resp)["code"] != 3.0 || !strings.Contains(string(resp), tc.wantInMessage) {
				t.Errorf("%d %s, want 400 INVALID_ARGUMENT with %q", status, resp, tc.wantInMessage)
			}
		})
	}
	if st := fake.State("accounts/acct/deployments/d1"); st != "READY" {
		t.Errorf("the deployment is %s after refused requests", st)
	}
}
