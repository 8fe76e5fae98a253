package gatewaytest

import (
	"fmt"
	"sync"

	"github.com/fireworks-gateway/go-sdk/gen"
)

// AllOperations, given to Inject, makes faults apply to every operation.
const AllOperations gen.OperationID = "*"

var (
	opNamesOnce sync.Once
	opNames     map[gen.OperationID]gen.OperationID // spec id or Go name -> spec id
)

// resolveOperation returns the spec id an operation name stands for: a
// spec id ("CreateApiKey", as the gen.Op constants hold) or a Go name
// ("CreateAPIKey", as methods are named).
func resolveOperation(name gen.OperationID) (gen.OperationID, bool) {
	opNamesOnce.Do(func() {
		opNames = make(map[gen.OperationID]gen.OperationID, 2*len(gen.Operations))
		for _, op := range gen.Operations {
			opNames[gen.OperationID(op.GoName)] = gen.OperationID(op.ID)
		}
		for _, op := range gen.Operations { // a spec id wins over a Go name
			opNames[gen.OperationID(op.ID)] = gen.OperationID(op.ID)
		}
	})
	id, ok := opNames[name]
	return id, ok
}

// operation resolves name for a method of the fake, failing the test (or
// panicking) when the spec has no such operation: a fault injected for a
// misspelt operation would never fire, and the test would pass anyway.
func (h *Handler) operation(method string, name gen.OperationID, allowAll bool) (gen.OperationID, bool) {
	if h.tb != nil {
		h.tb.Helper()
	}
	if allowAll && name == AllOperations {
		return name, true
	}
	if id, ok := resolveOperation(name); ok {
		return id, true
	}
	h.misuse("gatewaytest: %s(%q): the spec has no such operation (use a gen.Op constant)", method, string(name))
	return "", false
}

// misuse reports a mistake in the test's use of the fake: through the
// reporter's Fatalf when it has one (a testing.TB), else with a panic, so
// that it is never silently ignored.
func (h *Handler) misuse(format string, args ...any) {
	if h.tb != nil {
		h.tb.Helper()
	}
	msg := fmt.Sprintf(format, args...)
	if fatal, ok := h.reporter.(interface{ Fatalf(string, ...any) }); ok {
		fatal.Fatalf("%s", msg)
		return
	}
	panic(msg)
}
