package gatewaytest

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fireworks-gateway/go-sdk/gen/spec"
)

var (
	opsOnce sync.Once
	opsByID map[string]*openapi3.Operation
	opsErr  error
)

// operations returns the embedded spec's operations by id, parsed once.
func operations() (map[string]*openapi3.Operation, error) {
	opsOnce.Do(func() {
		doc, err := spec.Load()
		if err != nil {
			opsErr = err
			return
		}
		opsByID = map[string]*openapi3.Operation{}
		for _, item := range doc.Paths.Map() {
			for _, op := range item.Operations() {
				opsByID[op.OperationID] = op
			}
		}
	})
	return opsByID, opsErr
}

func operationByID(id string) (*openapi3.Operation, error) {
	ops, err := operations()
	if err != nil {
		return nil, err
	}
	op, ok := ops[id]
	if !ok {
		return nil, fmt.Errorf("gatewaytest: no operation %q in the spec", id)
	}
	return op, nil
}

// SynthesizeRequest returns a minimal valid JSON request body for an
// operation (every required field filled), or "{}" for an operation
// without a body: a starting point for tests that must send something
// valid.
func SynthesizeRequest(operation string) ([]byte, error) {
	op, err := operationByID(operation)
	if err != nil {
		return nil, err
	}
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return []byte("{}"), nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(synthesize(mt.Schema, false))
}
