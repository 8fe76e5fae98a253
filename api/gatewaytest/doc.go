// Package gatewaytest is a fake Fireworks Gateway for contract tests, in
// the shape of net/http/httptest: Start(t) runs one on a loopback address
// for a test and hands back an api.Client pointed at it; NewServer (or
// NewUnstartedServer, then Start) runs one for code that is not a test;
// NewHandler gives the fake as an http.Handler, to serve yourself or to
// call inside a testing/synctest bubble.
//
//	func TestRotateKey(t *testing.T) {
//		fake, client := gatewaytest.Start(t)
//		fake.Inject(gen.OpUpdateSecret, gatewaytest.Fault{Status: 503, RetryAfterMs: "10", Times: 1})
//		// ... run the code under test with client ...
//		if v, _ := fake.SecretValue("acct", "my-secret"); v != "new" { ... }
//	}
//
// (The package's Example runs the same steps, and shows why the fault
// carries retry-after-ms: an update that met a bare 503 may have been
// applied, so the SDK does not repeat it.)
//
// The fake cannot drift from the spec, because it is driven by the spec
// embedded in package gen:
//   - it routes every operation of the spec, custom ":verb" paths included;
//   - it validates every request (path, query, content type, body, and a
//     Bearer token: missing or malformed gets 401) and answers an invalid
//     one with 400 and a Gateway error body naming the problem, never a
//     value from the request; dot segments as path parameters and numbers
//     beyond their format are invalid, and WithStrictBodies refuses body
//     properties the spec does not declare; a body is judged whole, and
//     one beyond MaxRequestBody is 413 RESOURCE_EXHAUSTED;
//   - it validates every response it sends, error answers included
//     (google.rpc.Status, the spec's default response by the overlay), and
//     a 2xx never carries a writeOnly field (a Secret's value): one that
//     would not match the spec fails the test (through the Reporter) and
//     is answered with 500.
//
// Every collection of the spec is a store (Collections lists the 32 it
// finds), with no per-resource code: create takes the id by rule (a
// {resource}Id query parameter, a {resource}Id beside a wrapped resource,
// the resource's own name, or a generated one), every operation whose
// path names an item (its get, update and delete, its custom verbs, its
// sub-resources, a nested collection) answers 404 when that item or a
// parent is not there or is soft-deleted, create answers 409 for what is,
// every create the spec offers stores (CreateEvaluatorV2 as CreateEvaluator
// does), validateOnly=true stores nothing, list pages
// (default 50, at most 200, signed tokens bound to their listing,
// totalSize) with filters of
// field comparisons and orderBy, update merges (honouring updateMask).
// The fake fills what the server owns (name, createTime, updateTime,
// state); it stores sensitive values (a Secret's value, an API key) and
// never returns them: StoredValue shows them to the test.
//
// A resource with a state enum lives a lifecycle: created in its
// transitional state (CREATING), it settles (READY) after two reads
// (WithSettleReads) or after some time on the fake's clock
// (WithSettleAfter, Advance, or testing/synctest's virtual time); delete
// passes through DELETING; :cancel, :resume, :undelete and :scale act on
// the state; SetState forces one (FAILED, with a message).
// internal/lifecycle holds the classification of states, for waiters too.
//
// Upload endpoints hand out signed URLs on the fake's own storage, which
// answers as Google Cloud Storage does (XML errors, signed headers,
// expiry, no Authorization header); Validate*Upload checks that every
// declared file arrived; download endpoints serve them. StorageRequests
// records what storage received. An upload's buffer grows with the bytes
// that arrive, and storage holds at most DefaultStorageMemory in all
// (WithStorageMemoryLimit).
//
// Every other operation answers with a minimal valid response synthesized
// from its schema, unless the test registers a handler for it with
// HandleFunc. Faults are injected per operation or for all: a status with
// Retry-After, retry-after-ms or x-should-retry, a delay, a connection
// reset before or after the headers, a truncated or malformed body, each
// for N requests or for all. A journal records every request, with the
// Authorization header and secret values redacted. Operations are named by
// gen.Op constants (a Go name such as "CreateAPIKey" resolves too); a name
// the spec does not have fails the test at once.
//
// Sessions are modelled (sessions.go): NewSession signs in, giving a
// session token (a JWT signed by the fake, expiring on its clock,
// WithSessionTTL) and a refresh token for api.WithSession;
// Auth.RefreshSessionToken takes the refresh token as its only credential,
// rotates it (a used, unknown or expired one is 401 UNAUTHENTICATED,
// WithRefreshTTL) and answers a new pair with expireTime and
// refreshExpireTime; a session token that expired, was revoked
// (RevokeSessionToken) or was never issued is 401 UNAUTHENTICATED, while
// API keys are checked as before. Neither token reaches the journal.
//
// Seed and Dump read and write the stored resources as a fixtures file
// (Seed stores all of a file or none);
// cmd/gatewayfake serves the same fake as a standalone process with
// -seed and -dump, and admin endpoints under /_gatewaytest/, for contract
// tests in other languages. A Handler is safe for concurrent use.
package gatewaytest
