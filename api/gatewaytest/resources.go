package gatewaytest

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// create stores a new resource: the id by the rules of createID, the
// client's fields by the rules of keepInput, the server's by derive. A
// duplicate is 409 ALREADY_EXISTS; a missing parent 404 NOT_FOUND. With
// validateOnly=true it checks all that and answers the resource it would
// create, storing nothing.
func (k *call) create() (response, bool) {
	in, err := k.bodyObject()
	if err != nil {
		return errorResponse(http.StatusBadRequest, codeInvalidArgument, "the request body is not a JSON object"), false
	}
	obj := in
	if wrap := k.rule.shape.createWrap; wrap != "" {
		obj, _ = in[wrap].(map[string]any)
		if obj == nil {
			obj = map[string]any{}
		}
	}
	id, problem := k.createID(in, obj)
	if problem != "" {
		return errorResponse(http.StatusBadRequest, codeInvalidArgument, problem), false
	}
	name := k.itemName(id)

	e := k.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.parentExists(k.c, name) {
		parent, _ := splitName(name)
		return errorResponse(http.StatusNotFound, codeNotFound, parent+" not found"), false
	}
	if e.lookup(k.c, name) != nil {
		return errorResponse(http.StatusConflict, codeAlreadyExists, name+" already exists"), false
	}
	res, once := e.newResource(k.c, name, obj)
	if !k.validateOnly() {
		e.insert(k.c, name, res)
	}
	if k.rule.sameSchema {
		return jsonResponse(withFields(res.public, once)), false
	}
	return k.answer(res)
}

// newResource builds a resource from the client's object, as a create
// does; it returns the fields to show once. e.mu is held.
func (e *engine) newResource(c *collection, name string, obj map[string]any) (*resource, map[string]any) {
	now := e.now()
	_, id := splitName(name)
	hidden := map[string]json.RawMessage{}
	keepInput(c.schema, obj, "", hidden, false)
	once := e.derive(c, obj, name, id, now, hidden)
	res := &resource{created: now, updated: now}
	res.hidden = newHiddenValues(hidden)
	if c.machine != nil {
		res.life = e.enter(c, c.machine.Created, now)
	}
	res.setPublic(encodeObject(obj))
	return res, once
}

// get answers the resource, as a read: a transitional state may settle.
func (k *call) get() response {
	name := k.itemName("")
	e := k.e
	e.mu.Lock()
	defer e.mu.Unlock()
	res := e.lookup(k.c, name)
	if res == nil || !e.read(res) {
		return notFound(name)
	}
	return e.withOutputURLs(k.r, res, resourceResponse(res))
}

// update merges the body into the resource (see merge), honouring an
// updateMask query parameter. With allowMissing=true (AIP-134) a missing
// resource is created.
func (k *call) update() (response, bool) {
	patch, err := k.bodyObject()
	if err != nil {
		return errorResponse(http.StatusBadRequest, codeInvalidArgument, "the request body is not a JSON object"), false
	}
	mask := updateMask(k.r)
	name := k.itemName("")
	e := k.e
	e.mu.Lock()
	defer e.mu.Unlock()
	res := e.lookup(k.c, name)
	if res == nil {
		if allow, _ := strconv.ParseBool(k.r.URL.Query().Get("allowMissing")); allow && e.parentExists(k.c, name) {
			res, _ = e.newResource(k.c, name, patch)
			e.insert(k.c, name, res)
			return k.answer(res)
		}
		return notFound(name), false
	}
	if res.isDeleted() || res.isDeleting() {
		return errorResponse(http.StatusBadRequest, codeFailedPrecondition, name+" is being deleted"), false
	}
	hidden := map[string]json.RawMessage{}
	keepInput(k.c.schema, patch, "", hidden, false)
	now := e.now()
	var public []byte
	if len(mask) == 0 {
		public, err = mergeTopLevel(k.c.schema, res.public, patch, now)
	} else {
		public, err = mergeMasked(k.c, res.public, patch, mask, now)
	}
	if err != nil {
		return errorResponse(http.StatusBadRequest, codeInvalidArgument, err.Error()), false
	}
	if k.validateOnly() {
		preview := &resource{list: res.list, id: res.id, created: res.created, updated: now, life: res.life}
		preview.setPublic(public)
		return k.answer(preview)
	}
	applyHidden(res, hidden, mask)
	res.updated = now
	res.setPublic(public)
	return k.answer(res)
}

// mergeMasked applies an update with an updateMask (see merge).
func mergeMasked(c *collection, public []byte, patch map[string]any, mask []string, now time.Time) ([]byte, error) {
	stored, err := decodeObject(public)
	if err != nil {
		return nil, errors.New("gatewaytest cannot decode a stored resource")
	}
	if bad := merge(c.schema, stored, patch, mask); bad != "" {
		return nil, errors.New("updateMask: no field " + bad + " in " + c.typeName)
	}
	setTime(c.schema, stored, "updateTime", now)
	return encodeObject(stored), nil
}

