package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/paging"
	"github.com/fireworks-gateway/go-sdk/internal/rawspec"
)

// secretsServer serves ListSecrets over n secrets, paging as the Gateway
// does (default page size 50, at most 200). tokenFor lets a test make the
// server misbehave with its tokens.
type secretsServer struct {
	n        int
	requests atomic.Int32
	filters  []string
	tokenFor func(offset int) string
}

func (s *secretsServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	q := r.URL.Query()
	s.filters = append(s.filters, q.Get("filter"))
	size := 50
	if v := q.Get("pageSize"); v != "" {
		size, _ = strconv.Atoi(v)
	}
	size = min(size, 200)
	offset := 0
	if tok := q.Get("pageToken"); tok != "" {
		offset, _ = strconv.Atoi(tok[len("offset-"):])
	}
	page := gen.ListSecretsResponse{Secrets: &[]gen.Secret{}, TotalSize: api.Ptr(int32(s.n))}
	for i := offset; i < min(offset+size, s.n); i++ {
		*page.Secrets = append(*page.Secrets, gen.Secret{Name: fmt.Sprintf("accounts/acct/secrets/s%05d", i), KeyName: "K"})
	}
	if end := offset + size; end < s.n {
		tok := fmt.Sprintf("offset-%d", end)
		if s.tokenFor != nil {
			tok = s.tokenFor(end)
		}
		page.NextPageToken = &tok
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(page)
}

func listClient(t testing.TB, s *secretsServer, opts ...api.ClientOption) *api.Client {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := api.New(append([]api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL(srv.URL), api.WithHTTPClient(&http.Client{Transport: tr}), api.WithAccount("acct")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestListAllYieldsEveryItemOnce: across page sizes, including an empty
// list, exactly one full page and a last partial page, every item comes
// once and in order, with one request per page.
func TestListAllYieldsEveryItemOnce(t *testing.T) {
	cases := []struct {
		items     int
		pageSize  *int32
		wantPages int32
	}{
		{0, nil, 1},
		{1, nil, 1},
		{50, nil, 1}, // exactly one full default page
		{51, nil, 2},
		{200, api.Ptr(int32(200)), 1}, // exactly one full maximal page
		{1000, api.Ptr(int32(200)), 5},
		{10, api.Ptr(int32(3)), 4},
		{450, api.Ptr(int32(1000)), 3}, // above the maximum: the server pages by 200
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%d items, page size %v", tc.items, paging.Deref(tc.pageSize)), func(t *testing.T) {
			s := &secretsServer{n: tc.items}
			c := listClient(t, s)
			i := 0
			for secret, err := range c.Secrets.ListAll(context.Background(), &gen.ListSecretsParams{PageSize: tc.pageSize}) {
				if err != nil {
					t.Fatal(err)
				}
				if want := fmt.Sprintf("accounts/acct/secrets/s%05d", i); secret.Name != want {
					t.Fatalf("item %d is %s, want %s", i, secret.Name, want)
				}
				i++
			}
			if i != tc.items || s.requests.Load() != tc.wantPages {
				t.Errorf("%d items in %d requests, want %d in %d", i, s.requests.Load(), tc.items, tc.wantPages)
			}
		})
	}
}

// TestListPagesGiveTotalSizeAndKeepParams: page-at-a-time access shows
// totalSize, every page request keeps the caller's filter and page size,
// and the caller's params are not modified.
func TestListPagesGiveTotalSizeAndKeepParams(t *testing.T) {
	s := &secretsServer{n: 25}
	c := listClient(t, s)
	params := &gen.ListSecretsParams{PageSize: api.Ptr(int32(10)), Filter: api.Ptr("keyName=K")}
	var sizes []int
	for page, err := range c.Secrets.ListPages(context.Background(), params) {
		if err != nil {
			t.Fatal(err)
		}
		if paging.Deref(page.TotalSize) != 25 {
			t.Errorf("totalSize = %v, want 25", page.TotalSize)
		}
		sizes = append(sizes, len(*page.Secrets))
	}
	if fmt.Sprint(sizes) != "[10 10 5]" {
		t.Errorf("page sizes %v, want [10 10 5]", sizes)
	}
	for i, f := range s.filters {
		if f != "keyName=K" {
			t.Errorf("request %d lost the filter: %q", i+1, f)
		}
	}
	if params.PageToken != nil || *params.PageSize != 10 {
		t.Error("the caller's params were modified")
	}
}

// TestListStartsFromCallerToken: a pageToken in params resumes there.
func TestListStartsFromCallerToken(t *testing.T) {
	s := &secretsServer{n: 30}
	c := listClient(t, s)
	n := 0
	for _, err := range c.Secrets.ListAll(context.Background(), &gen.ListSecretsParams{PageToken: api.Ptr("offset-20")}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 10 {
		t.Errorf("%d items from offset 20 of 30, want 10", n)
	}
}

// TestListStopsOnRepeatedToken: a server that hands back a token it
// already gave ends the iteration with ErrRepeatedToken, not a loop.
func TestListStopsOnRepeatedToken(t *testing.T) {
	for name, tokenFor := range map[string]func(int) string{
		"the same token every time": func(int) string { return "offset-2" },
		"a cycle of two":            func(end int) string { return fmt.Sprintf("offset-%d", 2+end%4) },
	} {
		t.Run(name, func(t *testing.T) {
			s := &secretsServer{n: 100, tokenFor: tokenFor}
			c := listClient(t, s)
			var err error
			n := 0
			// The loop is cut well within 4 pages of 2 items; without the
			// check it would never end, so it is bounded here.
			const maxItems = 20
			for _, e := range c.Secrets.ListAll(context.Background(), &gen.ListSecretsParams{PageSize: api.Ptr(int32(2))}) {
				if e != nil {
					err = e
					break
				}
				if n++; n == maxItems {
					break
				}
			}
			if n == maxItems {
				t.Fatalf("%d items in %d requests and no error: the repeated token was followed", n, s.requests.Load())
			}
			if !errors.Is(err, api.ErrRepeatedToken) {
				t.Fatalf("err = %v after %d items, want ErrRepeatedToken", err, n)
			}
			if s.requests.Load() > 4 {
				t.Errorf("%d requests, want the loop cut at once", s.requests.Load())
			}
		})
	}
}

// TestListEndsOnCancellation: cancelling the context mid-list ends the
// iteration at once, mid-page, with the context's error, and sends no more
// requests.
func TestListEndsOnCancellation(t *testing.T) {
	s := &secretsServer{n: 100}
	c := listClient(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var err error
	n := 0
	for _, e := range c.Secrets.ListAll(ctx, &gen.ListSecretsParams{PageSize: api.Ptr(int32(10))}) {
		if e != nil {
			err = e
			break
		}
		if n++; n == 15 {
			cancel()
		}
	}
	if !errors.Is(err, context.Canceled) || n != 15 {
		t.Errorf("err = %v after %d items, want context.Canceled right after item 15", err, n)
	}
	if s.requests.Load() != 2 {
		t.Errorf("%d requests, want 2", s.requests.Load())
	}
}

// TestListPageRequestsGoThroughTheWrapper: a page that fails with 503 is
// retried, and one that fails for good ends the iteration with a typed
// *api.Error.
func TestListPageRequestsGoThroughTheWrapper(t *testing.T) {
	var calls atomic.Int32
	inner := &secretsServer{n: 30}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 2: // the second page fails once
			w.Header().Set("Retry-After-Ms", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
		case 5:
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"code":7,"message":"no"}`))
		default:
			inner.ServeHTTP(w, r)
		}
	}))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c, err := api.New(api.WithAPIKey(testAPIKey), api.WithBaseURL(srv.URL), api.WithHTTPClient(&http.Client{Transport: tr}), api.WithAccount("acct"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range c.Secrets.ListAll(context.Background(), &gen.ListSecretsParams{PageSize: api.Ptr(int32(10))}) {
		if err != nil {
			t.Fatalf("after %d items: %v", n, err)
		}
		n++
	}
	if n != 30 {
		t.Fatalf("%d items, want 30 despite one 503", n)
	}
	var last error
	for _, err := range c.Secrets.ListAll(context.Background(), nil) {
		last = err
	}
	if !errors.Is(last, api.ErrPermissionDenied) {
		t.Errorf("err = %v, want a permission-denied *api.Error", last)
	}
}

// TestEveryListOperationHasIterators: every operation of openapi.yaml that
// takes a pageToken has Pages and All iterators, so that a List operation
// whose shape the generator would not recognize fails here; a spec bump
// that adds one gets them too.
func TestEveryListOperationHasIterators(t *testing.T) {
	spec, err := rawspec.Read("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	paged := spec.Paged()
	callOf := map[string]string{}
	for _, sc := range serviceCalls {
		callOf[sc.ID] = sc.Call
	}
	idOf := map[string]string{}
	for _, op := range gen.Operations {
		idOf[op.UpstreamID] = op.ID
	}
	if len(paged) == 0 {
		t.Fatal("openapi.yaml has no operation that takes a pageToken")
	}
	c := newClient(t, script(step{status: 200, body: `{}`}))
	for _, op := range paged {
		call := callOf[idOf[op.UpstreamID]]
		name, _, _ := strings.Cut(call, "(")
		for _, suffix := range []string{"Pages", "All"} {
			if _, ok := serviceMethod(c, name+suffix+"()"); !ok {
				t.Errorf("%s has no iterator %s%s", op.UpstreamID, name, suffix)
			}
		}
	}
}

// TestListAgainstTheFake pages through the contract-test fake's Secrets:
// several page sizes (above the maximum too), an empty list, exactly one
// full default page, and a cancellation mid-list.
func TestListAgainstTheFake(t *testing.T) {
	fake, c := gatewaytest.Start(t)
	ctx := context.Background()
	add := func(account string, n int) {
		for i := range n {
			if err := fake.AddSecret(account, fmt.Sprintf("s%04d", i), "K", "v"); err != nil {
				t.Fatal(err)
			}
		}
	}
	add("many", 430)
	add("onepage", gatewaytest.DefaultPageSize)
	count := func(account string, size *int32) (items int, err error) {
		for _, e := range c.Secrets.ListAll(ctx, &gen.ListSecretsParams{PageSize: size}, api.WithAccount(account)) {
			if e != nil {
				return items, e
			}
			items++
		}
		return items, nil
	}
	for _, tc := range []struct {
		account   string
		size      *int32
		items     int
		wantPages int
	}{
		{"many", api.Ptr(int32(1)), 430, 430},
		{"many", api.Ptr(int32(7)), 430, 62},
		{"many", nil, 430, 9},
		{"many", api.Ptr(int32(200)), 430, 3},
		{"many", api.Ptr(int32(5000)), 430, 3}, // coerced to 200
		{"empty", nil, 0, 1},
		{"onepage", nil, gatewaytest.DefaultPageSize, 1},
	} {
		fake.ResetJournal()
		n, err := count(tc.account, tc.size)
		if err != nil {
			t.Fatal(err)
		}
		if pages := len(fake.Requests(gen.OpListSecrets)); n != tc.items || pages != tc.wantPages {
			t.Errorf("%s, page size %v: %d items in %d pages, want %d in %d", tc.account, paging.Deref(tc.size), n, pages, tc.items, tc.wantPages)
		}
	}

	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fake.ResetJournal()
	n := 0
	var err error
	for _, e := range c.Secrets.ListAll(cctx, &gen.ListSecretsParams{PageSize: api.Ptr(int32(50))}, api.WithAccount("many")) {
		if e != nil {
			err = e
			break
		}
		if n++; n == 120 {
			cancel()
		}
	}
	if !errors.Is(err, context.Canceled) || n != 120 || len(fake.Requests(gen.OpListSecrets)) != 3 {
		t.Errorf("cancelled at item 120: err %v after %d items and %d pages, want Canceled after 120 and 3", err, n, len(fake.Requests(gen.OpListSecrets)))
	}
}
