package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
)

// pipeListener is an in-memory network for one httptest server: every
// dial is a net.Pipe, whose blocking is durable, so that a real
// http.Transport and http.Server run on synctest's clock (loopback
// sockets would not let it advance).
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error { l.once.Do(func() { close(l.done) }); return nil }

func (l *pipeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80} }

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	server, client := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// transferFake is a Gateway for dataset ds1 and the storage its signed
// URLs point to (http://127.0.0.1/storage/<name>), served by an httptest
// server over pipeListener; storage answers with the test's handler.
type transferFake struct {
	srv       *httptest.Server
	client    *api.Client
	mu        sync.Mutex
	validated int
	downloads []string // the names the download endpoint gives
}

// newTransferFake starts the fake inside the test's bubble; it is closed
// when the test ends. Every request to /storage/ goes to storage.
func newTransferFake(t *testing.T, storage http.HandlerFunc, opts ...api.ClientOption) *transferFake {
	t.Helper()
	f := &transferFake{downloads: []string{"data.bin"}}
	l := &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
	// The test's end abandons every request still held, so that a
	// handler that waits for its client to go away ends too.
	testEnded, endTest := context.WithCancel(context.Background())
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		defer context.AfterFunc(testEnded, cancel)()
		r = r.WithContext(ctx)
		answer := func(v any) {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(v)
		}
		switch {
		case strings.HasPrefix(r.URL.Path, "/storage/"):
			storage(w, r)
		case strings.HasSuffix(r.URL.Path, ":getUploadEndpoint"):
			var in struct{ FilenameToSize map[string]string }
			_ = json.NewDecoder(r.Body).Decode(&in)
			urls := map[string]string{}
			for name := range in.FilenameToSize {
				urls[name] = "http://127.0.0.1/storage/" + name + "?X-Goog-Signature=sig"
			}
			answer(map[string]any{"filenameToSignedUrls": urls})
		case strings.HasSuffix(r.URL.Path, ":getDownloadEndpoint"):
			urls := map[string]string{}
			for _, name := range f.downloads {
				urls[name] = "http://127.0.0.1/storage/" + name + "?X-Goog-Signature=sig"
			}
			answer(map[string]any{"filenameToSignedUrls": urls})
		case strings.HasSuffix(r.URL.Path, ":validateUpload"):
			f.mu.Lock()
			f.validated++
			f.mu.Unlock()
			answer(map[string]any{})
		default:
			http.NotFound(w, r)
		}
	}))
	f.srv.Listener = l
	f.srv.Start()
	transport := &http.Transport{DialContext: l.dial}
	t.Cleanup(func() {
		endTest()
		transport.CloseIdleConnections()
		f.srv.Close()
	})
	c, err := api.New(append([]api.ClientOption{api.WithAPIKey(testAPIKey), api.WithBaseURL("http://127.0.0.1"),
		api.WithAccount("acct"), api.WithHTTPClient(&http.Client{Transport: transport})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	f.client = c
	return f
}

// validations is how many times ValidateUpload was called.
func (f *transferFake) validations() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.validated
}

// hits counts the requests a handler gets.
type hits struct {
	mu sync.Mutex
	n  int
}

func (h *hits) add() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n++
	return h.n
}

func (h *hits) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// readSlowly reads r's body 1 KiB at a time, pausing between reads, and
// returns what it read.
func readSlowly(r *http.Request, pause func()) []byte {
	var got []byte
	buf := make([]byte, 1024)
	for {
		n, err := io.ReadFull(r.Body, buf)
		got = append(got, buf[:n]...)
		if err != nil {
			return got
		}
		pause()
	}
}
