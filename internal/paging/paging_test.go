package paging_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/internal/paging"
)

// server is a fetch over a fixed chain of pages: the page at token t is
// pages[t], with its next token. It records every token it was asked
// for, and fails after maxFetches, so that a paging loop that does not
// stop ends the test instead of hanging it.
type server struct {
	pages      map[string]page // "" is the first page (a nil token)
	asked      []string
	maxFetches int
	failAt     string // a token whose fetch fails
}

type page struct {
	items []int
	next  *string
}

var errServer = errors.New("server failure")

func (s *server) fetch(_ context.Context, token *string) (page, *string, error) {
	t := "<nil>"
	key := ""
	if token != nil {
		t, key = *token, *token
	}
	s.asked = append(s.asked, t)
	if len(s.asked) > s.maxFetches {
		return page{}, nil, fmt.Errorf("fetch %d: more fetches than the test allows", len(s.asked))
	}
	if token != nil && s.failAt != "" && *token == s.failAt {
		return page{}, nil, errServer
	}
	p, ok := s.pages[key]
	if !ok {
		return page{}, nil, fmt.Errorf("no page at token %q", key)
	}
	return p, p.next, nil
}

func tok(s string) *string { return &s }

// collect runs an iteration to its end, and returns what it yielded.
func collect[T any](seq iter.Seq2[T, error]) (values []T, errs []error, yields int) {
	for v, err := range seq {
		yields++
		if err != nil {
			errs = append(errs, err)
			continue
		}
		values = append(values, v)
	}
	return values, errs, yields
}

func TestPagesFollowsTokensToTheLastPage(t *testing.T) {
	for _, last := range []struct {
		name string
		next *string
	}{{"nil next token", nil}, {"empty next token", tok("")}} {
		t.Run(last.name, func(t *testing.T) {
			s := &server{maxFetches: 10, pages: map[string]page{
				"":   {items: []int{1, 2}, next: tok("t2")},
				"t2": {items: []int{3}, next: tok("t3")},
				"t3": {items: []int{4, 5}, next: last.next},
			}}
			pages, errs, _ := collect(paging.Pages(context.Background(), nil, s.fetch))
			if len(errs) != 0 {
				t.Fatalf("errors %v", errs)
			}
			if len(pages) != 3 || !slices.Equal(s.asked, []string{"<nil>", "t2", "t3"}) {
				t.Errorf("%d pages from the tokens %v, want 3 from [<nil> t2 t3]", len(pages), s.asked)
			}
		})
	}
}

func TestPagesStartsAtTheCallersToken(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start *string
		want  string
	}{
		{"a token", tok("t2"), "t2"},
		{"nil", nil, "<nil>"},
		{"an empty token is sent as it is", tok(""), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &server{maxFetches: 10, pages: map[string]page{"": {items: []int{1}}, "t2": {items: []int{2}}}}
			pages, errs, _ := collect(paging.Pages(context.Background(), tc.start, s.fetch))
			if len(errs) != 0 || len(pages) != 1 || !slices.Equal(s.asked, []string{tc.want}) {
				t.Errorf("%d pages, errors %v, tokens %v; want 1 page from [%s]", len(pages), errs, s.asked, tc.want)
			}
		})
	}
}

// TestRepeatedStartTokenIsCaughtAtOnce: a first page whose next token is
// the token the caller started from ends the iteration right after that
// page, with ErrRepeatedToken: the page is not fetched a second time.
func TestRepeatedStartTokenIsCaughtAtOnce(t *testing.T) {
	s := &server{maxFetches: 5, pages: map[string]page{"start": {items: []int{1}, next: tok("start")}}}
	pages, errs, yields := collect(paging.Pages(context.Background(), tok("start"), s.fetch))
	if len(errs) != 1 || !errors.Is(errs[0], paging.ErrRepeatedToken) {
		t.Fatalf("errors %v, want one ErrRepeatedToken", errs)
	}
	if len(pages) != 1 || yields != 2 || !slices.Equal(s.asked, []string{"start"}) {
		t.Errorf("%d pages in %d yields from the tokens %v; want the one page, then the error, after one fetch", len(pages), yields, s.asked)
	}
	if !strings.HasPrefix(errs[0].Error(), "page 2: ") {
		t.Errorf("error %q, want it to name page 2, the one that was not fetched", errs[0])
	}
}

