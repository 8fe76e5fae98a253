package lifecycle

import (
	"reflect"
	"testing"
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
