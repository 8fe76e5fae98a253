package api_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// A dataset's files are uploaded and downloaded through signed URLs of
// storage: each transfer goes on as long as bytes move, and is abandoned
// (then retried) after WithTransferIdleTimeout without one; a file whose
// size storage does not announce is bounded by WithMaxDownloadSize.
func ExampleDatasetsService_Download() {
	fake, err := gatewaytest.NewServer(gatewaytest.WithSettleReads(0))
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	client, err := fake.NewClient(api.WithAccount("acct"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := client.Datasets.Create(ctx, gen.CreateDatasetBody{DatasetID: "ds1", Dataset: gen.Dataset{}}); err != nil {
		log.Fatal(err)
	}
	data := `{"messages":[{"role":"user","content":"hi"}]}` + "\n"
	if err := client.Datasets.Upload(ctx, "ds1", []api.File{api.FileFromReader("train.jsonl", strings.NewReader(data), int64(len(data)))}); err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "datasets")
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()

	paths, err := client.Datasets.Download(ctx, "ds1", dir,
		api.WithTransferIdleTimeout(2*time.Minute), api.WithMaxDownloadSize(1<<30))
	switch {
	case errors.Is(err, api.ErrTransferStalled):
		log.Fatal("storage stopped sending: ", err)
	case err != nil:
		log.Fatal(err)
	}
	got, _ := os.ReadFile(paths[0])
	fmt.Println(filepath.Base(paths[0]), len(got) == len(data))
	// Output: train.jsonl true
}
