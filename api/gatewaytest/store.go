package gatewaytest

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"
)

// resource is one stored resource. Its public JSON is kept encoded, as
// the API returns it, so that a Get writes it out as is; the values the
// spec marks sensitive or input-only are kept apart, never in public.
type resource struct {
	id     string
	list   *resourceList
	public []byte
	// hidden holds sensitive values by JSON pointer ("/value",
	// "/oidcConfig/clientSecret"): what the client sent, for the test to
	// read, never returned.
	hidden  hiddenValues
	created time.Time
	updated time.Time
	life    *life    // nil when the resource has no state enum
	files   *fileSet // declared uploads and stored files; nil until an upload endpoint is asked
	// checked: public has validated as the resource's schema.
	checked bool
}

// name is the resource name, accounts/{a}/{collection}/{id}.
func (res *resource) name() string {
	return res.list.key.parent + "/" + res.list.key.coll.name + "/" + res.id
}

// listKey names the resources of one collection under one parent (an
// account, or a resource of the parent collection).
type listKey struct {
	coll   *collection
	parent string // "accounts/acct", "accounts/acct/users/u1"
}

// resourceList is a collection's resources under one parent, by id. The
// ids are sorted on demand: creates are many, lists few.
type resourceList struct {
	key    listKey
	byID   map[string]*resource
	sorted []string
	dirty  bool
}

func (l *resourceList) ids() []string {
	if l.dirty {
		l.sorted = l.sorted[:0]
		for id := range l.byID {
			l.sorted = append(l.sorted, id)
		}
		slices.Sort(l.sorted)
		l.dirty = false
	}
	return l.sorted
}

// lookup finds a resource by its collection and name; e.mu is held.
func (e *engine) lookup(c *collection, name string) *resource {
	parent, id := splitName(name)
	l := e.lists[listKey{c, parent}]
	if l == nil {
		return nil
	}
	return l.byID[id]
}

// insert stores res under name; e.mu is held.
func (e *engine) insert(c *collection, name string, res *resource) {
	parent, id := splitName(name)
	key := listKey{c, parent}
	l := e.lists[key]
	if l == nil {
		l = &resourceList{key: key, byID: map[string]*resource{}}
		e.lists[key] = l
	}
	res.id, res.list = id, l
	l.byID[id] = res
	l.dirty = true
}

// remove deletes res (its files with it) and every resource nested under
// it; e.mu is held.
func (e *engine) remove(res *resource) {
	name := res.name()
	delete(res.list.byID, res.id)
	res.list.dirty = true
	for key := range e.lists {
		if key.parent == name || strings.HasPrefix(key.parent, name+"/") {
			delete(e.lists, key)
		}
	}
}

// parentExists reports whether the parent of a resource of c exists: an
// account always does; a resource of the parent collection must be stored
// and not deleted. e.mu is held.
func (e *engine) parentExists(c *collection, name string) bool {
	if c.parent == nil {
		return true
	}
	parent, _ := splitName(name)
	p := e.lookup(c.parent, parent)
	return p != nil && !p.isDeleted()
}

// splitName splits a resource name into its parent's name and its id.
func splitName(name string) (parent, id string) {
	i := strings.LastIndexByte(name, '/')
	j := strings.LastIndexByte(name[:i], '/')
	return name[:j], name[i+1:]
}

// hiddenValues are a resource's sensitive values by JSON pointer: a
// short list, as a resource has one or two, cheaper to keep for 100,000
// resources than a map each.
type hiddenValues []hiddenValue

type hiddenValue struct {
	pointer string
	value   json.RawMessage
}

func newHiddenValues(m map[string]json.RawMessage) hiddenValues {
	if len(m) == 0 {
		return nil
	}
	h := make(hiddenValues, 0, len(m))
	for _, ptr := range slices.Sorted(maps.Keys(m)) {
		h = append(h, hiddenValue{ptr, m[ptr]})
	}
	return h
}

func (h hiddenValues) get(pointer string) (json.RawMessage, bool) {
	for _, v := range h {
		if v.pointer == pointer {
			return v.value, true
		}
	}
	return nil, false
}

func (h *hiddenValues) set(pointer string, value json.RawMessage) {
	for i := range *h {
		if (*h)[i].pointer == pointer {
			(*h)[i].value = value
			return
		}
	}
	*h = append(*h, hiddenValue{pointer, value})
}

// deleteIf removes the values whose pointer drop says.
func (h *hiddenValues) deleteIf(drop func(pointer string) bool) {
	kept := (*h)[:0]
	for _, v := range *h {
		if !drop(v.pointer) {
			kept = append(kept, v)
		}
	}
	*h = kept
}
