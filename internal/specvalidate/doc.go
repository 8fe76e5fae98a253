// Package specvalidate checks HTTP requests and responses against the
// Gateway spec embedded in package gen, fast enough to run on every call.
//
// It is shared by the fake Gateway of the contract tests (which routes and
// checks what the SDK sends) and by the SDK's contract mode
// (api.WithContractValidation, which checks what the SDK sends and what it
// gets back). Load compiles the spec once: a router over every operation of
// gen.Operations, including custom methods such as ":undelete", and one
// JSON Schema validator per request body, response body and query
// parameter. Checking a request then costs a few microseconds, where
// kin-openapi's openapi3filter compiles a JSON Schema validator on every
// check of a 3.1 document.
//
// What it checks: the route (path and method), the bearer credentials, the
// path parameters (no dot segment, "." or "..", also percent-encoded), the
// query parameters (types, formats, enums, required ones), the request's
// Content-Type and body, and a response's status, Content-Type and body:
// an error status against the operation's default response (the
// Gateway's google.rpc.Status, by the overlay; default stands for 4xx and
// 5xx only), and no response may carry a writeOnly property (a value the
// spec says is never returned, such as a Secret's value).
// Schemas are JSON Schema 2020-12, as OpenAPI 3.1 says; numeric formats
// are checked by the range of the type they name, as a proto-JSON server
// parses them (int32, int64 as a number or a string, float within float32,
// double without overflow: 1e400 is refused), and the other formats with
// kin-openapi's checks (date-time, date, byte). RequestOptions can refuse
// body properties the schema does not declare, which a proto-JSON server
// would drop silently. ValidateAndDecodeRequest hands back the body it
// decoded, for a server that acts on it.
//
// What it is not: a server, a client or a business-rule checker. It does
// not know that a secret must exist before it is updated, it does not
// check a token against anything, and it does not decode bodies for the
// caller. Its errors never quote a value from a body, a header or a
// parameter: they name the place (a JSON pointer, a parameter or header
// name) and the reason, so that a secret sent by mistake never reaches a
// log line.
package specvalidate
