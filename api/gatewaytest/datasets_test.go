package gatewaytest_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

const datasets = "/v1/accounts/acct/datasets"

// createDataset creates a dataset as firectl does: the dataset wrapped
// beside its id ({"dataset": {...}, "datasetId": ...}).
func createDataset(t *testing.T, fake *gatewaytest.Server, id string) {
	t.Helper()
	body := map[string]any{"datasetId": id, "dataset": map[string]any{"displayName": "chats", "format": "CHAT"}}
	status, resp := do(t, fake, "POST", datasets, body)
	if status != http.StatusOK {
		t.Fatalf("create dataset: %d %s", status, resp)
	}
	got := decode(t, resp)
	if got["name"] != "accounts/acct/datasets/"+id || got["state"] != "UPLOADING" || got["displayName"] != "chats" {
		t.Fatalf("created %s", resp)
	}
}

// TestDatasetUpload: the upload endpoint declares files and hands out
// signed PUT URLs on the fake's storage; Validate*Upload fails with
// FAILED_PRECONDITION until every declared file arrived with its size,
// then the dataset is READY; the download endpoint serves the bytes
// through signed GET URLs; deleting the dataset deletes its files.
func TestDatasetUpload(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	createDataset(t, fake, "ds1")
	const ds1 = datasets + "/ds1"
	train, eval := []byte(`{"messages":[{"role":"user","content":"hi"}]}`+"\n"), []byte("{}\n")

	urls := uploadURLs(t, fake, ds1, map[string]int{"train.jsonl": len(train), "eval.jsonl": len(eval)})
	for file, u := range urls {
		parsed, err := url.Parse(u)
		if err != nil || !strings.HasPrefix(u, fake.URL+"/_gatewaytest/storage/accounts/acct/datasets/ds1/") ||
			parsed.Query().Get("X-Goog-Signature") == "" || parsed.Query().Get("X-Goog-Expires") != "900" {
			t.Errorf("%s: signed URL %s", file, u)
		}
	}
	validate := func() (int, map[string]any) {
		status, body := do(t, fake, "POST", ds1+":validateUpload", map[string]any{})
		return status, decode(t, body)
	}
	if status, body := validate(); status != http.StatusBadRequest || body["code"] != 9.0 {
		t.Errorf("validate before any upload: %d %v, want 400 FAILED_PRECONDITION", status, body)
	}
	if status, body := put(t, urls["train.jsonl"], train, len(train), nil); status != http.StatusOK {
		t.Fatalf("PUT train.jsonl: %d %s", status, body)
	}
	if status, body := validate(); status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(body["message"]), "eval.jsonl") {
		t.Errorf("validate with a file missing: %d %v, want 400 naming eval.jsonl", status, body)
	}
	if status, body := put(t, urls["eval.jsonl"], eval, len(eval), nil); status != http.StatusOK {
		t.Fatalf("PUT eval.jsonl: %d %s", status, body)
	}
	if status, body := validate(); status != http.StatusOK {
		t.Fatalf("validate: %d %v", status, body)
	}
	wantStates(t, states(t, fake, ds1, 1), "READY")
	if got, _ := fake.StoredFile("accounts/acct/datasets/ds1", "train.jsonl"); !bytes.Equal(got, train) {
		t.Errorf("stored %q", got)
	}

	status, body := do(t, fake, "GET", ds1+":getDownloadEndpoint", nil)
	if status != http.StatusOK {
		t.Fatalf("download endpoint: %d %s", status, body)
	}
	links, _ := decode(t, body)["filenameToSignedUrls"].(map[string]any)
	if len(links) != 2 {
		t.Fatalf("download endpoint answered %s", body)
	}
	resp, err := http.Get(links["train.jsonl"].(string))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, train) || resp.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("download: %d %q", resp.StatusCode, got)
	}

	if status, _ := do(t, fake, "DELETE", ds1, nil); status != http.StatusOK {
		t.Fatal("delete")
	}
	if _, ok := fake.StoredFile("accounts/acct/datasets/ds1", "train.jsonl"); ok {
		t.Error("the files outlived their dataset")
	}
	resp, err = http.Get(links["train.jsonl"].(string))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("download after delete: %d, want 404", resp.StatusCode)
	}
}

