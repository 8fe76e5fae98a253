package gatewaytest

import (
	"bytes"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fireworks-gateway/go-sdk/internal/specvalidate"
)

// engine is the fake's resource engine: one store per collection of the
// spec (collections.go), answering their create, get, list, update and
// delete by rule (resources.go), running the lifecycle of resources with a
// state enum (lifecycle.go), and serving their files through signed URLs
// (storage.go). It holds no per-resource code.
type engine struct {
	collections *collectionSet
	settle      settlePolicy
	urlExpiry   time.Duration
	owner       *Handler // for synthesized bodies and misuse reports

	// offset is what Advance added to the clock, in nanoseconds.
	offset atomic.Int64

	mu    sync.Mutex
	lists map[listKey]*resourceList

	storage storageLog
	signer  urlSigner
}

func newEngine(cs *collectionSet, settle settlePolicy, urlExpiry time.Duration, owner *Handler) *engine {
	return &engine{
		collections: cs,
		settle:      settle,
		urlExpiry:   urlExpiry,
		owner:       owner,
		lists:       map[listKey]*resourceList{},
		signer:      newURLSigner(),
	}
}

// now is the fake's clock: time.Now (virtual in a testing/synctest
// bubble), plus what Advance added.
func (e *engine) now() time.Time {
	return time.Now().Add(time.Duration(e.offset.Load())).UTC()
}

// Advance moves the fake's clock forward by d: resources settle
// (WithSettleAfter) and signed URLs expire as if d had passed. It adds to
// time.Now, so that it composes with testing/synctest's virtual time.
func (h *Handler) Advance(d time.Duration) {
	if d > 0 {
		h.engine.offset.Add(int64(d))
	}
}

// serve answers an operation that a rule of the engine covers; handled is
// false for any other, which gets a synthesized answer.
func (e *engine) serve(r *http.Request, route *specvalidate.Route, body []byte, decoded any) (resp response, handled bool) {
	if guard := e.collections.guards[route.Operation.ID]; guard != nil {
		if missing := e.missingItem(guard, route.PathParams); missing != "" {
			return notFound(missing), true
		}
	}
	rule, ok := e.collections.byOp[route.Operation.ID]
	if !ok {
		return response{}, false
	}
	call := &call{e: e, rule: rule, c: rule.coll, r: r, route: route, body: body, decoded: decoded}
	resp, synthesize := call.serve()
	if synthesize {
		return response{}, false
	}
	return resp, true
}

// missingItem returns the name of the outermost item, among c's under
// params and its parents', that is not there: never stored, gone, or
// soft-deleted (kept in its DELETED state); "" when every one is.
func (e *engine) missingItem(c *collection, params map[string]string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	missing := ""
	for ; c != nil; c = c.parent {
		name := c.nameOf(params, "")
		if res := e.lookup(c, name); res == nil || !e.settleIfDue(res) || res.isDeleted() {
			missing = name
		}
	}
	return missing
}

// call is one request to the engine.
type call struct {
	e     *engine
	rule  opRule
	c     *collection
	r     *http.Request
	route *specvalidate.Route
	body  []byte
	// decoded is the body as request validation decoded it (the engine
	// may change it: it is this request's own).
	decoded any
}

// bodyObject is the request's JSON object body; empty without one.
func (k *call) bodyObject() (map[string]any, error) {
	if obj, ok := k.decoded.(map[string]any); ok {
		return obj, nil
	}
	return decodeObject(k.body)
}

// serve dispatches on the rule; synthesize asks for the synthesized body
// of an operation whose answer is not the resource (after it acted).
func (k *call) serve() (resp response, synthesize bool) {
	switch k.rule.kind {
	case opCreate:
		return k.create()
	case opGet:
		return k.get(), false
	case opList:
		return k.list(), false
	case opUpdate:
		return k.update()
	case opDelete:
		return k.delete()
	case opCancel, opResume, opUndelete, opScale:
		return k.transition()
	case opUploadEndpoint:
		return k.uploadEndpoint(), false
	case opDownloadEndpoint:
		return k.downloadEndpoint(), false
	case opValidateUpload:
		return k.validateUpload()
	case opOutputEndpoint:
		return k.outputEndpoint(), false
	}
	return response{}, true
}

// answer is the response of an operation that acted on res: the resource
// when the operation returns it, {} when it returns an empty object, else
// a synthesized body of its own schema.
func (k *call) answer(res *resource) (response, bool) {
	switch {
	case k.rule.sameSchema && res != nil:
		return resourceResponse(res), false
	case k.rule.emptyBody:
		return jsonResponse([]byte("{}")), false
	}
	return response{}, true
}

// resourceResponse answers a stored resource's JSON.
func resourceResponse(res *resource) response {
	resp := jsonResponse(res.public)
	resp.of = res
	return resp
}

// checked reports whether resp is a resource's JSON that validated
// before, unchanged: validating the same bytes against the same schema
// gives the same verdict, and a waiter that polls a resource reads the
// same bytes many times.
func (e *engine) checked(resp response) bool {
	if resp.of == nil || len(resp.body) == 0 {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return resp.of.checked && sameBytes(resp.of.public, resp.body)
}

// markChecked records that resp validated, if it is a resource's JSON
// that is still current.
func (e *engine) markChecked(resp response) {
	if resp.of == nil || len(resp.body) == 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if sameBytes(resp.of.public, resp.body) {
		resp.of.checked = true
	}
}

// sameBytes: a and b are the same slice (the engine never changes a
// resource's JSON in place; it replaces it).
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && len(a) > 0 && &a[0] == &b[0]
}

// setPublic replaces a resource's JSON; the same bytes keep their
// verdict.
func (res *resource) setPublic(public []byte) {
	if bytes.Equal(public, res.public) {
		return
	}
	res.public = public
	res.checked = false
}
