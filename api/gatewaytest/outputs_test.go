package gatewaytest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

// TestJobsPublishTheirOutputsWhenTheyComplete: as a client in another
// language sees it, a DPO job's :getMetricsFileEndpoint answers 404 for a
// job that does not exist, {} while the job runs, and a signed URL of
// storage once it completed, where its metrics file is; its Get then
// shows trainerLogsSignedUrl and trainingConfig.outputModel, a model
// that exists, READY.
func TestJobsPublishTheirOutputsWhenTheyComplete(t *testing.T) {
	fake, _ := gatewaytest.Start(t, gatewaytest.WithSettleReads(1))
	const jobs = "/v1/accounts/acct/dpoJobs"
	if status, _ := do(t, fake, "GET", jobs+"/nope:getMetricsFileEndpoint", nil); status != http.StatusNotFound {
		t.Errorf("a missing job's endpoint: %d, want 404", status)
	}
	if status, body := do(t, fake, "POST", jobs+"?dpoJobId=p1", map[string]any{"dataset": "accounts/acct/datasets/d"}); status != http.StatusOK {
		t.Fatalf("create: %d %s", status, body)
	}
	if status, body := do(t, fake, "GET", jobs+"/p1:getMetricsFileEndpoint", nil); status != http.StatusOK || strings.TrimSpace(string(body)) != "{}" {
		t.Errorf("a running job's endpoint: %d %s, want {}", status, body)
	}
	var job map[string]any
	for range 3 { // reads settle it
		_, body := do(t, fake, "GET", jobs+"/p1", nil)
		job = decode(t, body)
	}
	config, _ := job["trainingConfig"].(map[string]any)
	if job["state"] != "JOB_STATE_COMPLETED" || config["outputModel"] != "accounts/acct/models/p1" {
		t.Fatalf("the job = %v, want COMPLETED with its output model", job)
	}
	logs, _ := job["trainerLogsSignedUrl"].(string)
	if !strings.HasPrefix(logs, fake.URL+"/_gatewaytest/storage/accounts/acct/dpoJobs/p1/trainer-logs?") {
		t.Errorf("trainerLogsSignedUrl = %q", logs)
	}
	_, body := do(t, fake, "GET", jobs+"/p1:getMetricsFileEndpoint", nil)
	metrics, _ := decode(t, body)["signedUrl"].(string)
	for _, u := range []string{logs, metrics} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(data), "gatewaytest ") || !strings.Contains(string(data), "accounts/acct/dpoJobs/p1") {
			t.Errorf("GET %s: %d %q", u, resp.StatusCode, data)
		}
	}
	if got := fake.State("accounts/acct/models/p1"); got != "READY" {
		t.Errorf("the output model is %q, want READY", got)
	}
}
