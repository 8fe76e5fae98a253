package gatewaytest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

// do sends a request to the fake as a client in another language would:
// a JSON body (when not nil), the Bearer key, and the answer read whole.
func do(t *testing.T, fake *gatewaytest.Server, method, path string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		raw, ok := body.([]byte)
		if !ok {
			var err error
			if raw, err = json.Marshal(body); err != nil {
				t.Fatal(err)
			}
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, fake.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+gatewaytest.APIKey)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

// hide replaces secret values in a failure message: a test reports that a
// secret leaked, never the secret itself.
func hide(text string, secrets ...string) string {
	for _, s := range secrets {
		text = strings.ReplaceAll(text, s, "[SECRET]")
	}
	return text
}

// decode unmarshals a JSON answer, failing the test when it is not one.
func decode(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("not a JSON object: %s", data)
	}
	return v
}

// uploadURLs asks an upload endpoint (itemPath + ":getUploadEndpoint")
// for the signed URLs of files of the given sizes.
func uploadURLs(t *testing.T, fake *gatewaytest.Server, itemPath string, sizes map[string]int) map[string]string {
	t.Helper()
	declared := map[string]string{}
	for f, n := range sizes {
		declared[f] = strconv.Itoa(n)
	}
	status, body := do(t, fake, "POST", itemPath+":getUploadEndpoint", map[string]any{"filenameToSize": declared})
	if status != http.StatusOK {
		t.Fatalf("upload endpoint: %d %s", status, body)
	}
	var out struct{ FilenameToSignedUrls map[string]string }
	if err := json.Unmarshal(body, &out); err != nil || len(out.FilenameToSignedUrls) != len(sizes) {
		t.Fatalf("upload endpoint answered %s", body)
	}
	return out.FilenameToSignedUrls
}

// put sends data to a signed URL as a GCS client does: Content-Type
// application/octet-stream and x-goog-content-length-range size,size,
// and no Authorization. edit may change the request first.
func put(t *testing.T, url string, data []byte, size int, edit func(*http.Request)) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, url, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("X-Goog-Content-Length-Range", strconv.Itoa(size)+","+strconv.Itoa(size))
	if edit != nil {
		edit(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// uploadFile declares one file on a resource and uploads it.
func uploadFile(t *testing.T, fake *gatewaytest.Server, itemPath, file string, data []byte) {
	t.Helper()
	url := uploadURLs(t, fake, itemPath, map[string]int{file: len(data)})[file]
	if status, body := put(t, url, data, len(data), nil); status != http.StatusOK {
		t.Fatalf("PUT %s: %d %s", file, status, body)
	}
}
