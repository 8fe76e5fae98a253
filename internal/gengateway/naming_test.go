package main

import (
	"strings"
	"testing"
)

// TestEnumValueNameDropsTheTypeNamesRepetition: an enum constant's name is
// its value in CamelCase without the leading words that repeat the end of
// the type's name; words with digits and Go's initialisms keep their
// capitals; the value's last word is never dropped.
func TestEnumValueNameDropsTheTypeNamesRepetition(t *testing.T) {
	cases := []struct{ typ, value, want string }{
		{"JobState", "JOB_STATE_COMPLETED", "Completed"},
		{"JobState", "JOB_STATE_UNSPECIFIED", "Unspecified"},
		{"DeploymentState", "READY", "Ready"},
		{"DeploymentState", "STATE_UNSPECIFIED", "Unspecified"},
		{"AccountAccountType", "ACCOUNT_TYPE_UNSPECIFIED", "Unspecified"},
		{"EvaluatorSourceType", "TYPE_GITHUB", "Github"},
		{"CheckpointType", "CHECKPOINT_TYPE_INFERENCE_LORA", "InferenceLora"},
		{"AcceleratorType", "NVIDIA_A100_80GB", "NvidiaA10080GB"},
		{"DeploymentPrecision", "FP8_MM_KV_ATTN_V2", "FP8MmKvAttnV2"},
		{"Region", "US_IOWA_1", "UsIowa1"},
		{"State", "STATE", "State"},         // nothing would be left: kept
		{"Thing", "API_KEY_ID", "APIKeyID"}, // Go's initialisms
		{"Thing", "", "Empty"},
		{"JobState", "JOB_PENDING", "JobPending"}, // only a repetition of the name's end is dropped
	}
	for _, c := range cases {
		if got := enumValueName(c.typ, c.value); got != c.want {
			t.Errorf("enumValueName(%q, %q) = %q, want %q", c.typ, c.value, got, c.want)
		}
	}
}

