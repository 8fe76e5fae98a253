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
// query parameters (types, formats, enums, required ones), the request's
// Content-Type and body, and a response's status, Content-Type and body.
// Schemas are JSON Schema 2020-12, as OpenAPI 3.1 says, with kin-openapi's
// format checks (int32 and int64 ranges, date-time, date, byte), so that a
// verdict here is kin-openapi's verdict.
//
// What it is not: a server, a client or a business-rule checker. It does
// not know that a secret must exist before it is updated, it does not
// check a token against anything, and it does not decode bodies for the
// caller. Its errors never quote a value from a body, a header or a
// parameter: they name the place (a JSON pointer, a parameter or header
// name) and the reason, so that a secret sent by mistake never reaches a
// log line.
package specvalidate
