package gatewaytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"time"

	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/specvalidate"
)

// Fixtures is the file format of Seed and Dump (and of cmd/gatewayfake's
// -seed and -dump): resources by name, each as the API returns it, plus
// the values a create would take and never return (a Secret's value),
// which Dump leaves out.
//
//	{"resources": [
//	  {"name": "accounts/acct/secrets/TOKEN", "resource": {"keyName": "SERVICE_TOKEN", "value": "..."}},
//	  {"name": "accounts/acct/deployments/d1", "resource": {"baseModel": "accounts/fireworks/models/m", "state": "FAILED"}}
//	]}
type Fixtures struct {
	Resources []Fixture `json:"resources"`
}

// Fixture is one resource of a Fixtures file.
type Fixture struct {
	// Name is the resource name, such as "accounts/acct/deployments/d1".
	Name string `json:"name"`
	// Resource is the resource's JSON. Output-only fields (state,
	// createTime) are the fixture's to set; a missing state is the
	// settled one (READY), missing times are now.
	Resource json.RawMessage `json:"resource"`
}

// maxSeedSize bounds what Seed reads.
const maxSeedSize = 64 << 20

// Put stores a resource, by its name, as if it had been created through
// the API and had settled: resource is its JSON ([]byte,
// json.RawMessage, a string) or a value that encodes to it. Output-only
// fields may be set (state, createTime); sensitive ones (a Secret's value)
// are stored and never returned, as through the API. The parent of a
// nested resource must exist. The resource must match its schema: a
// property the schema does not have, or a value of the wrong type, is an
// error that names where, never the value.
func (h *Handler) Put(name string, resource any) error {
	var raw []byte
	switch v := resource.(type) {
	case []byte:
		raw = v
	case json.RawMessage:
		raw = v
	case string:
		raw = []byte(v)
	default:
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return fmt.Errorf("gatewaytest: Put %s: the resource does not encode to JSON", name)
		}
	}
	if err := h.engine.put(name, raw); err != nil {
		return fmt.Errorf("gatewaytest: Put %s: %w", name, err)
	}
	return nil
}

func (e *engine) put(name string, raw []byte) error {
	p, err := e.prepare(name, raw)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.store(p)
}

// prepared is a resource of a fixture, checked against its schema, ready
// to be stored.
type prepared struct {
	c     *collection
	name  string
	res   *resource
	state string
	obj   map[string]any
	now   time.Time
}

// prepare checks a fixture's resource and builds it, without storing it.
func (e *engine) prepare(name string, raw []byte) (*prepared, error) {
	c, params, ok := e.collections.collectionOf(name)
	if !ok {
		return nil, errors.New("not the name of a resource of any collection the fake keeps")
	}
	for _, p := range c.params {
		if !idPattern.MatchString(params[p]) {
			return nil, fmt.Errorf("%s: the id %s", p, idProblem)
		}
	}
	obj, err := decodeObject(raw)
	if err != nil {
		return nil, errors.New("the resource is not a JSON object")
	}
	state := ""
	if c.machine != nil {
		state, _ = obj["state"].(string)
		switch {
		case state == "":
			state = c.machine.Settled
		case !c.machine.Has(state):
			return nil, fmt.Errorf("state: not a state of %s", c.typeName)
		}
	}
	hidden := map[string]json.RawMessage{}
	if unknown := keepInput(c.schema, obj, "", hidden, true); unknown != "" {
		return nil, fmt.Errorf("%s: not a property of %s", unknown, c.typeName)
	}
	now := e.now()
	created, updated := parseTime(obj["createTime"], now), parseTime(obj["updateTime"], now)
	_, id := splitName(name)
	if c.nameField != "" {
		if c.nameIsID {
			obj[c.nameField] = id
		} else {
			obj[c.nameField] = name
		}
	}
	for prop, t := range map[string]time.Time{"createTime": created, "updateTime": updated} {
		if _, set := obj[prop]; !set {
			setTime(c.schema, obj, prop, t)
		}
	}
	if state != "" {
		obj["state"] = state
	}
	fillRequired(c.schema, obj)
	res := &resource{created: created, updated: updated, public: encodeObject(obj)}
	res.hidden = newHiddenValues(hidden)
	if err := e.validateStored(c, res.public); err != nil {
		return nil, err
	}
	return &prepared{c: c, name: name, res: res, state: state, obj: obj, now: now}, nil
}

// store inserts a prepared resource, whose parent must be stored and
// which must not be; e.mu is held.
func (e *engine) store(p *prepared) error {
	c := p.c
	if !e.parentExists(c, p.name) {
		parent, _ := splitName(p.name)
		return fmt.Errorf("its parent %s does not exist", parent)
	}
	if e.lookup(c, p.name) != nil {
		return errors.New("it exists already")
	}
	if c.machine != nil {
		p.res.life = e.enter(c, p.state, p.now)
		if msg, _ := p.obj["status"].(map[string]any); msg != nil {
			p.res.life.status, _ = msg["message"].(string)
		}
	}
	e.insert(c, p.name, p.res)
	return nil
}

