package api

import (
	"context"
	"errors"
	"testing"
)

// TestEachStopsOnAContextThatEnded: a transfer whose context ended before
// any file started starts none and says why.
func TestEachStopsOnAContextThatEnded(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	started := 0
	err := each(ctx, 2, []int{1, 2, 3}, func(context.Context, int) error { started++; return nil })
	if !errors.Is(err, context.Canceled) || started != 0 {
		t.Errorf("each on an ended context: %v after %d items started", err, started)
	}
	if err := each(context.Background(), 2, []int{1, 2, 3}, func(context.Context, int) error { return nil }); err != nil {
		t.Errorf("each without failures: %v", err)
	}
}
