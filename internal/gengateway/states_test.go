package main

import (
	"strings"
	"testing"
)

// TestStatesAreClassifiedByTheirWords: the rule of classifyState on every
// kind of value the spec's enums hold, and on the spec itself: every state
// enum has a success state and every value a kind.
func TestStatesAreClassifiedByTheirWords(t *testing.T) {
	for value, want := range map[string]string{
		"STATE_UNSPECIFIED":                  stateTransitional,
		"TRAINING_SESSION_STATE_UNSPECIFIED": stateTransitional,
		"CREATING":                           stateTransitional,
		"JOB_STATE_RUNNING":                  stateTransitional,
		"JOB_STATE_WRITING_RESULTS":          stateTransitional, // a word ending in ING, not the last
		"JOB_STATE_DELETING_CLEANING_UP":     stateTransitional,
		"JOB_STATE_PENDING":                  stateTransitional,
		"DRAFT":                              stateOther,
		"READY":                              stateSuccess,
		"JOB_STATE_COMPLETED":                stateSuccess,
		"JOB_STATE_EARLY_STOPPED":            stateSuccess,
		"ACTIVE":                             stateSuccess,
		"DEPLOYED":                           stateSuccess,
		"FAILED":                             stateFailure,
		"BUILD_FAILED":                       stateFailure,
		"JOB_STATE_CANCELLED":                stateFailure,
		"JOB_STATE_EXPIRED":                  stateFailure,
		"DELETED":                            stateFailure,
		"VOID":                               stateOther,
		"JOB_STATE_IDLE":                     stateOther,
		"JOB_STATE_PAUSED":                   stateOther,
		"ISSUED":                             stateOther,
	} {
		if got := classifyState(value); got != want {
			t.Errorf("classifyState(%s) = %s, want %s", value, got, want)
		}
	}

	doc, _, _ := prepared(t, servicesSpec)
	if enums, err := stateEnums(doc); err != nil || len(enums) != 0 {
		t.Errorf("a spec without states: %v, %v", enums, err)
	}
	withState := strings.Replace(servicesSpec, "    gatewaySecret:\n      type: object\n      properties:\n", "    gatewaySecret:\n      type: object\n      properties:\n        state: {$ref: '#/components/schemas/gatewaySecretState'}\n", 1)
	withState += "    gatewaySecretState:\n      type: string\n      enum: [STATE_UNSPECIFIED, CREATING, READY, FAILED]\n"
	doc, _, _ = prepared(t, withState)
	enums, err := stateEnums(doc)
	if err != nil {
		t.Fatal(err)
	}
	e := enums["SecretState"]
	if e == nil || strings.Join(e.Kinds[stateSuccess], ",") != "READY" || strings.Join(e.Kinds[stateTransitional], ",") != "STATE_UNSPECIFIED,CREATING" {
		t.Errorf("SecretState = %+v", e)
	}
	noSuccess := strings.Replace(withState, "[STATE_UNSPECIFIED, CREATING, READY, FAILED]", "[STATE_UNSPECIFIED, CREATING, FAILED]", 1)
	doc, _, _ = prepared(t, noSuccess)
	if _, err := stateEnums(doc); err == nil || !strings.Contains(err.Error(), "no value the rule calls a success") {
		t.Errorf("an enum without a success state: %v", err)
	}
}
