package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// TestAPutIsStoredOnlyByA2xxAfterItsWholeBody: at the edges of the status
// classes, a PUT's answer is a redirect refused (300 to 399), a failure
// left to the pipeline (400, 199), or stored only when every byte was
// read.
func TestAPutIsStoredOnlyByA2xxAfterItsWholeBody(t *testing.T) {
	for _, tc := range []struct {
		status    int
		sent      int64
		notStored bool
	}{
		{300, 10, true}, {399, 10, true}, {400, 10, false}, {199, 10, false},
		{299, 10, false}, {200, 10, false}, {200, 9, true}, {204, 0, true},
	} {
		w := newIdleWatch(context.Background(), time.Minute)
		w.sent.Store(tc.sent)
		req, _ := http.NewRequest(http.MethodPut, "https://storage.test/o", strings.NewReader("0123456789"))
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(""))}
		err := (&storageTransfer{idle: time.Minute}).finish(req, resp, w)
		w.stop()
		if errors.Is(err, ErrNotStored) != tc.notStored {
			t.Errorf("PUT answered %d after %d of 10 bytes: %v, want ErrNotStored %v", tc.status, tc.sent, err, tc.notStored)
		}
	}
}

// TestTheAnnouncedSizeOfADownload: Content-Length first, then
// x-goog-stored-content-length for a body sent as stored, else none.
func TestTheAnnouncedSizeOfADownload(t *testing.T) {
	for _, tc := range []struct {
		length       int64
		stored, enc  string
		uncompressed bool
		want         int64
		announced    bool
	}{
		{0, "", "", false, 0, true},
		{5, "9", "", false, 5, true},
		{-1, "0", "", false, 0, true},
		{-1, "9", "", false, 9, true},
		{-1, "-1", "", false, 0, false},
		{-1, "x", "", false, 0, false},
		{-1, "9", "gzip", false, 0, false},
		{-1, "9", "", true, 0, false},
	} {
		resp := &http.Response{ContentLength: tc.length, Uncompressed: tc.uncompressed, Header: http.Header{}}
		if tc.stored != "" {
			resp.Header.Set("X-Goog-Stored-Content-Length", tc.stored)
		}
		if tc.enc != "" {
			resp.Header.Set("Content-Encoding", tc.enc)
		}
		if n, ok := announcedSize(resp); ok != tc.announced || (ok && n != tc.want) {
			t.Errorf("%+v: announced %d, %v", tc, n, ok)
		}
	}
}

// TestTheIdleWatchEndsOnlyAnIdleAttempt: a watch moved within its idle
// time keeps the attempt; one left idle ends it with ErrTransferStalled,
// which explain names.
func TestTheIdleWatchEndsOnlyAnIdleAttempt(t *testing.T) {
	w := newIdleWatch(context.Background(), time.Hour)
	w.moved(1)
	if w.stalled() || w.explain(io.EOF) != io.EOF {
		t.Error("a watch that moved stalled")
	}
	w.stop()
	if w.stalled() {
		t.Error("a stopped watch says it stalled")
	}
	w = newIdleWatch(context.Background(), time.Nanosecond)
	<-w.ctx.Done()
	if !w.stalled() || !errors.Is(w.explain(context.Canceled), ErrTransferStalled) {
		t.Errorf("an idle watch: %v", context.Cause(w.ctx))
	}
}

// TestAGetIsReceivedOnlyOnA2xx: a GET's body is received for 200 to 299;
// any other answer is left to the pipeline (an *Error, a retry).
func TestAGetIsReceivedOnlyOnA2xx(t *testing.T) {
	for status, want := range map[int]bool{199: false, 200: true, 299: true, 300: false, 404: false} {
		received := false
		tr := &storageTransfer{idle: time.Minute, receive: func(*http.Response, io.Reader) error { received = true; return nil }}
		w := newIdleWatch(context.Background(), time.Minute)
		req, _ := http.NewRequest(http.MethodGet, "https://storage.test/o", nil)
		resp := &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("x"))}
		if err := tr.finish(req, resp, w); err != nil || received != want {
			t.Errorf("GET answered %d: received %v (%v), want %v", status, received, err, want)
		}
		w.stop()
	}
}

// TestAReadOfNothingIsNoProgress: a read that moved no byte (0, nil)
// leaves the idle watch as it was: a body that only ever gives nothing
// stalls at the idle time from the last byte, not later.
func TestAReadOfNothingIsNoProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newIdleWatch(context.Background(), time.Second)
		defer w.stop()
		body := w.watchBody(io.NopCloser(strings.NewReader("x")))
		if n, _ := body.Read(make([]byte, 1)); n != 1 {
			t.Fatalf("read %d bytes", n)
		}
		start := time.Now()
		time.Sleep(900 * time.Millisecond)
		if n, _ := body.Read(nil); n != 0 {
			t.Fatalf("an empty read gave %d bytes", n)
		}
		<-w.ctx.Done()
		if took := time.Since(start); took != time.Second || !w.stalled() {
			t.Errorf("stalled after %v (stalled: %v), want the idle time from the last byte, 1s", took, w.stalled())
		}
	})
}

// TestAwaitBodiesReturnsOnceTheTransportClosedThem: once every request
// body of an attempt is closed (the transport is done with the file's
// reader), awaitBodies returns at once; while one is open, it waits for
// the idle time at most.
func TestAwaitBodiesReturnsOnceTheTransportClosedThem(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newIdleWatch(context.Background(), time.Hour)
		defer w.stop()
		first := w.watchBody(io.NopCloser(strings.NewReader("a")))
		second := w.watchBody(io.NopCloser(strings.NewReader("b"))) // the transport's GetBody copy
		start := time.Now()
		_ = first.Close()
		_ = first.Close() // a second close counts once
		go func() {
			time.Sleep(time.Minute)
			_ = second.Close()
		}()
		w.awaitBodies(context.Background())
		if took := time.Since(start); took != time.Minute {
			t.Errorf("awaitBodies returned after %v, want when the last body closed (1m)", took)
		}
		start = time.Now()
		w.awaitBodies(context.Background())
		if took := time.Since(start); took != 0 {
			t.Errorf("awaitBodies with every body closed waited %v", took)
		}
		open := newIdleWatch(context.Background(), 5*time.Second)
		defer open.stop()
		_ = open.watchBody(io.NopCloser(strings.NewReader("c")))
		start = time.Now()
		open.awaitBodies(context.Background())
		if took := time.Since(start); took != 5*time.Second {
			t.Errorf("awaitBodies with a body never closed waited %v, want the idle time", took)
		}
	})
}