// TestRepeatedTokenIsCaughtAtOnce: a token the server already gave ends
// the iteration before it is followed, whether it comes right back or
// after a cycle.
func TestRepeatedTokenIsCaughtAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name      string
		pages     map[string]page
		wantAsked []string
	}{
		{"the same token twice", map[string]page{
			"":  {items: []int{1}, next: tok("a")},
			"a": {items: []int{2}, next: tok("a")},
		}, []string{"<nil>", "a"}},
		{"a cycle of two", map[string]page{
			"":  {items: []int{1}, next: tok("a")},
			"a": {items: []int{2}, next: tok("b")},
			"b": {items: []int{3}, next: tok("a")},
		}, []string{"<nil>", "a", "b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &server{maxFetches: 10, pages: tc.pages}
			pages, errs, _ := collect(paging.Pages(context.Background(), nil, s.fetch))
			if len(errs) != 1 || !errors.Is(errs[0], paging.ErrRepeatedToken) {
				t.Fatalf("errors %v after the tokens %v, want one ErrRepeatedToken", errs, s.asked)
			}
			if len(pages) != len(tc.wantAsked) || !slices.Equal(s.asked, tc.wantAsked) {
				t.Errorf("%d pages from the tokens %v, want %d from %v", len(pages), s.asked, len(tc.wantAsked), tc.wantAsked)
			}
			if want := fmt.Sprintf("page %d: ", len(tc.wantAsked)+1); !strings.HasPrefix(errs[0].Error(), want) {
				t.Errorf("error %q, want it to start with %q", errs[0], want)
			}
		})
	}
}

// TestPagesEndsAtTheFirstFetchError: a failed fetch is yielded once, with
// the zero page and the page's number, and nothing is fetched after it.
func TestPagesEndsAtTheFirstFetchError(t *testing.T) {
	s := &server{maxFetches: 10, failAt: "t2", pages: map[string]page{
		"":   {items: []int{1}, next: tok("t2")},
		"t3": {items: []int{3}},
	}}
	var got []page
	var errs []error
	for p, err := range paging.Pages(context.Background(), nil, s.fetch) {
		got = append(got, p)
		errs = append(errs, err)
	}
	if len(got) != 2 || errs[0] != nil || !errors.Is(errs[1], errServer) || got[1].items != nil {
		t.Fatalf("yielded %v with errors %v, want the first page, then the zero page with the server's error", got, errs)
	}
	if !strings.HasPrefix(errs[1].Error(), "page 2: ") {
		t.Errorf("error %q, want it to name page 2", errs[1])
	}
	if !slices.Equal(s.asked, []string{"<nil>", "t2"}) {
		t.Errorf("tokens %v, want nothing fetched after the failure", s.asked)
	}
}

// TestPagesEndsWhenTheContextEnds: an ended context stops the iteration
// before the next fetch, with the context's error.
func TestPagesEndsWhenTheContextEnds(t *testing.T) {
	pages := map[string]page{"": {items: []int{1}, next: tok("t2")}, "t2": {items: []int{2}}}

	t.Run("before the first page", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		s := &server{maxFetches: 10, pages: pages}
		got, errs, _ := collect(paging.Pages(ctx, nil, s.fetch))
		if len(got) != 0 || len(errs) != 1 || !errors.Is(errs[0], context.Canceled) || len(s.asked) != 0 {
			t.Errorf("%d pages, errors %v, %d fetches; want only context.Canceled and no fetch", len(got), errs, len(s.asked))
		}
		if len(errs) == 1 && !strings.HasPrefix(errs[0].Error(), "page 1: ") {
			t.Errorf("error %q, want it to name page 1", errs[0])
		}
	})

	t.Run("between pages", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := &server{maxFetches: 10, pages: pages}
		var errs []error
		n := 0
		for _, err := range paging.Pages(ctx, nil, s.fetch) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			n++
			cancel()
		}
		if n != 1 || len(errs) != 1 || !errors.Is(errs[0], context.Canceled) || len(s.asked) != 1 {
			t.Errorf("%d pages, errors %v, %d fetches; want 1 page, then context.Canceled, and 1 fetch", n, errs, len(s.asked))
		}
	})
}

// TestPagesStopsWhenTheCallerStops: breaking out of the loop fetches
// nothing more (and yields nothing more, which would panic).
func TestPagesStopsWhenTheCallerStops(t *testing.T) {
	s := &server{maxFetches: 10, pages: map[string]page{
		"":   {items: []int{1}, next: tok("t2")},
		"t2": {items: []int{2}, next: tok("t2")}, // would end in ErrRepeatedToken
	}}
	for _, err := range paging.Pages(context.Background(), nil, s.fetch) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	if len(s.asked) != 1 {
		t.Errorf("%d fetches after the caller stopped at the first page, want 1", len(s.asked))
	}
}

func TestItemsYieldsEveryItemInOrder(t *testing.T) {
	s := &server{maxFetches: 10, pages: map[string]page{
		"":   {items: []int{1, 2}, next: tok("t2")},
		"t2": {items: nil, next: tok("t3")}, // an empty page in the middle
		"t3": {items: []int{3, 4, 5}},
	}}
	ctx := context.Background()
	items, errs, _ := collect(paging.Items(ctx, paging.Pages(ctx, nil, s.fetch), func(p page) []int { return p.items }))
	if len(errs) != 0 || !slices.Equal(items, []int{1, 2, 3, 4, 5}) {
		t.Errorf("items %v, errors %v; want [1 2 3 4 5]", items, errs)
	}
}

