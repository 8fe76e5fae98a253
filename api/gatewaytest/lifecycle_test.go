package gatewaytest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

const sftJobs = "/v1/accounts/acct/supervisedFineTuningJobs"

// TestJobVerbsActOnState: a job is created JOB_STATE_CREATING; :cancel
// moves a job that is moving through JOB_STATE_CANCELLING to
// JOB_STATE_CANCELLED; :resume moves a cancelled (or failed) job to
// JOB_STATE_RUNNING, which completes; a verb that makes no sense in the
// job's state is 400 FAILED_PRECONDITION.
func TestJobVerbsActOnState(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	body, err := gatewaytest.SynthesizeRequest(gen.OpCreateSupervisedFineTuningJob)
	if err != nil {
		t.Fatal(err)
	}
	if status, resp := do(t, fake, "POST", sftJobs+"?supervisedFineTuningJobId=j1", body); status != http.StatusOK || decode(t, resp)["state"] != "JOB_STATE_CREATING" {
		t.Fatalf("create: %d %s", status, resp)
	}
	const j1 = sftJobs + "/j1"
	steps := []struct {
		verb       string
		wantStatus int
		thenReads  []string
	}{
		{"cancel", http.StatusOK, []string{"JOB_STATE_CANCELLING", "JOB_STATE_CANCELLING", "JOB_STATE_CANCELLED"}},
		{"cancel", http.StatusBadRequest, []string{"JOB_STATE_CANCELLED"}},
		{"resume", http.StatusOK, []string{"JOB_STATE_RUNNING", "JOB_STATE_RUNNING", "JOB_STATE_COMPLETED"}},
		{"resume", http.StatusBadRequest, []string{"JOB_STATE_COMPLETED"}},
		{"cancel", http.StatusBadRequest, []string{"JOB_STATE_COMPLETED"}},
	}
	for i, step := range steps {
		status, resp := do(t, fake, "POST", j1+":"+step.verb, map[string]any{})
		if status != step.wantStatus {
			t.Fatalf("step %d, :%s: %d %s, want %d", i, step.verb, status, resp, step.wantStatus)
		}
		if status == http.StatusBadRequest && decode(t, resp)["code"] != 9.0 {
			t.Errorf("step %d, :%s: %s, want FAILED_PRECONDITION", i, step.verb, resp)
		}
		wantStates(t, states(t, fake, j1, len(step.thenReads)), step.thenReads...)
	}
}

// TestSettleByReads: WithSettleReads sets how many reads see the
// transitional state; a List that shows a resource counts as a read.
func TestSettleByReads(t *testing.T) {
	for _, tc := range []struct {
		reads int
		want  []string
	}{
		{0, []string{"READY", "READY"}},
		{1, []string{"CREATING", "READY"}},
		{3, []string{"CREATING", "CREATING", "CREATING", "READY"}},
	} {
		fake, _ := gatewaytest.Start(t, gatewaytest.WithSettleReads(tc.reads))
		do(t, fake, "POST", deployments+"?deploymentId=d1", deploymentBody)
		wantStates(t, states(t, fake, deployments+"/d1", len(tc.want)), tc.want...)
	}

	fake, _ := gatewaytest.Start(t)
	do(t, fake, "POST", deployments+"?deploymentId=d1", deploymentBody)
	listNames(t, fake, deployments, "")
	listNames(t, fake, deployments, "")
	wantStates(t, states(t, fake, deployments+"/d1", 1), "READY")
}

// TestSettleByAdvance: with WithSettleAfter, reads do not move a
// resource; time does, and Advance steps the fake's clock.
func TestSettleByAdvance(t *testing.T) {
	fake, _ := gatewaytest.Start(t, gatewaytest.WithSettleAfter(10*time.Minute))
	do(t, fake, "POST", deployments+"?deploymentId=d1", deploymentBody)
	wantStates(t, states(t, fake, deployments+"/d1", 5), "CREATING", "CREATING", "CREATING", "CREATING", "CREATING")
	fake.Advance(9 * time.Minute)
	wantStates(t, states(t, fake, deployments+"/d1", 1), "CREATING")
	fake.Advance(time.Minute)
	wantStates(t, states(t, fake, deployments+"/d1", 1), "READY")
	if got := fake.State("accounts/acct/deployments/d1"); got != "READY" {
		t.Errorf("State = %q", got)
	}
}

// TestSettleInASynctestBubble: the handler runs in the bubble (no
// network), so virtual time settles a resource: a test of a waiter takes
// no real time.
func TestSettleInASynctestBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, err := gatewaytest.NewHandler(gatewaytest.WithSettleAfter(5*time.Minute), gatewaytest.WithReporter(t))
		if err != nil {
			t.Fatal(err)
		}
		serve := func(method, path, body string) (int, string) {
			req := httptest.NewRequest(method, path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer k")
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec.Code, rec.Body.String()
		}
		start := time.Now()
		if code, body := serve("POST", deployments+"?deploymentId=d1", `{"baseModel":"m"}`); code != 200 {
			t.Fatalf("create: %d %s", code, body)
		}
		poll := 0
		for {
			_, body := serve("GET", deployments+"/d1", "")
			if strings.Contains(body, `"state":"READY"`) {
				break
			}
			poll++
			time.Sleep(30 * time.Second) // a waiter's poll interval, in virtual time
		}
		if waited := time.Since(start); waited != 5*time.Minute || poll != 10 {
			t.Errorf("READY after %v and %d polls, want 5m0s and 10", waited, poll)
		}
	})
}

// TestUploadingWaitsForTheUpload: a dataset (UPLOADING, with an upload
// endpoint) does not settle by reads; Validate*Upload moves it.
func TestUploadingWaitsForTheUpload(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	createDataset(t, fake, "ds1")
	wantStates(t, states(t, fake, datasets+"/ds1", 4), "UPLOADING", "UPLOADING", "UPLOADING", "UPLOADING")
}
