package gatewaytest

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
)

// Server is a fake Gateway on a loopback address, in the shape of
// httptest.Server: NewUnstartedServer, then Start (NewServer does both),
// then Close. It embeds the Handler, so that a test scripts the fake
// (Inject, SetState, Put...) through the Server.
type Server struct {
	*Handler

	// URL is the base URL of the running server, such as
	// "http://127.0.0.1:50123", with no trailing slash; empty until Start.
	URL string

	running     *httptest.Server
	clientOpts  []api.ClientOption
	connections atomic.Int64

	mu         sync.Mutex
	transports []*http.Transport
}

// NewUnstartedServer returns a fake Gateway that does not listen yet:
// script it, then Start it.
func NewUnstartedServer(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	h, err := newHandler(cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{Handler: h, clientOpts: cfg.clientOpts}
	s.running = httptest.NewUnstartedServer(h)
	s.running.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.connections.Add(1)
		}
	}
	return s, nil
}

// Start starts the server on a loopback address and sets URL. It panics
// when the server is started already, as httptest's does.
func (s *Server) Start() {
	s.running.Start()
	s.URL = s.running.URL
}

// NewServer starts a fake Gateway on a loopback address. Close it when done.
func NewServer(opts ...Option) (*Server, error) {
	s, err := NewUnstartedServer(opts...)
	if err != nil {
		return nil, err
	}
	s.Start()
	return s, nil
}

// Start starts a fake Gateway for the test, closed when the test ends, and
// returns it with an api.Client pointed at it (retrying as in production,
// with its own connection pool). The fake's failures fail the test, and so
// does a misuse of it (an operation name the spec does not have).
func Start(t testing.TB, opts ...Option) (*Server, *api.Client) {
	t.Helper()
	s, err := NewServer(append([]Option{WithReporter(t)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	client, err := s.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	return s, client
}

// NewClient returns an api.Client for the running fake, with the options
// given WithClientOptions, then opts. It reads no credential file of the
// Fireworks tools (api.WithoutCredentialFiles), whatever HOME and
// FIREWORKS_PROFILE say.
func (s *Server) NewClient(opts ...api.ClientOption) (*api.Client, error) {
	key := s.apiKey
	if key == "" {
		key = APIKey
	}
	return s.newClient(api.WithAPIKey(key), opts)
}

// NewSessionClient is NewClient authenticated by a session of the fake
// (NewSession) instead of the API key: the client sends its token and
// refreshes it through Auth.RefreshSessionToken, as api.WithSession says.
func (s *Server) NewSessionClient(session Session, opts ...api.ClientOption) (*api.Client, error) {
	return s.newClient(api.WithSession(session.IDToken, session.RefreshToken), opts)
}

func (s *Server) newClient(credential api.ClientOption, opts []api.ClientOption) (*api.Client, error) {
	if s.URL == "" {
		return nil, errors.New("gatewaytest: the server is not running (call Start)")
	}
	// A pool that keeps a connection for each of many goroutines, closed
	// with the server.
	transport := s.running.Client().Transport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 128
	s.mu.Lock()
	s.transports = append(s.transports, transport)
	s.mu.Unlock()
	base := []api.ClientOption{credential, api.WithBaseURL(s.URL), api.WithAccount(Account), api.WithHTTPClient(&http.Client{Transport: transport}), api.WithoutCredentialFiles()}
	return api.New(append(append(base, s.clientOpts...), opts...)...)
}

// Connections returns how many TCP connections clients have opened to the
// running fake: a client that reuses its connections opens one.
func (s *Server) Connections() int { return int(s.connections.Load()) }

// Close shuts the server down, waiting for requests in flight, and closes
// the connections of the clients NewClient made.
func (s *Server) Close() {
	s.running.Close() // also closes the listener of a server never started
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.transports {
		t.CloseIdleConnections()
	}
}
