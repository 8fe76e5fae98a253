// Package api is the Go client of the Fireworks AI Gateway REST API: a thin
// wrapper around the client that oapi-codegen generates from the spec
// (package gen), adding what production code needs and a generated client
// lacks.
//
// New returns a Client on which every one of the spec's operations is a
// method (UpdateSecretWithResponse returns the decoded response,
// UpdateSecret the *http.Response), and every List operation has Pages and
// All iterators (ListSecretsAll ranges over secrets across pages). On every
// call the Client:
//
//   - authenticates with the API key (WithAPIKey or FIREWORKS_API_KEY), sent
//     only to the base URL's scheme, host and port, and over plain http only
//     to a loopback address;
//   - refuses path parameters that would address another resource (empty,
//     "..", a '/', a ':'), before anything is sent (*InvalidParamError);
//   - retries what is safe to retry: connection failures, timeouts, 408,
//     409 ABORTED, 429 and 5xx for idempotent methods, and for POST and
//     PATCH only the failures that prove the server did not act (no
//     connection, 429, 503) unless the caller opts in; with exponential
//     backoff and jitter, the server's Retry-After, the caller's deadline,
//     and a retry budget shared by the Client (see README.md for the table);
//   - returns every non-2xx answer as an *Error (status, Gateway code,
//     message, request id, attempts, raw body), usable with errors.Is and
//     ErrNotFound and the other sentinels, and every failure without an
//     answer as a *TransportError;
//   - keeps the API key and secret values out of errors and logs.
//
// Options configure a Client (WithMaxRetries, WithTimeout, WithLogger,
// WithHTTPClient, WithContractValidation, ...); per-call options are request
// editors passed after an operation's arguments (CallMaxRetries,
// CallTimeout, CallRetryNonIdempotent).
//
// Package api/gatewaytest is a fake Gateway for contract tests.
package api
