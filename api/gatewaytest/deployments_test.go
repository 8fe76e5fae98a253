package gatewaytest_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

const deployments = "/v1/accounts/acct/deployments"

var deploymentBody = map[string]any{"baseModel": "accounts/fireworks/models/llama-v3p1-8b-instruct"}

// states reads a resource n times and returns the states it showed ("404"
// once it is gone).
func states(t *testing.T, fake *gatewaytest.Server, path string, n int) []string {
	t.Helper()
	var seen []string
	for range n {
		status, body := do(t, fake, "GET", path, nil)
		switch status {
		case http.StatusOK:
			st, _ := decode(t, body)["state"].(string)
			seen = append(seen, st)
		case http.StatusNotFound:
			seen = append(seen, "404")
		default:
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
	}
	return seen
}

func wantStates(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("states %v, want %v", got, want)
	}
}

// TestDeploymentLifecycle: a deployment is created CREATING under the id
// of its deploymentId query parameter, shows CREATING to two reads and is
// READY at the third; a duplicate is 409 ALREADY_EXISTS; :scale stores
// the replica count and passes through UPDATING; delete passes through
// DELETING and keeps it as DELETED (hidden from lists unless showDeleted,
// with a deleteTime) because deployments can be undeleted; :undelete makes
// it READY; hard=true removes it at once.
func TestDeploymentLifecycle(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	const d1 = deployments + "/d1"

	status, body := do(t, fake, "POST", deployments+"?deploymentId=d1", deploymentBody)
	if status != http.StatusOK {
		t.Fatalf("create: %d %s", status, body)
	}
	got := decode(t, body)
	if got["name"] != "accounts/acct/deployments/d1" || got["state"] != "CREATING" || got["createTime"] == nil {
		t.Errorf("created %s", body)
	}
	wantStates(t, states(t, fake, d1, 3), "CREATING", "CREATING", "READY")

	if status, body := do(t, fake, "POST", deployments+"?deploymentId=d1", deploymentBody); status != http.StatusConflict || decode(t, body)["code"] != 6.0 {
		t.Errorf("duplicate create: %d %s, want 409 ALREADY_EXISTS", status, body)
	}

	if status, body := do(t, fake, "PATCH", d1+":scale", map[string]any{"replicaCount": 3}); status != http.StatusOK {
		t.Fatalf("scale: %d %s", status, body)
	}
	_, body = do(t, fake, "GET", d1, nil)
	if got := decode(t, body); got["state"] != "UPDATING" || got["replicaCount"] != 3.0 {
		t.Errorf("after scale: %s", body)
	}
	wantStates(t, states(t, fake, d1, 2), "UPDATING", "READY")

	if status, body := do(t, fake, "DELETE", d1, nil); status != http.StatusOK {
		t.Fatalf("delete: %d %s", status, body)
	}
	wantStates(t, states(t, fake, d1, 4), "DELETING", "DELETING", "DELETED", "DELETED")
	_, body = do(t, fake, "GET", d1, nil)
	if decode(t, body)["deleteTime"] == nil {
		t.Errorf("a deleted deployment without deleteTime: %s", body)
	}
	if n := len(listNames(t, fake, deployments, "")); n != 0 {
		t.Errorf("%d deployments listed after delete, want 0", n)
	}
	if names := listNames(t, fake, deployments, "showDeleted=true"); len(names) != 1 {
		t.Errorf("showDeleted lists %v, want the deleted one", names)
	}
	if status, _ := do(t, fake, "POST", deployments+"?deploymentId=d1", deploymentBody); status != http.StatusConflict {
		t.Errorf("create over a deleted deployment: %d, want 409", status)
	}
	if status, body := do(t, fake, "PATCH", d1, map[string]any{"baseModel": "m", "displayName": "x"}); status != http.StatusBadRequest || decode(t, body)["code"] != 9.0 {
		t.Errorf("update of a deleted deployment: %d %s, want 400 FAILED_PRECONDITION", status, body)
	}

	if status, body := do(t, fake, "POST", d1+":undelete", map[string]any{}); status != http.StatusOK || decode(t, body)["state"] != "READY" {
		t.Errorf("undelete: %d %s, want READY", status, body)
	}
	_, body = do(t, fake, "GET", d1, nil)
	if decode(t, body)["deleteTime"] != nil {
		t.Errorf("deleteTime kept after undelete: %s", body)
	}
	if status, body := do(t, fake, "POST", d1+":undelete", map[string]any{}); status != http.StatusBadRequest || decode(t, body)["code"] != 9.0 {
		t.Errorf("undelete of a live deployment: %d %s, want 400 FAILED_PRECONDITION", status, body)
	}

	if status, body := do(t, fake, "DELETE", d1+"?hard=true", nil); status != http.StatusOK {
		t.Fatalf("hard delete: %d %s", status, body)
	}
	wantStates(t, states(t, fake, d1, 1), "404")
}

