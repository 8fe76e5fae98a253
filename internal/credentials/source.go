package credentials

import "context"

// Source gives the credential to send with a request (the token of
// "Authorization: Bearer <token>"), asked once per attempt. It may block,
// to refresh the credential; caching is its own business. A Source must be
// safe for concurrent use.
type Source interface {
	Credential(ctx context.Context) (string, error)
}

// Static is a credential that never changes: an API key.
type Static string

// Credential returns s.
func (s Static) Credential(context.Context) (string, error) { return string(s), nil }

// Invalidator is a Source that can be told the server refused a
// credential it gave, so that its next Credential gets a new one. A
// Session is one.
type Invalidator interface {
	Source
	Invalidate(refused string)
}
