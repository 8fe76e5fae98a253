package credentials

import "context"

// Source gives the credential to send with a request (the token of
// "Authorization: Bearer <token>"), asked once per attempt when the
// credential may change (a static API key needs none). It may block, to
// refresh the credential; caching is its own business. A Source must be
// safe for concurrent use.
type Source interface {
	Credential(ctx context.Context) (string, error)
}

// Invalidator is a Source that can be told the server refused a
// credential it gave, so that its next Credential gets a new one. A
// Session is one.
type Invalidator interface {
	Source
	Invalidate(refused string)
}