// mergeTopLevel applies an update without a mask, as merge does, working
// on the stored JSON's top-level properties as raw text: only an object
// that the patch merges into is decoded, so that the common update (a
// few fields) costs little however large the resource.
func mergeTopLevel(schema *openapi3.Schema, public []byte, patch map[string]any, now time.Time) ([]byte, error) {
	stored := map[string]json.RawMessage{}
	if err := json.Unmarshal(public, &stored); err != nil {
		return nil, errors.New("gatewaytest cannot decode a stored resource")
	}
	for name, v := range patch {
		sub, isObj := v.(map[string]any)
		p := schema.Properties[name]
		if old := stored[name]; isObj && len(old) > 0 && old[0] == '{' && p != nil && p.Value != nil && len(p.Value.Properties) > 0 {
			into, err := decodeObject(old)
			if err != nil {
				return nil, errors.New("gatewaytest cannot decode a stored resource")
			}
			mergeObjects(p.Value, into, sub)
			v = into
		}
		stored[name] = encodeValue(v)
	}
	if p := schema.Properties["updateTime"]; p != nil && p.Value != nil && p.Value.Format == "date-time" {
		stored["updateTime"] = encodeValue(formatTime(now))
	}
	return encodeValue(stored), nil
}

// validateOnly reports whether the request asks to validate only
// (AIP-163): validateOnly=true, on an operation that has the parameter.
// The create, update or delete then checks everything it would, answers
// what it would, and stores nothing.
func (k *call) validateOnly() bool {
	if !k.rule.validateOnly || k.r.URL.RawQuery == "" {
		return false
	}
	v, _ := strconv.ParseBool(k.r.URL.Query().Get("validateOnly"))
	return v
}

// updateMask reads the updateMask (or update_mask) query parameter: field
// paths separated by commas.
func updateMask(r *http.Request) []string {
	if r.URL.RawQuery == "" {
		return nil
	}
	q := r.URL.Query()
	raw := q.Get("updateMask")
	if raw == "" {
		raw = q.Get("update_mask")
	}
	var paths []string
	for _, p := range strings.Split(raw, ",") {
		if p = strings.TrimSpace(p); p != "" {
			paths = append(paths, p)
		}
	}
	return paths
}

// delete removes the resource, or starts its deletion where the state
// enum has DELETING: it shows DELETING to reads until it settles, then is
// gone (404), or kept as DELETED where the collection can undelete.
// hard=true (a query parameter of some Delete operations) removes it at
// once, a soft-deleted (DELETED) one too: it purges it, as AIP-164's
// purge does, and an :undelete or a Get of it is then 404.
func (k *call) delete() (response, bool) {
	id := ""
	if k.c.deleteBody != "" {
		in, err := k.bodyObject()
		if err != nil {
			return errorResponse(http.StatusBadRequest, codeInvalidArgument, "the request body is not a JSON object"), false
		}
		id, _ = in[k.c.deleteBody].(string)
	}
	name := k.itemName(id)
	e := k.e
	e.mu.Lock()
	defer e.mu.Unlock()
	res := e.lookup(k.c, name)
	hard, _ := strconv.ParseBool(k.r.URL.Query().Get("hard"))
	if res == nil || (res.isDeleted() && !hard) {
		return notFound(name), false
	}
	if k.validateOnly() {
		return k.answer(res)
	}
	m := k.c.machine
	if hard || m == nil || m.Deleting == "" {
		if !hard && m != nil && k.c.undeletable && m.Deleted != "" {
			e.setState(res, m.Deleted, "")
			return k.answer(res)
		}
		e.remove(res)
		return k.answer(res)
	}
	if !res.isDeleting() {
		e.setState(res, m.Deleting, "")
	}
	return k.answer(res)
}

func notFound(name string) response {
	return errorResponse(http.StatusNotFound, codeNotFound, name+" not found")
}

// applyHidden stores the sensitive values an update sent: all of them
// without a mask; with one, those under a masked path, and a masked path
// the body does not hold clears its stored value, as for any field.
func applyHidden(res *resource, sent map[string]json.RawMessage, mask []string) {
	masked := func(ptr string) bool {
		for _, p := range mask {
			if p == "*" {
				return true
			}
			mp := maskPointer(p)
			if ptr == mp || strings.HasPrefix(ptr, mp+"/") {
				return true
			}
		}
		return false
	}
	if len(mask) > 0 {
		res.hidden.deleteIf(func(ptr string) bool {
			_, resent := sent[ptr]
			return !resent && masked(ptr)
		})
	}
	for _, ptr := range slices.Sorted(maps.Keys(sent)) {
		if len(mask) > 0 && !masked(ptr) {
			continue
		}
		res.hidden.set(ptr, sent[ptr])
	}
}

// maskPointer turns an updateMask path (display_name, a.b) into the JSON
// pointer of its field (/displayName, /a/b).
func maskPointer(path string) string {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		parts[i] = pointerToken(camel(p))
	}
	return "/" + strings.Join(parts, "/")
}
