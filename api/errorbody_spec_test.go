package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// TestErrorDecodesTheSpecsErrorBody: an error answer built from the
// generated gen.GooglerpcStatus (the spec's error body, every operation's
// default response by the overlay) gives *api.Error its code, message and
// details, for every google.rpc code; so the SDK's lenient decoder and the
// spec's type cannot drift apart unnoticed.
func TestErrorDecodesTheSpecsErrorBody(t *testing.T) {
	codes := []api.Code{
		api.CodeCancelled, api.CodeUnknown, api.CodeInvalidArgument, api.CodeDeadlineExceeded,
		api.CodeNotFound, api.CodeAlreadyExists, api.CodePermissionDenied, api.CodeResourceExhausted,
		api.CodeFailedPrecondition, api.CodeAborted, api.CodeOutOfRange, api.CodeUnimplemented,
		api.CodeInternal, api.CodeUnavailable, api.CodeDataLoss, api.CodeUnauthenticated,
	}
	for i, want := range codes {
		code := int32(i + 1) // google.rpc.Code numbers
		message := "the message of " + string(want)
		typeURL := "type.googleapis.com/google.rpc.ErrorInfo"
		body, err := json.Marshal(gen.GooglerpcStatus{
			Code:    &code,
			Message: &message,
			Details: &[]gen.ProtobufAny{{Type: &typeURL, AdditionalProperties: map[string]any{"reason": "R"}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		rt := script(step{status: http.StatusBadRequest, body: string(body)})
		c := newClient(t, rt, api.WithMaxRetries(0))
		_, err = c.Secrets.Get(context.Background(), "sec", nil)
		var apiErr *api.Error
		if !errors.As(err, &apiErr) {
			t.Fatalf("code %d: err = %v (%T), want *api.Error", code, err, err)
		}
		if apiErr.Code != want || apiErr.Message != message || len(apiErr.Details) != 1 {
			t.Errorf("code %d: got code %q, message %q, %d details; want %q, %q, 1", code, apiErr.Code, apiErr.Message, len(apiErr.Details), want, message)
			continue
		}
		var detail gen.ProtobufAny
		if err := json.Unmarshal(apiErr.Details[0], &detail); err != nil || detail.Type == nil || *detail.Type != typeURL || detail.AdditionalProperties["reason"] != "R" {
			t.Errorf("code %d: the detail decoded as %+v (%v)", code, detail, err)
		}
	}
}
