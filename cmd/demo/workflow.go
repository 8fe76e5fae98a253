package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// workflow creates a dataset, uploads a generated file to it with a
// progress bar and waits for it, then creates a deployment and waits for
// it; both are deleted at the end, even when a step fails.
func workflow(ctx context.Context, out *printer, c *api.Client, fake *gatewaytest.Server, model string, size int64) (err error) {
	step := func(n int, what string) { out.printf("%d. %s\n", n, what) }
	done := func(format string, args ...any) { out.printf("   ok: "+format+"\n", args...) }
	out.println("\nWorkflows: a dataset and a deployment")
	datasetID := "sdk-demo-" + randomSuffix()

	step(7, fmt.Sprintf("create dataset %s", datasetID))
	if _, err := c.Datasets.Create(ctx, gen.CreateDatasetBody{DatasetID: datasetID, Dataset: gen.Dataset{DisplayName: api.Ptr("SDK demo")}}); err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, ignoreNotFound(c.Datasets.Delete(context.WithoutCancel(ctx), datasetID)))
	}()
	done("created accounts/%s/datasets/%s", c.Account(), datasetID)

	step(8, fmt.Sprintf("upload a generated %.1f MiB train.jsonl through its signed URL (no API key goes to storage)", float64(size)/(1<<20)))
	if fake != nil {
		fake.Inject(gen.OpGetDatasetUploadEndpoint, gatewaytest.Fault{Status: 503, RetryAfterMs: "300", Message: "the fake is unavailable, once", Times: 1})
		out.println("   (the fake will answer the upload endpoint with 503 and retry-after-ms: 300 once)")
	}
	bar := progressbar.NewOptions64(size, progressbar.OptionSetWriter(out), progressbar.OptionSetWidth(30),
		progressbar.OptionShowBytes(true), progressbar.OptionSetDescription("   train.jsonl"),
		progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionOnCompletion(func() { out.println() }))
	file := api.FileFromReader("train.jsonl", &examples{left: size}, size)
	start := time.Now()
	err = c.Datasets.Upload(ctx, datasetID, []api.File{file}, api.WaitAfterUpload(),
		api.OnTransferProgress(func(p api.TransferProgress) { _ = bar.Set64(p.Done) }),
		api.OnWaitProgress(func(p api.WaitProgress) { out.printf("   dataset %s (poll %d)\n", p.State, p.Polls) }))
	if err != nil {
		return err
	}
	done("uploaded, validated and READY in %v", time.Since(start).Round(time.Millisecond))
	if fake != nil {
		stored, _ := fake.StoredFile("accounts/"+c.Account()+"/datasets/"+datasetID, "train.jsonl")
		withKey := 0
		for _, r := range fake.StorageRequests() {
			if r.AuthorizationSent {
				withKey++
			}
		}
		done("the fake's storage holds %d bytes; requests to storage with an API key: %d", len(stored), withKey)
	}

	step(9, "create a deployment of "+model+" and wait until it is READY")
	dep, err := c.Deployments.Create(ctx, nil, gen.Deployment{BaseModel: model, DisplayName: api.Ptr("SDK demo"), MinReplicaCount: api.Ptr(int32(0))})
	if err != nil {
		return err
	}
	id := lastElement(derefString(dep.Name))
	defer func() {
		err = errors.Join(err, ignoreNotFound(c.Deployments.Delete(context.WithoutCancel(ctx), id, nil)))
	}()
	dep, err = c.Deployments.Wait(ctx, id, api.OnWaitProgress(func(p api.WaitProgress) {
		out.printf("   deployment %s after %v (poll %d)\n", p.State, p.Elapsed.Round(100*time.Millisecond), p.Polls)
	}))
	if err != nil {
		return err
	}
	done("%s is %s", derefString(dep.Name), *dep.State)

	out.println("\nDone. (the demo's dataset and deployment are deleted now)")
	return nil
}

// examples generates JSON lines of a chat dataset, as many bytes as asked.
type examples struct {
	left int64
	line []byte
	pos  int
}

func (e *examples) Read(p []byte) (int, error) {
	if e.left == 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && e.left > 0 {
		if e.pos == len(e.line) {
			e.line = []byte(`{"messages":[{"role":"user","content":"What is 2+2?"},{"role":"assistant","content":"4"}]}` + "\n")
			e.pos = 0
		}
		c := copy(p[n:min(len(p), n+int(e.left))], e.line[e.pos:])
		n, e.pos, e.left = n+c, e.pos+c, e.left-int64(c)
	}
	return n, nil
}

func ignoreNotFound(err error) error {
	if errors.Is(err, api.ErrNotFound) {
		return nil
	}
	return err
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func lastElement(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' {
			return name[i+1:]
		}
	}
	return name
}