// TestStorageRefusesWhatGCSRefuses: a PUT to a signed URL succeeds only as
// Google Cloud Storage would take it; each other request gets GCS's
// status and XML error code, and is recorded.
func TestStorageRefusesWhatGCSRefuses(t *testing.T) {
	data := []byte("0123456789")
	tamper := func(param, value string) func(string) string {
		return func(u string) string {
			p, _ := url.Parse(u)
			q := p.Query()
			q.Set(param, value)
			p.RawQuery = q.Encode()
			return p.String()
		}
	}
	tests := []struct {
		name       string
		url        func(string) string
		body       []byte
		edit       func(*http.Request)
		advance    time.Duration
		wantStatus int
		wantCode   string
	}{
		{name: "as signed", wantStatus: 200},
		{name: "a byte short", body: data[:9], wantStatus: 400, wantCode: "EntityTooSmall"},
		{name: "a byte too many", body: append(append([]byte(nil), data...), '!'), wantStatus: 400, wantCode: "EntityTooLarge"},
		{name: "another size range", edit: func(r *http.Request) { r.Header.Set("X-Goog-Content-Length-Range", "0,100") }, wantStatus: 403, wantCode: "SignatureDoesNotMatch"},
		{name: "no size range", edit: func(r *http.Request) { r.Header.Del("X-Goog-Content-Length-Range") }, wantStatus: 403, wantCode: "SignatureDoesNotMatch"},
		{name: "another content type", edit: func(r *http.Request) { r.Header.Set("Content-Type", "application/json") }, wantStatus: 403, wantCode: "SignatureDoesNotMatch"},
		{name: "a forged signature", url: tamper("X-Goog-Signature", strings.Repeat("ab", 32)), wantStatus: 403, wantCode: "SignatureDoesNotMatch"},
		{name: "a longer expiry", url: tamper("X-Goog-Expires", "3600"), wantStatus: 403, wantCode: "SignatureDoesNotMatch"},
		{name: "a signature that is not hex", url: tamper("X-Goog-Signature", "not-hex"), wantStatus: 400, wantCode: "InvalidArgument"},
		{name: "unsigned", url: func(u string) string { return u[:strings.IndexByte(u, '?')] }, wantStatus: 403, wantCode: "AccessDenied"},
		{name: "expired", advance: 15*time.Minute + time.Second, wantStatus: 400, wantCode: "ExpiredToken"},
		{name: "the API key too", edit: func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+gatewaytest.APIKey) }, wantStatus: 400, wantCode: "InvalidArgument"},
		{name: "chunked, without a Content-Length", edit: func(r *http.Request) { r.ContentLength = -1; r.Body = io.NopCloser(bytes.NewReader(data)) }, wantStatus: 411, wantCode: "MissingContentLength"},
		{name: "a GET of a PUT URL", edit: func(r *http.Request) { r.Method = http.MethodGet; r.Body = http.NoBody; r.ContentLength = 0 }, wantStatus: 403, wantCode: "SignatureDoesNotMatch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake, _ := gatewaytest.Start(t)
			createDataset(t, fake, "ds1")
			u := uploadURLs(t, fake, datasets+"/ds1", map[string]int{"f.jsonl": len(data)})["f.jsonl"]
			if tc.url != nil {
				u = tc.url(u)
			}
			body := data
			if tc.body != nil {
				body = tc.body
			}
			fake.Advance(tc.advance)
			status, resp := put(t, u, body, len(data), tc.edit)
			if status != tc.wantStatus || (tc.wantCode != "" && !strings.Contains(string(resp), "<Code>"+tc.wantCode+"</Code>")) {
				t.Fatalf("%d %s, want %d %s", status, resp, tc.wantStatus, tc.wantCode)
			}
			log := fake.StorageRequests()
			if len(log) != 1 || log[0].Status != tc.wantStatus || log[0].Code != tc.wantCode || log[0].Object != "accounts/acct/datasets/ds1/f.jsonl" {
				t.Errorf("recorded %+v", log)
			}
			if _, stored := fake.StoredFile("accounts/acct/datasets/ds1", "f.jsonl"); stored != (tc.wantStatus == 200) {
				t.Errorf("stored: %v", stored)
			}
		})
	}
}

// TestTheAPIKeyNeverReachesStorage: a client that sends its API key with
// an upload is refused, and the fake records that it did without keeping
// the key anywhere: not in the storage log, the journal, or a dump.
func TestTheAPIKeyNeverReachesStorage(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	createDataset(t, fake, "ds1")
	u := uploadURLs(t, fake, datasets+"/ds1", map[string]int{"f.jsonl": 3})["f.jsonl"]
	status, _ := put(t, u, []byte("abc"), 3, func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+gatewaytest.APIKey) })
	if status != http.StatusBadRequest {
		t.Fatalf("PUT with the API key: %d, want 400", status)
	}
	log := fake.StorageRequests()
	if len(log) != 1 || !log[0].AuthorizationSent {
		t.Errorf("the storage log does not show the Authorization header was sent: %+v", log)
	}
	var dump bytes.Buffer
	if err := fake.Dump(&dump); err != nil {
		t.Fatal(err)
	}
	for where, text := range map[string]string{"storage log": fmt.Sprintf("%+v", log), "journal": fmt.Sprintf("%+v", fake.Journal()), "dump": dump.String()} {
		if strings.Contains(text, gatewaytest.APIKey) {
			t.Errorf("the API key is in the %s", where)
		}
	}
}