// seed stores every fixture or none: each is checked first, then all are
// inserted in order under one lock, and a failure (a missing parent, a
// duplicate) takes back those inserted before it.
func (e *engine) seed(fixtures []Fixture) error {
	all := make([]*prepared, len(fixtures))
	for i, fx := range fixtures {
		p, err := e.prepare(fx.Name, fx.Resource)
		if err != nil {
			return fmt.Errorf("resource %d (%s): %w", i, fx.Name, err)
		}
		all[i] = p
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	existed := map[listKey]bool{}
	for key := range e.lists {
		existed[key] = true
	}
	for i, p := range all {
		if err := e.store(p); err != nil {
			for _, done := range all[:i] {
				l := done.res.list
				delete(l.byID, done.res.id)
				l.dirty = true
				if len(l.byID) == 0 && !existed[l.key] {
					delete(e.lists, l.key)
				}
			}
			return fmt.Errorf("resource %d (%s): %w", i, p.name, err)
		}
	}
	return nil
}

// validateStored checks a resource as its Get (or List) would answer it.
func (e *engine) validateStored(c *collection, public []byte) error {
	op, body := c.get, public
	if op == "" {
		op = c.list
		body = append(append([]byte(`{"`+c.listField+`":[`), public...), "]}"...)
	}
	for _, info := range gen.Operations {
		if info.ID == op {
			hdr := http.Header{"Content-Type": {"application/json"}}
			if err := e.owner.spec.ValidateResponse(&specvalidate.Route{Operation: info}, http.StatusOK, hdr, body); err != nil {
				return fmt.Errorf("does not match %s: %w", c.typeName, err)
			}
		}
	}
	return nil
}

func parseTime(v any, def time.Time) time.Time {
	if s, ok := v.(string); ok {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC()
		}
	}
	return def
}

// Seed stores the resources of a Fixtures file, in order (a parent before
// its children), all or none: a resource that fails (naming it in the
// error) leaves the fake as it was, with none of the file's resources
// stored.
func (h *Handler) Seed(r io.Reader) error {
	dec := json.NewDecoder(io.LimitReader(r, maxSeedSize+1))
	dec.DisallowUnknownFields()
	var f Fixtures
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("gatewaytest: seed: not a fixtures file: %s", describeJSONError(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("gatewaytest: seed: not a fixtures file: data after the JSON value")
	}
	if err := h.engine.seed(f.Resources); err != nil {
		return fmt.Errorf("gatewaytest: seed: %w", err)
	}
	return nil
}

// describeJSONError names a decoding problem without encoding/json's text,
// which may quote the input.
func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("not valid JSON (syntax error at byte %d)", syntax.Offset)
	case errors.As(err, &typeErr):
		return fmt.Sprintf("%s has the wrong type", typeErr.Field)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "not valid JSON (truncated)"
	}
	return "not valid JSON, or a field other than resources, name and resource"
}

// Dump writes every stored resource as a Fixtures file, sorted by name (a
// parent before its children), each as the API would return it: a
// sensitive value (a Secret's value, an API key) is never written, and
// the uploaded files are not either. Seed reads it back.
func (h *Handler) Dump(w io.Writer) error {
	e := h.engine
	e.mu.Lock()
	var f Fixtures
	for _, l := range e.lists {
		for _, res := range l.byID {
			if !e.settleIfDue(res) {
				continue
			}
			f.Resources = append(f.Resources, Fixture{Name: res.name(), Resource: append(json.RawMessage(nil), res.public...)})
		}
	}
	e.mu.Unlock()
	sort.Slice(f.Resources, func(i, j int) bool { return f.Resources[i].Name < f.Resources[j].Name })
	if f.Resources == nil {
		f.Resources = []Fixture{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Reset removes every stored resource and its files.
func (h *Handler) Reset() {
	e := h.engine
	e.mu.Lock()
	defer e.mu.Unlock()
	e.lists = map[listKey]*resourceList{}
}

// Resource returns a stored resource as a Get would answer it, without
// counting as a read.
func (h *Handler) Resource(name string) (json.RawMessage, bool) {
	return inspect(h, name, func(e *engine, res *resource) (json.RawMessage, bool) {
		if !e.settleIfDue(res) {
			return nil, false
		}
		return append(json.RawMessage(nil), res.public...), true
	})
}

// inspect calls read with the stored resource called name under the
// engine's lock, and returns what read returns; a name that is no stored
// resource gives false.
func inspect[T any](h *Handler, name string, read func(e *engine, res *resource) (T, bool)) (T, bool) {
	var none T
	e := h.engine
	c, _, ok := e.collections.collectionOf(name)
	if !ok {
		return none, false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	res := e.lookup(c, name)
	if res == nil {
		return none, false
	}
	return read(e, res)
}

// StoredValue returns the value stored at a JSON pointer ("/value",
// "/oidcConfig/clientSecret", "/displayName") of a resource, sensitive
// values included: what the client sent, which the API never returns.
func (h *Handler) StoredValue(name, pointer string) (json.RawMessage, bool) {
	return inspect(h, name, func(_ *engine, res *resource) (json.RawMessage, bool) {
		if v, ok := res.hidden.get(pointer); ok {
			return append(json.RawMessage(nil), v...), true
		}
		obj, err := decodeObject(res.public)
		if err != nil {
			return nil, false
		}
		var v any = obj
		for _, tok := range splitPointer(pointer) {
			m, isObj := v.(map[string]any)
			if !isObj {
				return nil, false
			}
			next, found := m[tok]
			if !found {
				return nil, false
			}
			v = next
		}
		raw, err := json.Marshal(v)
		return raw, err == nil
	})
}

// splitPointer splits a JSON pointer (RFC 6901) into its tokens.
func splitPointer(p string) []string {
	if p == "" || p[0] != '/' {
		return nil
	}
	var toks []string
	for _, t := range bytes.Split([]byte(p[1:]), []byte("/")) {
		s := string(bytes.ReplaceAll(bytes.ReplaceAll(t, []byte("~1"), []byte("/")), []byte("~0"), []byte("~")))
		toks = append(toks, s)
	}
	return toks
}
