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

// TestTheFileNameOfASignedURL: a job output's single signed URL is saved
// under the URL's last path element when that is a usable file name, and
// under the method's fallback name otherwise (no path, a bare "/", "..",
// a URL that does not parse); no URL, or an empty one, is no file.
func TestTheFileNameOfASignedURL(t *testing.T) {
	for signed, want := range map[string]string{
		"https://storage.test/bucket/job/metrics.jsonl?X-Goog-Signature=s": "metrics.jsonl",
		"https://storage.test/bucket/job/":                                 "job",
		"https://storage.test/":                                            "fallback",
		"https://storage.test":                                             "fallback",
		"https://storage.test/bucket/..":                                   "fallback",
		"https://storage.test/bucket/%zz":                                  "fallback",
	} {
		got := signedFile(&signed, "fallback")
		if len(got) != 1 || got[want] != signed {
			t.Errorf("signedFile(%q) = %v, want the file %q", signed, got, want)
		}
	}
	empty := ""
	if got := signedFile(&empty, "fallback"); got != nil {
		t.Errorf("an empty URL gave %v", got)
	}
	if got := signedFile(nil, "fallback"); got != nil {
		t.Errorf("no URL gave %v", got)
	}
}
