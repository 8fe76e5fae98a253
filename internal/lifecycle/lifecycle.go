// Package lifecycle classifies the states of the Gateway's long-running
// resources (deployments, jobs, datasets, models, clusters...) by a rule
// on their enum values, and derives from an enum the state machine the
// fake Gateway runs: where a resource starts, where it settles, and the
// states that deleting, cancelling, resuming and updating pass through.
//
// The rule reads the words of a value (JOB_STATE_CREATING_INPUT_DATASET is
// JOB, STATE, CREATING, INPUT, DATASET), so that a state the spec adds is
// classified without a code change:
//
//   - Unspecified: the last word is UNSPECIFIED (the protobuf zero value).
//   - Failed: a word is FAILED, CANCELLED or EXPIRED (FAILED, BUILD_FAILED,
//     JOB_STATE_CANCELLED): the resource ended without reaching its goal.
//   - Deleted: a word is DELETED.
//   - Transitional: a word ends in ING (CREATING, JOB_STATE_RUNNING,
//     PENDING, JOB_STATE_DELETING_CLEANING_UP): the resource is moving and
//     a caller waits.
//   - Steady: every other value (READY, JOB_STATE_COMPLETED, ACTIVE,
//     DEPLOYED, JOB_STATE_PAUSED): the resource stays as it is until
//     someone acts on it.
//
// It is shared by the fake (api/gatewaytest) and the generator, which
// writes every state enum's values by kind into gen.States for the
// client's waiters: a waiter polls while Classify says Unspecified or
// Transitional, succeeds on a Goal state, gives up on Failed or Deleted,
// and stops, saying so, on another steady state.
package lifecycle

import "strings"

// Class is what a state says about a resource.
type Class int

// The classes, in the order the rule tests them.
const (
	Unspecified Class = iota
	Failed
	Deleted
	Transitional
	Steady
)

var classNames = [...]string{"unspecified", "failed", "deleted", "transitional", "steady"}

func (c Class) String() string {
	if c < 0 || int(c) >= len(classNames) {
		return "Class(" + itoa(int(c)) + ")"
	}
	return classNames[c]
}

// Classify returns the class of a state value by the package's rule.
func Classify(state string) Class {
	words := strings.Split(state, "_")
	if words[len(words)-1] == "UNSPECIFIED" {
		return Unspecified
	}
	class := Steady
	for _, w := range words {
		switch {
		case w == "FAILED" || w == "CANCELLED" || w == "EXPIRED":
			return Failed
		case w == "DELETED":
			class = min(class, Deleted)
		case strings.HasSuffix(w, "ING") && len(w) > 3:
			class = min(class, Transitional)
		}
	}
	return class
}

// Goal reports whether a steady state is one a resource is made to reach,
// what a waiter waits for by default: its last word is READY, COMPLETED,
// ACTIVE, DEPLOYED, SUCCEEDED or PAID, or it ends in EARLY_STOPPED (a job
// its stopping criteria ended). Other steady states (PAUSED, IDLE, ISSUED)
// are where a resource rests without having got there.
func Goal(state string) bool {
	if Classify(state) != Steady {
		return false
	}
	words := strings.Split(state, "_")
	switch words[len(words)-1] {
	case "READY", "COMPLETED", "ACTIVE", "DEPLOYED", "SUCCEEDED", "PAID":
		return true
	}
	return strings.HasSuffix(state, "EARLY_STOPPED")
}

// Machine is the state machine of one state enum: the states a resource
// passes through, each "" when the enum has no such state.
type Machine struct {
	// Values are the enum's values, in the spec's order.
	Values []string
	// Created is where a new resource starts: the CREATING state, else the
	// first transitional state that is not a teardown or an update
	// (UPLOADING, BUILDING, DEPLOYING), else Settled (a resource that is
	// ready at once).
	Created string
	// Settled is where a resource comes to rest: READY, else COMPLETED,
	// ACTIVE or DEPLOYED, else the first steady state.
	Settled string
	// Failed is the state a failure sets: FAILED, else the first failed
	// state that names a failure (BUILD_FAILED).
	Failed string
	// Updating, Deleting, Deleted, Cancelling, Cancelled and Running are the
	// states of those names (after the enum's common prefix).
	Updating, Deleting, Deleted, Cancelling, Cancelled, Running string
}

// NewMachine derives the machine of an enum from its values. The enum's
// common prefix of whole words (JOB_STATE_) is ignored when states are
// matched by name.
func NewMachine(values []string) Machine {
	m := Machine{Values: append([]string(nil), values...)}
	prefix := commonWordPrefix(values)
	named := func(name string) string {
		for _, v := range values {
			if strings.TrimPrefix(v, prefix) == name {
				return v
			}
		}
		return ""
	}
	m.Updating, m.Deleting, m.Deleted = named("UPDATING"), named("DELETING"), named("DELETED")
	m.Cancelling, m.Cancelled, m.Running = named("CANCELLING"), named("CANCELLED"), named("RUNNING")

	for _, name := range []string{"READY", "COMPLETED", "ACTIVE", "DEPLOYED"} {
		if m.Settled = named(name); m.Settled != "" {
			break
		}
	}
	if m.Settled == "" {
		m.Settled = first(values, func(v string) bool { return Classify(v) == Steady })
	}

	m.Failed = named("FAILED")
	if m.Failed == "" {
		m.Failed = first(values, func(v string) bool {
			return Classify(v) == Failed && strings.Contains(v, "FAILED")
		})
	}

	m.Created = named("CREATING")
	if m.Created == "" {
		m.Created = first(values, func(v string) bool {
			if Classify(v) != Transitional {
				return false
			}
			switch strings.TrimPrefix(v, prefix) {
			case "UPDATING", "DELETING", "UNDEPLOYING", "CANCELLING", "RUNNING":
				return false
			}
			return true
		})
	}
	if m.Created == "" {
		m.Created = m.Settled
	}
	return m
}

// Has reports whether state is a value of the enum.
func (m Machine) Has(state string) bool {
	for _, v := range m.Values {
		if v == state {
			return true
		}
	}
	return false
}

// commonWordPrefix returns the prefix of whole words ("JOB_STATE_") that
// every value shares, and "" when they share none. A value that the
// prefix would consume entirely keeps it.
func commonWordPrefix(values []string) string {
	if len(values) < 2 {
		return ""
	}
	prefix := values[0]
	for _, v := range values[1:] {
		for !strings.HasPrefix(v, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	cut := strings.LastIndexByte(prefix, '_')
	if cut < 0 {
		return ""
	}
	prefix = prefix[:cut+1]
	for _, v := range values {
		if v == strings.TrimSuffix(prefix, "_") || len(v) == len(prefix) {
			return ""
		}
	}
	return prefix
}

func first(values []string, ok func(string) bool) string {
	for _, v := range values {
		if ok(v) {
			return v
		}
	}
	return ""
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
