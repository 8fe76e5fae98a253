package gatewaytest

import (
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/specvalidate"
)

// operations returns the spec's operations by id.
func operations(spec *specvalidate.Spec) map[string]*openapi3.Operation {
	byID := map[string]*openapi3.Operation{}
	for _, item := range spec.Document().Paths.Map() {
		for _, op := range item.Operations() {
			byID[op.OperationID] = op
		}
	}
	return byID
}

// SynthesizeRequest returns a minimal valid JSON request body for an
// operation (every required field filled), or "{}" for an operation
// without a body: a starting point for tests that must send something
// valid.
//
// operation is a gen.Op constant (a spec id) or a Go name; an operation
// the spec does not have is an error.
func SynthesizeRequest(operation gen.OperationID) ([]byte, error) {
	id, ok := resolveOperation(operation)
	if !ok {
		return nil, fmt.Errorf("gatewaytest: no operation %q in the spec", string(operation))
	}
	spec, err := specvalidate.Load()
	if err != nil {
		return nil, fmt.Errorf("gatewaytest: %w", err)
	}
	op := operations(spec)[string(id)]
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return []byte("{}"), nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(synthesize(mt.Schema, false))
}
