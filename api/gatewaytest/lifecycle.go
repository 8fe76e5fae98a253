package gatewaytest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/fireworks-gateway/go-sdk/internal/lifecycle"
)

// The lifecycle rules, for a resource whose schema has a state enum
// (lifecycle.NewMachine reads the enum):
//
//   - A create starts it in the machine's Created state (CREATING,
//     JOB_STATE_CREATING, UPLOADING...). A transitional state (see
//     lifecycle.Classify) settles after the reads or the time of the
//     settle policy: to Settled (READY, JOB_STATE_COMPLETED...), except
//     DELETING (the resource is then gone, or DELETED where the collection
//     has :undelete) and CANCELLING (CANCELLED).
//   - UPLOADING, where the collection has an upload endpoint, waits for
//     its Validate*Upload instead of reads or time.
//   - :cancel moves a resource that is moving or paused to CANCELLING (or
//     CANCELLED); :resume moves a failed, cancelled or paused one to
//     RUNNING (or Created), which settles; :undelete moves a DELETING or
//     DELETED one to Settled; :scale stores its body's fields and passes
//     through UPDATING. Anything else is 400 FAILED_PRECONDITION.

// settlePolicy is when a transitional state settles: after reads reads
// (a Get, or a List that shows the resource), or, when after > 0, once
// after has passed on the fake's clock.
type settlePolicy struct {
	reads int
	after time.Duration
}

// life is where a resource is in its machine.
type life struct {
	state  string
	next   string // where it goes when it settles; "" when it stays
	remove bool   // it is gone when it settles (DELETING, not kept as DELETED)
	held   bool   // it waits for Validate*Upload, not for reads or time
	reads  int    // reads since it entered state
	since  time.Time
	status string // the status message a test set, "" for none
}

// enter returns the life of a resource entering state now.
func (e *engine) enter(c *collection, state string, now time.Time) *life {
	l := &life{state: state, since: now}
	m := c.machine
	switch {
	case lifecycle.Classify(state) != lifecycle.Transitional:
	case state == m.Deleting:
		if c.undeletable && m.Deleted != "" {
			l.next = m.Deleted
		} else {
			l.remove = true
		}
	case state == m.Cancelling && m.Cancelled != "":
		l.next = m.Cancelled
	default:
		l.next = m.Settled
		l.held = c.uploads && state == m.Created && hasWord(state, "UPLOADING")
	}
	return l
}

func (res *resource) isDeleted() bool {
	m := res.list.key.coll.machine
	return res.life != nil && m.Deleted != "" && res.life.state == m.Deleted
}

func (res *resource) isDeleting() bool {
	m := res.list.key.coll.machine
	return res.life != nil && m.Deleting != "" && res.life.state == m.Deleting
}

// read counts a read of res and settles it when due; false when the
// resource is gone (its deletion settled). e.mu is held.
func (e *engine) read(res *resource) bool {
	if res.life == nil {
		return true
	}
	res.life.reads++
	return e.settleIfDue(res)
}

// settleIfDue moves res on when its policy says so; false when it is gone.
func (e *engine) settleIfDue(res *resource) bool {
	l := res.life
	if l == nil || l.held || (l.next == "" && !l.remove) {
		return true
	}
	now := e.now()
	due := l.reads > e.settle.reads
	if e.settle.after > 0 {
		due = now.Sub(l.since) >= e.settle.after
	}
	if !due {
		return true
	}
	if l.remove {
		e.remove(res)
		return false
	}
	e.setState(res, l.next, "")
	return true
}

// setState moves res to state, with a status message for the test's
// failures ("" clears it); deleteTime follows DELETED. e.mu is held.
func (e *engine) setState(res *resource, state, message string) {
	c := res.list.key.coll
	now := e.now()
	res.life = e.enter(c, state, now)
	res.life.status = message
	obj, err := decodeObject(res.public)
	if err != nil {
		return
	}
	obj["state"] = state
	if state == c.machine.Settled {
		e.publishOutputs(res, obj)
	}
	if c.statusField {
		if message == "" {
			delete(obj, "status")
		} else {
			obj["status"] = map[string]any{"code": statusCode(state), "message": message}
		}
	}
	if c.machine.Deleted != "" {
		if state == c.machine.Deleted {
			setTime(c.schema, obj, "deleteTime", now)
		} else {
			delete(obj, "deleteTime")
		}
	}
	res.setPublic(encodeObject(obj))
}

