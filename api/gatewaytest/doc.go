// Package gatewaytest is a fake Fireworks Gateway for contract tests, in
// the spirit of net/http/httptest: one call starts it on a loopback
// address and hands back an api.Client pointed at it, closed with the test.
//
//	func TestRotateKey(t *testing.T) {
//		fake, client := gatewaytest.Start(t)
//		fake.Inject("UpdateSecret", gatewaytest.Fault{Status: 503, Times: 1})
//		// ... run the code under test with client ...
//		if v, _ := fake.SecretValue("acct", "my-secret"); v != "new" { ... }
//	}
//
// The fake cannot drift from the spec, because it is driven by the spec
// embedded in package gen:
//   - it routes every operation of the spec, custom ":verb" paths included;
//   - it validates every request (path, query, content type, body, and a
//     Bearer token: missing or malformed gets 401) and answers an invalid
//     one with 400 and a Gateway error body naming the problem, never a
//     value from the request;
//   - it validates every response it sends: one that would not match the
//     spec fails the test (through the Reporter) and is answered with 500.
//
// Secrets are stateful (create, get, list with real pagination, update,
// delete; a value is stored but never returned, and SecretValue shows what
// arrived). Every other operation answers with a minimal valid response
// synthesized from its schema, unless the test registers a handler for it
// with HandleFunc. Faults are injected per operation or for all: a status
// with Retry-After, retry-after-ms or x-should-retry, a delay, a connection
// reset before or after the headers, a truncated or malformed body, each
// for N requests or for all. A journal records every request, with the
// Authorization header and secret values redacted.
//
// A Server is safe for concurrent use. cmd/gatewayfake serves the same fake
// as a standalone process, for contract tests in other languages.
package gatewaytest
