package gatewaytest

import (
	"encoding/json"
	"net/http"
)

// Gateway status codes (google.rpc.Code), as grpc-gateway writes them.
const (
	codeInvalidArgument    = 3
	codeNotFound           = 5
	codeAlreadyExists      = 6
	codeFailedPrecondition = 9
	codeUnimplemented      = 12
	codeInternal           = 13
	codeUnavailable        = 14
	codeUnauthenticated    = 16
)

// codeForStatus is the code grpc-gateway pairs with an HTTP status.
func codeForStatus(status int) int {
	switch status {
	case http.StatusBadRequest:
		return codeInvalidArgument
	case http.StatusUnauthorized:
		return codeUnauthenticated
	case http.StatusForbidden:
		return 7 // PERMISSION_DENIED
	case http.StatusNotFound:
		return codeNotFound
	case http.StatusConflict:
		return 10 // ABORTED; ALREADY_EXISTS is set explicitly
	case http.StatusTooManyRequests:
		return 8 // RESOURCE_EXHAUSTED
	case http.StatusNotImplemented:
		return codeUnimplemented
	case http.StatusServiceUnavailable:
		return codeUnavailable
	case http.StatusGatewayTimeout:
		return 4 // DEADLINE_EXCEEDED
	case 499:
		return 1 // CANCELLED
	}
	if status >= 500 {
		return codeInternal
	}
	return 2 // UNKNOWN
}

// status is the body of a Gateway error: google.rpc.Status.
type status struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Details []any  `json:"details"`
}

// writeError writes a Gateway error. message must never hold a value from
// the request: callers build it from names and reasons only.
func writeError(w http.ResponseWriter, httpStatus, code int, message string) {
	body, _ := json.Marshal(status{Code: code, Message: message, Details: []any{}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpStatus)
	_, _ = w.Write(body)
}

// errorResponse is a Gateway error as a response value.
func errorResponse(httpStatus, code int, message string) response {
	body, _ := json.Marshal(status{Code: code, Message: message, Details: []any{}})
	return response{status: httpStatus, header: jsonHeader, body: body}
}

// jsonHeader is the header of every JSON answer; shared, never modified.
var jsonHeader = http.Header{"Content-Type": {"application/json"}}

// jsonResponse is a 200 with a JSON body.
func jsonResponse(body []byte) response {
	return response{status: http.StatusOK, header: jsonHeader, body: body}
}
