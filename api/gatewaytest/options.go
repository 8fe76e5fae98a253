package gatewaytest

import (
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
)

// An Option configures a Handler (and the Server around it).
type Option func(*config)

// config is what the options set.
type config struct {
	reporter     Reporter
	apiKey       string
	journalLimit int
	clientOpts   []api.ClientOption
	strict       bool
	settle       settlePolicy
	urlExpiry    time.Duration
	storageLimit int64
	sessionTTL   time.Duration
	refreshTTL   time.Duration
}

func defaultConfig() config {
	return config{
		journalLimit: DefaultJournalLimit,
		settle:       settlePolicy{reads: DefaultSettleReads},
		urlExpiry:    DefaultSignedURLExpiry,
		storageLimit: DefaultStorageMemory,
		sessionTTL:   DefaultSessionTTL,
		refreshTTL:   DefaultRefreshTTL,
	}
}

// WithReporter sends the fake's own failures to r (Start uses the test),
// and makes a misuse of the fake (an operation name that the spec does not
// have, a state that a resource cannot take) fail the test at once when r
// has a Fatalf method, as a testing.TB does. Without a reporter, failures
// are logged and a misuse panics.
func WithReporter(r Reporter) Option { return func(c *config) { c.reporter = r } }

// RequireAPIKey makes the fake accept only this Bearer token as an API
// key: any other gets 401 UNAUTHENTICATED, as from the real Gateway.
// Without it, the fake takes any well-formed Bearer token. Either way, a
// live session token the fake issued (NewSession) is accepted too.
func RequireAPIKey(key string) Option { return func(c *config) { c.apiKey = key } }

// DefaultJournalLimit is how many requests the journal keeps unless
// WithJournalLimit says otherwise.
const DefaultJournalLimit = 10_000

// WithJournalLimit keeps only the newest n requests in the journal (n > 0),
// so that a long-running fake does not grow without bound.
func WithJournalLimit(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.journalLimit = n
		}
	}
}

// WithClientOptions adds options to the api.Client that Start and
// NewClient return.
func WithClientOptions(opts ...api.ClientOption) Option {
	return func(c *config) { c.clientOpts = append(c.clientOpts, opts...) }
}

// WithStrictBodies makes the fake refuse, with 400 INVALID_ARGUMENT, a
// request body property that the schema does not declare. The real
// Gateway, a proto-JSON server, drops such a property silently (an id sent
// in the body where the spec has a query parameter is lost): strict mode
// turns that silent loss into a failing test.
func WithStrictBodies() Option { return func(c *config) { c.strict = true } }

// DefaultSettleReads is how many reads a resource in a transitional state
// shows that state before it settles, unless WithSettleReads or
// WithSettleAfter says otherwise.
const DefaultSettleReads = 2

// WithSettleReads makes a resource in a transitional state (CREATING,
// JOB_STATE_CREATING, DELETING...) show it to n reads (a Get, or a List
// that includes it) and move on at read n+1: n = 2 gives CREATING,
// CREATING, READY. n = 0 settles at the first read.
func WithSettleReads(n int) Option {
	return func(c *config) {
		if n >= 0 {
			c.settle = settlePolicy{reads: n}
		}
	}
}

// WithSettleAfter makes a resource in a transitional state move on once d
// has passed on the fake's clock, whatever the reads: time.Now plus what
// Advance added, so that testing/synctest's virtual time moves it too
// when the fake runs in the bubble (NewHandler).
func WithSettleAfter(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.settle = settlePolicy{after: d}
		}
	}
}

// DefaultSignedURLExpiry is how long a signed URL of the fake's storage
// stays valid, unless WithSignedURLExpiry says otherwise.
const DefaultSignedURLExpiry = 15 * time.Minute

// WithSignedURLExpiry sets how long the signed URLs that the upload and
// download endpoints hand out stay valid, on the fake's clock.
func WithSignedURLExpiry(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.urlExpiry = d
		}
	}
}

// WithStorageMemoryLimit sets the most memory, in bytes (n > 0), that the
// fake's storage holds: stored files and the buffers of uploads in
// progress together. An upload beyond it is refused with 507
// InsufficientStorage. The default is DefaultStorageMemory.
func WithStorageMemoryLimit(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.storageLimit = n
		}
	}
}