// TestRenameEnumConstantsRenamesDeclarationsAndUses: the constants of an
// oapi-codegen enum group are renamed where declared and where used, and
// nothing else is.
func TestRenameEnumConstantsRenamesDeclarationsAndUses(t *testing.T) {
	src := `package gen

type JobState string

// Defines values for JobState.
const (
	JobStateJOBSTATECOMPLETED JobState = "JOB_STATE_COMPLETED"
	JobStateJOBSTATEFAILED    JobState = "JOB_STATE_FAILED"
)

// Valid reports a known value.
func (e JobState) Valid() bool {
	switch e {
	case JobStateJOBSTATECOMPLETED, JobStateJOBSTATEFAILED:
		return true
	}
	return false
}

type Other struct{ JobStateJOBSTATEFAILED int }
`
	out, renames, err := renameEnumConstants([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{
		`JobStateCompleted JobState = "JOB_STATE_COMPLETED"`,
		`JobStateFailed    JobState = "JOB_STATE_FAILED"`,
		`case JobStateCompleted, JobStateFailed:`,
		`type Other struct{ JobStateJOBSTATEFAILED int }`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("renamed source lacks %q:\n%s", want, got)
		}
	}
	if len(renames) != 2 || renames[0].Old != "JobStateJOBSTATECOMPLETED" || renames[0].New != "JobStateCompleted" {
		t.Errorf("renames = %+v", renames)
	}
}

// TestRenameEnumConstantsClashFailsNamingBoth: two values that would get
// one name, or a name declared already, fail generation naming both.
func TestRenameEnumConstantsClashFailsNamingBoth(t *testing.T) {
	twoValues := `package gen

type JobState string

// Defines values for JobState.
const (
	JobStateJOBSTATEREADY JobState = "JOB_STATE_READY"
	JobStateREADY         JobState = "READY"
)
`
	_, _, err := renameEnumConstants([]byte(twoValues))
	if err == nil || !strings.Contains(err.Error(), "JobStateJOBSTATEREADY") || !strings.Contains(err.Error(), "JobStateREADY") || !strings.Contains(err.Error(), "JobStateReady") {
		t.Errorf("two values, one name: err = %v, want both constants and the name", err)
	}
	declared := `package gen

type JobState string

type JobStateReady struct{}

// Defines values for JobState.
const (
	JobStateREADY JobState = "READY"
)
`
	_, _, err = renameEnumConstants([]byte(declared))
	if err == nil || !strings.Contains(err.Error(), "JobStateREADY") || !strings.Contains(err.Error(), "declared already") {
		t.Errorf("a declared name: err = %v, want the constant and the clash named", err)
	}
}

// TestArticleFollowsTheSound: "an" before a vowel sound, "a" before a
// consonant sound, by the first letter, its spoken name for an
// initialism, and the exceptions table.
func TestArticleFollowsTheSound(t *testing.T) {
	cases := map[string]string{
		"account": "an", "evaluator": "an", "identity provider": "an", "user": "a", "usage": "a",
		"deployment": "a", "API key": "an", "RLOR job": "an", "URL": "a", "GPU": "a", "hour": "an", "one": "a", "user-specified alias": "a", "*Error": "an", "*WaitError": "a",
	}
	for next, want := range cases {
		if got := article(next); got != want {
			t.Errorf("article(%q) = %q, want %q", next, got, want)
		}
	}
}

// TestPhraseNamesAServiceInWords: a Go name becomes lower-case words,
// initialisms kept.
func TestPhraseNamesAServiceInWords(t *testing.T) {
	cases := map[string]string{
		"DeploymentShapeVersions": "deployment shape versions",
		"APIKeys":                 "API keys",
		"Secrets":                 "secrets",
	}
	for name, want := range cases {
		if got := phrase(name); got != want {
			t.Errorf("phrase(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestMarkDeprecationsByRule: the flag, a summary ending "(Deprecated)" and
// a description saying deprecated each deprecate an operation; the
// replacement is the operation the text names, else the id with V2, else
// none; the description's own Deprecated paragraph gives way to the
// reason; other operations are left alone.
func TestMarkDeprecationsByRule(t *testing.T) {
	spec := loadSpec(t, `
openapi: 3.0.0
info: {title: t, version: "1.0"}
paths:
  /a:
    get: {operationId: Old, summary: "Get old (Deprecated)", responses: {"200": {description: ok}}}
    post: {operationId: Named, description: "Creates.\n\nDeprecated: Use New instead", responses: {"200": {description: ok}}}
  /b:
    get: {operationId: OldV2, responses: {"200": {description: ok}}}
    post: {operationId: New, responses: {"200": {description: ok}}}
  /c:
    get: {operationId: Flagged, deprecated: true, responses: {"200": {description: ok}}}
    post: {operationId: Current, description: "Current.", responses: {"200": {description: ok}}}
`)
	ids := map[string]string{}
	for _, op := range operations(spec) {
		ids[op.Operation.OperationID] = "Gateway_" + op.Operation.OperationID
	}
	got := markDeprecations(spec, ids)
	want := map[string]string{"Old": "OldV2", "Named": "New", "Flagged": ""}
	if len(got) != len(want) {
		t.Errorf("deprecated %v, want %v", got, want)
	}
	for id, replacement := range want {
		if d, ok := got[id]; !ok || d.Replacement != replacement {
			t.Errorf("%s: %+v (deprecated %v), want replacement %q", id, d, ok, replacement)
		}
	}
	for _, op := range operations(spec) {
		o := op.Operation
		_, isDeprecated := want[o.OperationID]
		if o.Deprecated != isDeprecated {
			t.Errorf("%s: deprecated flag %v", o.OperationID, o.Deprecated)
		}
		if o.OperationID == "Named" && o.Description != "Creates." {
			t.Errorf("Named: description %q, want its Deprecated paragraph removed", o.Description)
		}
		if o.OperationID == "Named" && o.Extensions["x-deprecated-reason"] != "use New instead: the Gateway deprecates Named." {
			t.Errorf("Named: reason %v", o.Extensions["x-deprecated-reason"])
		}
	}
}
