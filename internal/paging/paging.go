// Package paging is the engine behind the generated List iterators of
// package gen (ListSecretsPages, ListSecretsAll, and the same for every
// List operation): it follows pageToken / nextPageToken across pages with
// one page in memory at a time. It is not for direct use: the generated
// methods are its interface.
package paging

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// ErrRepeatedToken reports a server that returned a page token it had
// already returned: following it would loop for ever.
var ErrRepeatedToken = errors.New("the server repeated a page token it had already returned")

// MaxPages bounds one iteration: no listing of the Gateway's control plane
// comes near it (at 200 items a page, 20 million items), so a server that
// hands out a new token for ever ends the iteration with ErrTooManyPages
// instead of driving it, and its memory of tokens, for ever.
const MaxPages = 100_000

// ErrTooManyPages reports an iteration that reached MaxPages.
var ErrTooManyPages = fmt.Errorf("the server gave more than %d pages", MaxPages)

// Fetch gets the page at token (nil for the first page) and returns it
// with the token of the next page (nil or empty at the end).
type Fetch[P any] func(ctx context.Context, token *string) (page P, next *string, err error)

// Pages iterates over the pages that fetch returns, from start (the
// caller's pageToken, nil for the first page). It stops after the page
// whose next token is empty, with an error when the context ends, a token
// comes back a second time or MaxPages pages came, and at the first error
// of fetch. A page is yielded once, with a nil error; an error is yielded
// once, with the zero page, and ends the iteration.
func Pages[P any](ctx context.Context, start *string, fetch Fetch[P]) iter.Seq2[P, error] {
	return func(yield func(P, error) bool) {
		var zero P
		seen := map[string]bool{}
		token := start
		if token != nil && *token != "" {
			seen[*token] = true
		}
		for page := 1; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, fmt.Errorf("page %d: %w", page, err))
				return
			}
			p, next, err := fetch(ctx, token)
			if err != nil {
				yield(zero, fmt.Errorf("page %d: %w", page, err))
				return
			}
			if !yield(p, nil) {
				return
			}
			if next == nil || *next == "" {
				return
			}
			if seen[*next] {
				yield(zero, fmt.Errorf("page %d: %w", page+1, ErrRepeatedToken))
				return
			}
			if page >= MaxPages {
				yield(zero, fmt.Errorf("page %d: %w", page+1, ErrTooManyPages))
				return
			}
			seen[*next] = true
			token = next
		}
	}
}

// Items iterates over the items of every page of pages, as items returns
// them from a page. It ends with ctx's error as soon as ctx ends, even in
// the middle of a page.
func Items[P, T any](ctx context.Context, pages iter.Seq2[P, error], items func(P) []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for page, err := range pages {
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range items(page) {
				if err := ctx.Err(); err != nil {
					yield(zero, err)
					return
				}
				if !yield(item, nil) {
					return
				}
			}
		}
	}
}

// Deref returns *p, or the zero value for a nil p: optional fields of
// generated types are pointers.
func Deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// Copy returns a copy of *p (the zero value for a nil p), so that an
// iterator can set the page token without changing the caller's params.
func Copy[T any](p *T) *T {
	c := Deref(p)
	return &c
}

// NoBodyError reports a successful response whose body could not be
// decoded as a page (for example, one without a JSON content type).
type NoBodyError struct {
	Operation   string
	StatusCode  int
	ContentType string
}

func (e *NoBodyError) Error() string {
	return fmt.Sprintf("%s: %d response with Content-Type %q has no page in it", e.Operation, e.StatusCode, e.ContentType)
}
