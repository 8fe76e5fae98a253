package api

import (
	"runtime"

	"github.com/fireworks-gateway/go-sdk/gen"
)

// Version is this SDK's version.
const Version = "0.1.0"

// SpecVersion is the version of the Gateway REST API spec the SDK was
// generated from (info.version of openapi.yaml).
const SpecVersion = gen.SpecVersion

// UserAgent is the User-Agent the Client sends (after the product set with
// WithUserAgent, if any): the SDK, its version, the spec version and Go's.
var UserAgent = "fireworks-gateway-go/" + Version + " (gateway-spec " + SpecVersion + "; " + runtime.Version() + ")"