// TestItemsEndsAtThePagesError: the error that ends the pages is yielded
// once, with the zero item, after the items that came before it.
func TestItemsEndsAtThePagesError(t *testing.T) {
	s := &server{maxFetches: 10, failAt: "t2", pages: map[string]page{"": {items: []int{1, 2}, next: tok("t2")}}}
	ctx := context.Background()
	var items []int
	var errs []error
	for item, err := range paging.Items(ctx, paging.Pages(ctx, nil, s.fetch), func(p page) []int { return p.items }) {
		items = append(items, item)
		errs = append(errs, err)
	}
	if !slices.Equal(items, []int{1, 2, 0}) || errs[0] != nil || errs[1] != nil || !errors.Is(errs[2], errServer) {
		t.Errorf("items %v with errors %v, want 1, 2, then the zero item with the server's error", items, errs)
	}
}

// TestItemsEndsMidPageWhenTheContextEnds: cancelling after an item ends
// the iteration before the next item of the same page.
func TestItemsEndsMidPageWhenTheContextEnds(t *testing.T) {
	s := &server{maxFetches: 10, pages: map[string]page{"": {items: []int{1, 2, 3}, next: tok("t2")}, "t2": {items: []int{4}}}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var items []int
	var errs []error
	for item, err := range paging.Items(ctx, paging.Pages(ctx, nil, s.fetch), func(p page) []int { return p.items }) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, item)
		if item == 2 {
			cancel()
		}
	}
	if !slices.Equal(items, []int{1, 2}) || len(errs) != 1 || !errors.Is(errs[0], context.Canceled) || len(s.asked) != 1 {
		t.Errorf("items %v, errors %v, %d fetches; want 1, 2, then context.Canceled, after 1 fetch", items, errs, len(s.asked))
	}
}

func TestItemsStopsWhenTheCallerStops(t *testing.T) {
	s := &server{maxFetches: 10, pages: map[string]page{"": {items: []int{1, 2}, next: tok("t2")}, "t2": {items: []int{3}}}}
	ctx := context.Background()
	var items []int
	for item, err := range paging.Items(ctx, paging.Pages(ctx, nil, s.fetch), func(p page) []int { return p.items }) {
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, item)
		break
	}
	if !slices.Equal(items, []int{1}) || len(s.asked) != 1 {
		t.Errorf("items %v after %d fetches, want [1] after 1", items, len(s.asked))
	}
}

func TestDerefAndCopy(t *testing.T) {
	if got := paging.Deref[int32](nil); got != 0 {
		t.Errorf("Deref(nil) = %d, want 0", got)
	}
	v := int32(7)
	if got := paging.Deref(&v); got != 7 {
		t.Errorf("Deref(&7) = %d", got)
	}
	type params struct{ PageToken *string }
	orig := &params{PageToken: tok("a")}
	c := paging.Copy(orig)
	c.PageToken = tok("b")
	if c == orig || *orig.PageToken != "a" {
		t.Error("Copy shares the caller's struct: setting the copy's token changed the caller's")
	}
	if z := paging.Copy[params](nil); z == nil || z.PageToken != nil {
		t.Errorf("Copy(nil) = %+v, want a new zero value", z)
	}
}

func TestNoBodyErrorSaysWhatCame(t *testing.T) {
	err := &paging.NoBodyError{Operation: "ListSecrets", StatusCode: 200, ContentType: "text/html"}
	if got, want := err.Error(), `ListSecrets: 200 response with Content-Type "text/html" has no page in it`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestPagesEndsAfterMaxPages: a server that hands out a new token with
// every page, for ever, gets MaxPages pages yielded and then
// ErrTooManyPages, even on context.Background(): no iteration is driven
// for ever by the server.
func TestPagesEndsAfterMaxPages(t *testing.T) {
	fetches := 0
	endless := func(_ context.Context, token *string) (int, *string, error) {
		fetches++
		next := fmt.Sprintf("t%d", fetches)
		return fetches, &next, nil
	}
	pages := 0
	var last error
	for _, err := range paging.Pages(context.Background(), nil, endless) {
		if err != nil {
			last = err
			break
		}
		pages++
	}
	if pages != paging.MaxPages || fetches != paging.MaxPages || !errors.Is(last, paging.ErrTooManyPages) {
		t.Errorf("%d pages yielded, %d fetched, then %v; want %d, %d, ErrTooManyPages", pages, fetches, last, paging.MaxPages, paging.MaxPages)
	}
	if want := fmt.Sprintf("page %d: ", paging.MaxPages+1); last == nil || !strings.HasPrefix(last.Error(), want) {
		t.Errorf("the error %v does not name the page refused (%q)", last, want)
	}
}
