package transferbench

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
)

// TestPatternIsTheSameWhateverTheReadSizes: a Pattern gives exactly its
// length, 'a' to 'z' over and over, read one byte at a time or all at
// once.
func TestPatternIsTheSameWhateverTheReadSizes(t *testing.T) {
	const n = 10_000
	var want bytes.Buffer
	for i := range n {
		want.WriteByte(byte('a' + i%26))
	}
	whole, err := io.ReadAll(NewPattern(n))
	if err != nil || !bytes.Equal(whole, want.Bytes()) {
		t.Fatalf("read whole: %d bytes, %v", len(whole), err)
	}
	if err := iotest.TestReader(NewPattern(n), want.Bytes()); err != nil {
		t.Fatal(err)
	}
}

// TestTheServerServesTheWorkflow: the upload endpoint's URL takes a PUT of
// the announced size without credentials, and refuses one with; the
// download's file is FileSize bytes whose md5 is the one announced.
func TestTheServerServesTheWorkflow(t *testing.T) {
	srv := NewServer(t)
	ctx := context.Background()
	post := func(path, body string) *http.Response {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/v1/accounts/a/datasets/d"+path, strings.NewReader(body))
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	var endpoint struct{ FilenameToSignedUrls map[string]string }
	resp := post(":getUploadEndpoint", `{"filenameToSize":{"x.bin":"3"}}`)
	decode(t, resp, &endpoint)
	put := func(auth string) int {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, endpoint.FilenameToSignedUrls["x.bin"], strings.NewReader("abc"))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	Put(t, srv.Client(), endpoint.FilenameToSignedUrls["x.bin"]) // FileSize bytes to the same URL
	if got := put(""); got != http.StatusOK {
		t.Errorf("PUT to the signed URL: %d", got)
	}
	if got := put("Bearer k"); got != http.StatusBadRequest {
		t.Errorf("PUT with a key: %d, want 400", got)
	}
	var download struct{ FilenameToSignedUrls map[string]string }
	decode(t, post(":getDownloadEndpoint", `{}`), &download)
	get, err := srv.Client().Get(download.FilenameToSignedUrls["data.bin"])
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = get.Body.Close() }()
	sum := md5.New()
	n, err := io.Copy(sum, get.Body)
	want := "md5=" + base64.StdEncoding.EncodeToString(sum.Sum(nil))
	if err != nil || n != FileSize || !strings.Contains(strings.Join(get.Header.Values("X-Goog-Hash"), ","), want) {
		t.Errorf("download: %d bytes, %v, x-goog-hash %v, want %s", n, err, get.Header.Values("X-Goog-Hash"), want)
	}
}

func decode(t *testing.T, resp *http.Response, into any) {
	t.Helper()
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, into); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
}
