package lifecycle

import (
	"reflect"
	"slices"
	"testing"

	"github.com/fireworks-gateway/go-sdk/gen"
)

// Enums of the spec (4.259.0), as fixtures: the rule must give each the
// classes and machine below.
var (
	jobState        = []string{"JOB_STATE_UNSPECIFIED", "JOB_STATE_CREATING", "JOB_STATE_RUNNING", "JOB_STATE_COMPLETED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_DELETING", "JOB_STATE_WRITING_RESULTS", "JOB_STATE_VALIDATING", "JOB_STATE_DELETING_CLEANING_UP", "JOB_STATE_PENDING", "JOB_STATE_EXPIRED", "JOB_STATE_RE_QUEUEING", "JOB_STATE_CREATING_INPUT_DATASET", "JOB_STATE_IDLE", "JOB_STATE_CANCELLING", "JOB_STATE_EARLY_STOPPED", "JOB_STATE_PAUSED", "JOB_STATE_DELETED"}
	deploymentState = []string{"STATE_UNSPECIFIED", "CREATING", "READY", "DELETING", "FAILED", "UPDATING", "DELETED"}
	datasetState    = []string{"STATE_UNSPECIFIED", "UPLOADING", "READY"}
	deployedModel   = []string{"STATE_UNSPECIFIED", "UNDEPLOYING", "DEPLOYING", "DEPLOYED", "UPDATING"}
	evaluatorState  = []string{"STATE_UNSPECIFIED", "ACTIVE", "BUILDING", "BUILD_FAILED"}
	developerPass   = []string{"STATE_UNSPECIFIED", "ACTIVE", "EXPIRED"}
	trainingSession = []string{"TRAINING_SESSION_STATE_UNSPECIFIED", "READY", "FAILED"}
)

func TestClassify(t *testing.T) {
	for state, want := range map[string]Class{
		"STATE_UNSPECIFIED":                  Unspecified,
		"JOB_STATE_UNSPECIFIED":              Unspecified,
		"TRAINING_SESSION_STATE_UNSPECIFIED": Unspecified,
		"CREATING":                           Transitional,
		"UPLOADING":                          Transitional,
		"BUILDING":                           Transitional,
		"UNDEPLOYING":                        Transitional,
		"JOB_STATE_RUNNING":                  Transitional,
		"JOB_STATE_PENDING":                  Transitional,
		"JOB_STATE_RE_QUEUEING":              Transitional,
		"JOB_STATE_CREATING_INPUT_DATASET":   Transitional,
		"JOB_STATE_DELETING_CLEANING_UP":     Transitional,
		"JOB_STATE_WRITING_RESULTS":          Transitional,
		"READY":                              Steady,
		"ACTIVE":                             Steady,
		"DEPLOYED":                           Steady,
		"JOB_STATE_COMPLETED":                Steady,
		"JOB_STATE_IDLE":                     Steady,
		"JOB_STATE_PAUSED":                   Steady,
		"JOB_STATE_EARLY_STOPPED":            Steady,
		"FAILED":                             Failed,
		"BUILD_FAILED":                       Failed,
		"JOB_STATE_CANCELLED":                Failed,
		"JOB_STATE_EXPIRED":                  Failed,
		"EXPIRED":                            Failed,
		"DELETED":                            Deleted,
		"JOB_STATE_DELETED":                  Deleted,
		"ING":                                Steady, // a word, not a suffix
	} {
		if got := Classify(state); got != want {
			t.Errorf("Classify(%s) = %v, want %v", state, got, want)
		}
	}
}

func TestNewMachine(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   Machine
	}{
		{"jobs", jobState, Machine{Created: "JOB_STATE_CREATING", Settled: "JOB_STATE_COMPLETED", Failed: "JOB_STATE_FAILED",
			Deleting: "JOB_STATE_DELETING", Deleted: "JOB_STATE_DELETED", Cancelling: "JOB_STATE_CANCELLING", Cancelled: "JOB_STATE_CANCELLED", Running: "JOB_STATE_RUNNING"}},
		{"deployments", deploymentState, Machine{Created: "CREATING", Settled: "READY", Failed: "FAILED", Updating: "UPDATING", Deleting: "DELETING", Deleted: "DELETED"}},
		{"datasets", datasetState, Machine{Created: "UPLOADING", Settled: "READY"}},
		{"deployed models", deployedModel, Machine{Created: "DEPLOYING", Settled: "DEPLOYED", Updating: "UPDATING"}},
		{"evaluators", evaluatorState, Machine{Created: "BUILDING", Settled: "ACTIVE", Failed: "BUILD_FAILED"}},
		{"developer passes: ready at once", developerPass, Machine{Created: "ACTIVE", Settled: "ACTIVE"}},
		{"training sessions: a prefix on one value only", trainingSession, Machine{Created: "READY", Settled: "READY", Failed: "FAILED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewMachine(tt.values)
			tt.want.Values = tt.values
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if !got.Has(got.Created) || !got.Has(got.Settled) || got.Has("NOT_A_STATE") {
				t.Error("Has disagrees with Values")
			}
		})
	}
}

func TestClassString(t *testing.T) {
	if Transitional.String() != "transitional" || Class(42).String() != "Class(42)" {
		t.Errorf("%s, %s", Transitional, Class(42))
	}
}

// TestGoal: the steady states a resource is made to reach, and no others.
func TestGoal(t *testing.T) {
	for state, want := range map[string]bool{
		"READY": true, "JOB_STATE_COMPLETED": true, "JOB_STATE_EARLY_STOPPED": true, "ACTIVE": true, "DEPLOYED": true, "PAID": true,
		"JOB_STATE_PAUSED": false, "JOB_STATE_IDLE": false, "ISSUED": false, "CREATING": false, "FAILED": false,
		"DELETED": false, "STATE_UNSPECIFIED": false, "READY_FAILED": false,
	} {
		if Goal(state) != want {
			t.Errorf("Goal(%s) = %v, want %v", state, !want, want)
		}
	}
}

// TestTheFakeSettlesWhereWaitersWait: for every state enum of the spec, the
// fake's machine settles a resource in a state the client's Wait takes for
// success, fails it in one Wait takes for failure, and creates it in one
// Wait polls through: the fake and the waiters read one rule.
func TestTheFakeSettlesWhereWaitersWait(t *testing.T) {
	if len(gen.States) == 0 {
		t.Fatal("gen.States is empty: nothing to compare")
	}
	for enum, kinds := range gen.States {
		values := slices.Concat(kinds.Success, kinds.Failure, kinds.Transitional, kinds.Other)
		m := NewMachine(values)
		if !slices.Contains(kinds.Success, m.Settled) {
			t.Errorf("%s: the fake settles in %s, which Wait does not take for success %v", enum, m.Settled, kinds.Success)
		}
		if m.Failed != "" && !slices.Contains(kinds.Failure, m.Failed) {
			t.Errorf("%s: the fake fails in %s, which Wait does not take for failure", enum, m.Failed)
		}
		if !slices.Contains(kinds.Transitional, m.Created) && !slices.Contains(kinds.Success, m.Created) {
			t.Errorf("%s: the fake creates in %s, where Wait would stop", enum, m.Created)
		}
	}
}
