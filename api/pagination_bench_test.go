package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// BenchmarkListSecrets lists 10,000 secrets in pages of 200, side by side
// in one run: a hand-written page loop over raw net/http and encoding/json
// (the floor), over the bare generated client (the baseline of the
// wrapper), and over the wrapper; and the wrapper's generated iterator
// (ListSecretsAll), against the wrapper's page loop. The server hands out
// pages encoded in advance, so that what is measured is the client. It
// reports allocations per item and the peak heap seen between pages.
func BenchmarkListSecrets(b *testing.B) {
	const total, pageSize = 10_000, 200
	srv := httptest.NewServer(pagesHandler(b, total, pageSize))
	defer srv.Close()
	transport := &http.Transport{MaxIdleConnsPerHost: 4}
	defer transport.CloseIdleConnections()
	hc := &http.Client{Transport: transport}
	ctx := context.Background()
	size := int32(pageSize)

	auth := gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+testAPIKey)
		return nil
	})
	generated, err := gen.NewClientWithResponses(srv.URL, gen.WithHTTPClient(hc), auth)
	if err != nil {
		b.Fatal(err)
	}
	wrapper, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(srv.URL), api.WithHTTPClient(hc), api.WithAccount("acct"))
	if err != nil {
		b.Fatal(err)
	}

	// A hand-written page loop over any way of fetching a page.
	pageLoop := func(fetch func(params *gen.ListSecretsParams) (*gen.ListSecretsResponse, error)) func(sample func()) int {
		return func(sample func()) int {
			n := 0
			params := &gen.ListSecretsParams{PageSize: &size}
			for {
				page, err := fetch(params)
				if err != nil {
					b.Fatal(err)
				}
				n += len(*page.Secrets)
				sample()
				if page.NextPageToken == nil || *page.NextPageToken == "" {
					return n
				}
				params.PageToken = page.NextPageToken
			}
		}
	}
	variants := []struct {
		name string
		list func(sample func()) int
	}{
		{"raw-net-http", pageLoop(func(p *gen.ListSecretsParams) (*gen.ListSecretsResponse, error) {
			url := srv.URL + "/v1/accounts/acct/secrets?pageSize=" + strconv.Itoa(int(*p.PageSize))
			if p.PageToken != nil {
				url += "&pageToken=" + *p.PageToken
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", "Bearer "+testAPIKey)
			resp, err := hc.Do(req)
			if err != nil {
				return nil, err
			}
			var page gen.ListSecretsResponse
			err = json.NewDecoder(resp.Body).Decode(&page)
			if cerr := resp.Body.Close(); err == nil {
				err = cerr
			}
			return &page, err
		})},
		{"generated", pageLoop(func(p *gen.ListSecretsParams) (*gen.ListSecretsResponse, error) {
			resp, err := generated.ListSecretsWithResponse(ctx, "acct", p)
			if err != nil {
				return nil, err
			}
			return resp.JSON200, nil
		})},
		{"wrapper-page-loop", pageLoop(func(p *gen.ListSecretsParams) (*gen.ListSecretsResponse, error) {
			return wrapper.Secrets.List(ctx, p)
		})},
		{"wrapper-iterator", func(sample func()) int {
			n := 0
			for _, err := range wrapper.Secrets.ListAll(ctx, &gen.ListSecretsParams{PageSize: &size}) {
				if err != nil {
					b.Fatal(err)
				}
				if n++; n%pageSize == 0 {
					sample()
				}
			}
			return n
		}},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			var before, after runtime.MemStats
			var peak uint64
			sample := func() {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.ResetTimer()
			for b.Loop() {
				if n := v.list(sample); n != total {
					b.Fatalf("%d items, want %d", n, total)
				}
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N)/total, "allocs/item")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// pagesHandler serves ListSecrets over total secrets from pages encoded
// once, in advance; the page token is the offset.
func pagesHandler(b *testing.B, total, pageSize int) http.Handler {
	pages := map[string][]byte{}
	for offset := 0; offset < total; offset += pageSize {
		page := gen.ListSecretsResponse{Secrets: &[]gen.Secret{}, TotalSize: api.Ptr(int32(total))}
		for i := offset; i < min(offset+pageSize, total); i++ {
			*page.Secrets = append(*page.Secrets, gen.Secret{Name: fmt.Sprintf("accounts/acct/secrets/s%05d", i), KeyName: "K"})
		}
		if next := offset + pageSize; next < total {
			page.NextPageToken = api.Ptr(strconv.Itoa(next))
		}
		raw, err := json.Marshal(page)
		if err != nil {
			b.Fatal(err)
		}
		token := ""
		if offset > 0 {
			token = strconv.Itoa(offset)
		}
		pages[token] = raw
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, ok := pages[r.URL.Query().Get("pageToken")]
		if !ok || r.URL.Query().Get("pageSize") != strconv.Itoa(pageSize) {
			http.Error(w, "unexpected page request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(raw)
	})
}
