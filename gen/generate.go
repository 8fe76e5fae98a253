// Package gen is the Fireworks Gateway REST API client generated from
// ../openapi.yaml by oapi-codegen: typed request and response models, the
// low-level Client, the ClientWithResponses that decodes 200 responses (and
// error answers, the Gateway's google.rpc.Status, into JSONDefault: every
// operation's default response, by overlay.yaml), the embedded spec, and a
// table of every operation.
//
// Nothing in this package is written by hand: run `make generate` after a
// change of openapi.yaml, overlay.yaml or oapi-codegen.yaml. Most programs use
// the wrapper in package api, which adds authentication, retries and typed
// errors to every operation here.
//
// Operation ids are upstream's without their tag prefix: the spec's
// Gateway_UpdateSecret is UpdateSecret here.
package gen

//go:generate go run ../internal/gengateway -config oapi-codegen.yaml -spec ../openapi.yaml -root ..