// TestDeploymentIDRules: the id comes from the deploymentId query
// parameter, as the spec says; a name or a deploymentId in the body is
// dropped, as by a proto-JSON server (name is output-only; deploymentId
// is no field of a Deployment), and the deployment gets a generated id;
// WithStrictBodies refuses the misplaced deploymentId instead.
func TestDeploymentIDRules(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	body := map[string]any{"baseModel": "m", "name": "accounts/acct/deployments/mine", "deploymentId": "mine"}
	status, resp := do(t, fake, "POST", deployments, body)
	if status != http.StatusOK {
		t.Fatalf("create: %d %s", status, resp)
	}
	name, _ := decode(t, resp)["name"].(string)
	if !strings.HasPrefix(name, "accounts/acct/deployments/") || strings.HasSuffix(name, "/mine") {
		t.Errorf("created %s, want a generated id", name)
	}
	if _, ok := fake.Resource("accounts/acct/deployments/mine"); ok {
		t.Error("the id in the body named the deployment")
	}

	strict, _ := gatewaytest.Start(t, gatewaytest.WithStrictBodies())
	status, resp = do(t, strict, "POST", deployments, map[string]any{"baseModel": "m", "deploymentId": "mine"})
	if status != http.StatusBadRequest || !strings.Contains(string(resp), "/deploymentId") {
		t.Errorf("strict mode: %d %s, want 400 naming /deploymentId", status, resp)
	}
}

// TestDeploymentFailure: SetState forces FAILED with a status message
// that a client reads; the message is the test's, the code UNKNOWN.
func TestDeploymentFailure(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	do(t, fake, "POST", deployments+"?deploymentId=d1", deploymentBody)
	fake.SetState("accounts/acct/deployments/d1", "FAILED", "no capacity for H100 in us-iowa-1")
	_, body := do(t, fake, "GET", deployments+"/d1", nil)
	got := decode(t, body)
	st, _ := got["status"].(map[string]any)
	if got["state"] != "FAILED" || st["message"] != "no capacity for H100 in us-iowa-1" || st["code"] != "UNKNOWN" {
		t.Errorf("after SetState: %s", body)
	}
	wantStates(t, states(t, fake, deployments+"/d1", 3), "FAILED", "FAILED", "FAILED")
}

// TestListFiltersAndOrder: a filter of field comparisons selects; orderBy
// orders by name, createTime or updateTime, either way; page tokens carry
// them, and refuse another; what the fake cannot interpret is 400, never
// ignored.
func TestListFiltersAndOrder(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	for _, id := range []string{"b", "c", "a"} {
		do(t, fake, "POST", deployments+"?deploymentId="+id, map[string]any{"baseModel": "m", "displayName": "team " + id})
		fake.Advance(1)
	}
	fake.SetState("accounts/acct/deployments/c", "FAILED", "")
	tests := []struct {
		query string
		want  string // names, or the status when not 200
	}{
		{"", "a b c"},
		{"orderBy=name+desc", "c b a"},
		{"orderBy=createTime", "b c a"},
		{"orderBy=create_time+DESC", "a c b"},
		{"filter=" + url.QueryEscape("state=FAILED"), "c"},
		{"filter=" + url.QueryEscape(`state != FAILED AND displayName = "team a"`), "a"},
		{"filter=" + url.QueryEscape("autoscalingPolicy.scaleUpWindow = 60s"), ""},
		{"filter=" + url.QueryEscape("state=READY OR state=FAILED"), "400"},
		{"filter=" + url.QueryEscape("replicaCount > 1"), "400"},
		{"filter=" + url.QueryEscape("noSuchField = 1"), "400"},
		{"orderBy=displayName", "400"},
	}
	for _, tc := range tests {
		status, body := do(t, fake, "GET", deployments+"?"+tc.query, nil)
		got := strconv.Itoa(status)
		if status == http.StatusOK {
			got = strings.Join(names(t, body), " ")
		}
		if got != tc.want {
			t.Errorf("?%s: %q (%d %s), want %q", tc.query, got, status, body, tc.want)
		}
	}

	// A token is bound to its listing.
	_, body := do(t, fake, "GET", deployments+"?pageSize=1&orderBy=name+desc", nil)
	tok, _ := decode(t, body)["nextPageToken"].(string)
	if status, _ := do(t, fake, "GET", deployments+"?pageSize=1&orderBy=name+desc&pageToken="+tok, nil); status != http.StatusOK {
		t.Errorf("the next page of the same listing: %d", status)
	}
	if status, _ := do(t, fake, "GET", deployments+"?pageSize=1&pageToken="+tok, nil); status != http.StatusBadRequest {
		t.Errorf("a token of another orderBy: %d, want 400", status)
	}
}

// listNames lists a collection (one page) and returns the ids.
func listNames(t *testing.T, fake *gatewaytest.Server, path, query string) []string {
	t.Helper()
	status, body := do(t, fake, "GET", path+"?"+query, nil)
	if status != http.StatusOK {
		t.Fatalf("list: %d %s", status, body)
	}
	return names(t, body)
}

// names returns the ids of the items of a list answer.
func names(t *testing.T, body []byte) []string {
	t.Helper()
	var out []string
	for key, v := range decode(t, body) {
		items, ok := v.([]any)
		if !ok || key == "nextPageToken" {
			continue
		}
		for _, it := range items {
			name, _ := it.(map[string]any)["name"].(string)
			out = append(out, name[strings.LastIndexByte(name, '/')+1:])
		}
	}
	return out
}