// statusCode is the google.rpc.Code name a state's status carries.
func statusCode(state string) string {
	switch {
	case hasWord(state, "CANCELLED"):
		return "CANCELLED"
	case hasWord(state, "EXPIRED"):
		return "DEADLINE_EXCEEDED"
	case lifecycle.Classify(state) == lifecycle.Failed:
		return "UNKNOWN"
	}
	return "OK"
}

// transition answers :cancel, :resume, :undelete and :scale.
func (k *call) transition() (response, bool) {
	name := k.itemName("")
	e := k.e
	e.mu.Lock()
	defer e.mu.Unlock()
	res := e.lookup(k.c, name)
	if res == nil {
		return notFound(name), false
	}
	m := k.c.machine
	state := res.life.state
	class := lifecycle.Classify(state)
	refuse := func(verb string) (response, bool) {
		return errorResponse(http.StatusBadRequest, codeFailedPrecondition, "cannot "+verb+" "+name+" in state "+state), false
	}
	switch k.rule.kind {
	case opCancel:
		switch {
		case state == m.Cancelling:
		case class == lifecycle.Transitional || (class == lifecycle.Steady && state != m.Settled):
			to := m.Cancelling
			if to == "" {
				to = m.Cancelled
			}
			e.setState(res, to, "")
		default:
			return refuse("cancel")
		}
	case opResume:
		if !(class == lifecycle.Failed || (class == lifecycle.Steady && state != m.Settled)) {
			return refuse("resume")
		}
		to := m.Running
		if to == "" {
			to = m.Created
		}
		e.setState(res, to, "")
	case opUndelete:
		if !res.isDeleted() && !res.isDeleting() {
			return refuse("undelete")
		}
		e.setState(res, m.Settled, "")
	case opScale:
		if res.isDeleted() || res.isDeleting() {
			return refuse("scale")
		}
		if err := e.storeFields(res, k); err != nil {
			return errorResponse(http.StatusBadRequest, codeInvalidArgument, "the request body is not a JSON object"), false
		}
		if m.Updating != "" {
			e.setState(res, m.Updating, "")
		}
	}
	return k.answer(res)
}

// storeFields copies the fields of a verb's body onto the resource, where
// the resource schema has a field of that name (:scale's replicaCount).
func (e *engine) storeFields(res *resource, k *call) error {
	in, err := k.bodyObject()
	if err != nil {
		return err
	}
	obj, err := decodeObject(res.public)
	if err != nil {
		return err
	}
	schema := res.list.key.coll.schema
	for name, v := range in {
		if schema.Properties[name] != nil {
			obj[name] = v
		}
	}
	res.updated = e.now()
	setTime(schema, obj, "updateTime", res.updated)
	res.setPublic(encodeObject(obj))
	return nil
}

// SetState forces the state of a stored resource, by its name
// ("accounts/acct/deployments/d1"), for a test of what a client does when
// a deployment fails or a job is cancelled. message, when not empty,
// becomes the resource's status message (with the code UNKNOWN for a
// failed state, CANCELLED for a cancelled one). A transitional state
// settles as any other would.
//
// A resource that does not exist, or a state its enum does not have,
// fails the test at once (see WithReporter).
func (h *Handler) SetState(name, state, message string) {
	if h.tb != nil {
		h.tb.Helper()
	}
	if err := h.engine.forceState(name, state, message); err != nil {
		h.misuse("gatewaytest: SetState(%q, %q): %v", name, state, err)
	}
}

func (e *engine) forceState(name, state, message string) error {
	c, _, ok := e.collections.collectionOf(name)
	switch {
	case !ok:
		return errors.New("not a resource name of any collection the fake keeps")
	case c.machine == nil:
		return fmt.Errorf("%s have no state", c.name)
	case !c.machine.Has(state):
		return fmt.Errorf("not a state of %s (%s)", c.typeName, strings.Join(c.machine.Values, ", "))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	res := e.lookup(c, name)
	if res == nil {
		return errors.New("no such resource")
	}
	e.setState(res, state, message)
	return nil
}

// State returns a stored resource's state as the API shows it now,
// without counting as a read; "" for a resource without one or that does
// not exist.
func (h *Handler) State(name string) string {
	e := h.engine
	c, _, ok := e.collections.collectionOf(name)
	if !ok {
		return ""
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	res := e.lookup(c, name)
	if res == nil || res.life == nil || !e.settleIfDue(res) {
		return ""
	}
	return res.life.state
}

func hasWord(state, word string) bool {
	for len(state) > 0 {
		i := 0
		for i < len(state) && state[i] != '_' {
			i++
		}
		if state[:i] == word {
			return true
		}
		if i == len(state) {
			break
		}
		state = state[i+1:]
	}
	return false
}
