package api_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/synctest"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// TestFineTuningJobOutputsDownloadAgainstTheFake: a supervised
// fine-tuning job created on the fake, waited for, publishes its metrics
// file and trainer logs (the fake fills metricsFileSignedUrl and
// trainerLogsSignedUrl with files of its storage) and its output model
// (created READY); the generated DownloadMetricsFile and
// DownloadTrainerLogs fetch the very bytes storage holds, reporting
// progress, never with the API key.
func TestFineTuningJobOutputsDownloadAgainstTheFake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake, c := memoryClient(t, gatewaytest.WithSettleReads(2))
		ctx := context.Background()
		id := "j1"
		if _, err := c.SupervisedFineTuningJobs.Create(ctx, &gen.CreateSupervisedFineTuningJobParams{SupervisedFineTuningJobID: &id},
			gen.SupervisedFineTuningJob{Dataset: "accounts/acct/datasets/d"}); err != nil {
			t.Fatal(err)
		}
		// Still running: no file yet, a typed error, nothing written.
		dir := t.TempDir()
		if _, err := c.SupervisedFineTuningJobs.DownloadMetricsFile(ctx, "j1", dir); !errors.Is(err, api.ErrNoFile) || errors.Is(err, api.ErrNotFound) {
			t.Fatalf("a running job's metrics file: %v, want ErrNoFile", err)
		}
		job, err := c.SupervisedFineTuningJobs.Wait(ctx, "j1")
		if err != nil {
			t.Fatal(err)
		}
		if job.MetricsFileSignedURL == nil || job.TrainerLogsSignedURL == nil || job.OutputModel == nil || *job.OutputModel != "accounts/acct/models/j1" {
			t.Fatalf("the completed job = %+v, want its signed URLs and output model", job)
		}
		model, err := c.Models.Get(ctx, "j1", nil)
		if err != nil || model.State == nil || *model.State != gen.ModelStateReady {
			t.Errorf("the output model: %+v, %v", model, err)
		}
		var progress []api.TransferProgress
		for _, out := range []struct {
			file     string
			download func(context.Context, string, string, ...api.TransferOption) ([]string, error)
		}{
			{"metrics-file", c.SupervisedFineTuningJobs.DownloadMetricsFile},
			{"trainer-logs", c.SupervisedFineTuningJobs.DownloadTrainerLogs},
		} {
			paths, err := out.download(ctx, "j1", dir, api.OnTransferProgress(func(p api.TransferProgress) { progress = append(progress, p) }))
			if err != nil || len(paths) != 1 || paths[0] != filepath.Join(dir, out.file) {
				t.Fatalf("%s: %v, %v", out.file, paths, err)
			}
			got, _ := os.ReadFile(paths[0])
			want, ok := fake.h.StoredFile("accounts/acct/supervisedFineTuningJobs/j1", out.file)
			if !ok || len(want) == 0 || string(got) != string(want) {
				t.Errorf("%s: downloaded %q, storage holds %q", out.file, got, want)
			}
		}
		if len(progress) == 0 || progress[len(progress)-1].FilesDone != 1 {
			t.Errorf("progress = %+v", progress)
		}
		gets := 0
		for _, r := range fake.h.StorageRequests() {
			if r.AuthorizationSent {
				t.Errorf("the API key went to storage: %+v", r)
			}
			if r.Method == "GET" && r.Status == 200 {
				gets++
			}
		}
		if gets != 2 {
			t.Errorf("%d storage GETs, want 2", gets)
		}
	})
}

// TestJobOutputsOfAMissingJobAreNotFound: the outputs of a job that does
// not exist, through a field (Get) or an endpoint (DPO jobs'
// :getMetricsFileEndpoint), are ErrNotFound as an *api.Error (a 404 of
// the fake), not a missing file; a DPO job that completed hands its
// metrics file out through its endpoint and its trainer logs through its
// field.
func TestJobOutputsOfAMissingJobAreNotFound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake, c := memoryClient(t)
		ctx := context.Background()
		for name, download := range map[string]func(context.Context, string, string, ...api.TransferOption) ([]string, error){
			"SupervisedFineTuningJobs.DownloadMetricsFile": c.SupervisedFineTuningJobs.DownloadMetricsFile,
			"DpoJobs.DownloadMetricsFile":                  c.DpoJobs.DownloadMetricsFile,
			"DpoJobs.DownloadTrainerLogs":                  c.DpoJobs.DownloadTrainerLogs,
		} {
			_, err := download(ctx, "nope", t.TempDir())
			var apiErr *api.Error
			if !errors.As(err, &apiErr) || !errors.Is(err, api.ErrNotFound) || apiErr.StatusCode != 404 || errors.Is(err, api.ErrNoFile) {
				t.Errorf("%s of a missing job: %v, want a 404 *api.Error", name, err)
			}
		}
		id := "p1"
		if _, err := c.DpoJobs.Create(ctx, &gen.CreateDpoJobParams{DpoJobID: &id}, gen.DpoJob{Dataset: "accounts/acct/datasets/d"}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.DpoJobs.Wait(ctx, "p1"); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		for _, file := range []string{"metrics-file", "trainer-logs"} {
			download := c.DpoJobs.DownloadMetricsFile
			if file == "trainer-logs" {
				download = c.DpoJobs.DownloadTrainerLogs
			}
			if _, err := download(ctx, "p1", dir); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			got, _ := os.ReadFile(filepath.Join(dir, file))
			want, _ := fake.h.StoredFile("accounts/acct/dpoJobs/p1", file)
			if len(want) == 0 || string(got) != string(want) {
				t.Errorf("%s: %q, storage holds %q", file, got, want)
			}
		}
	})
}
