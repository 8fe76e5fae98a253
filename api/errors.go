package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/fireworks-gateway/go-sdk/internal/paging"
)

// MaxErrorBody is how many bytes of an error response's body are kept in
// Error.Body and decoded; the rest is discarded.
const MaxErrorBody = 64 << 10

// maxMessageInError bounds the server's message in Error(), so that one
// log line stays one line; Error.Message keeps all of it.
const maxMessageInError = 512

// Code is a Gateway (google.rpc) status code name, such as "NOT_FOUND".
type Code string

// The Gateway's status codes, as named by google.rpc.Code.
const (
	CodeCancelled          Code = "CANCELLED"
	CodeUnknown            Code = "UNKNOWN"
	CodeInvalidArgument    Code = "INVALID_ARGUMENT"
	CodeDeadlineExceeded   Code = "DEADLINE_EXCEEDED"
	CodeNotFound           Code = "NOT_FOUND"
	CodeAlreadyExists      Code = "ALREADY_EXISTS"
	CodePermissionDenied   Code = "PERMISSION_DENIED"
	CodeResourceExhausted  Code = "RESOURCE_EXHAUSTED"
	CodeFailedPrecondition Code = "FAILED_PRECONDITION"
	CodeAborted            Code = "ABORTED"
	CodeOutOfRange         Code = "OUT_OF_RANGE"
	CodeUnimplemented      Code = "UNIMPLEMENTED"
	CodeInternal           Code = "INTERNAL"
	CodeUnavailable        Code = "UNAVAILABLE"
	CodeDataLoss           Code = "DATA_LOSS"
	CodeUnauthenticated    Code = "UNAUTHENTICATED"
)

// codesByNumber maps google.rpc.Code numbers to names; 0 (OK) is absent.
var codesByNumber = [...]Code{
	1: CodeCancelled, 2: CodeUnknown, 3: CodeInvalidArgument, 4: CodeDeadlineExceeded,
	5: CodeNotFound, 6: CodeAlreadyExists, 7: CodePermissionDenied, 8: CodeResourceExhausted,
	9: CodeFailedPrecondition, 10: CodeAborted, 11: CodeOutOfRange, 12: CodeUnimplemented,
	13: CodeInternal, 14: CodeUnavailable, 15: CodeDataLoss, 16: CodeUnauthenticated,
}

// Sentinel errors to test an *Error against with errors.Is, so that callers
// branch on what happened without comparing status codes.
var (
	// ErrNotFound: 404, or the code NOT_FOUND.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists: the code ALREADY_EXISTS (a 409 that is not ABORTED).
	ErrAlreadyExists = errors.New("already exists")
	// ErrUnauthenticated: 401, or the code UNAUTHENTICATED.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrPermissionDenied: 403, or the code PERMISSION_DENIED.
	ErrPermissionDenied = errors.New("permission denied")
	// ErrRateLimited: 429, or the code RESOURCE_EXHAUSTED.
	ErrRateLimited = errors.New("rate limited")
	// ErrUnavailable: 503, or the code UNAVAILABLE.
	ErrUnavailable = errors.New("unavailable")
)

// Error is a non-2xx response of the Gateway, returned by every operation
// of Client after its retries. Use errors.As to get it, and errors.Is with
// ErrNotFound, ErrAlreadyExists, ErrUnauthenticated, ErrPermissionDenied,
// ErrRateLimited or ErrUnavailable to branch on it.
type Error struct {
	// StatusCode is the HTTP status of the final response.
	StatusCode int
	// Code is the Gateway status code from the body, such as CodeNotFound;
	// empty if the body named none.
	Code Code
	// Message is the body's message, if any.
	Message string
	// Details are the body's details, undecoded.
	Details []json.RawMessage
	// RequestID is the response's x-request-id header, if present.
	RequestID string
	// Method and Path are the request's; Path is escaped as it was sent
	// (EscapedPath) and never includes the query.
	Method, Path string
	// Attempts is how many times the request was sent.
	Attempts int
	// RetryAfter is the wait the server asked for, if it asked.
	RetryAfter time.Duration
	// Body is the raw response body, at most MaxErrorBody bytes.
	Body []byte
	// Response is the final response. Its Body reads Body again; its
	// headers are redacted as Body is; its Request is the request's
	// method, URL and headers only: no body, no GetBody, no credentials.
	Response *http.Response
}

// Error reports the operation, the status and the server's message.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s", e.Method, e.Path, e.status())
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " [after %s]", attemptsText(e.Attempts))
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request id %s]", oneLine(e.RequestID, maxRequestIDInError))
	}
	return b.String()
}

// status is the answer in one line: status, code and message.
func (e *Error) status() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", oneLine(e.Message, maxMessageInError))
	}
	return b.String()
}

// attemptsText is "1 attempt", "2 attempts".
func attemptsText(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return strconv.Itoa(n) + " attempts"
}

// maxRequestIDInError bounds the request id in Error(); Error.RequestID
// keeps all of it.
const maxRequestIDInError = 128

// oneLine makes server text fit in one log line: control characters
// (newlines included) become spaces, and text longer than limit bytes is
// cut, on a rune boundary, with an ellipsis.
func oneLine(s string, limit int) string {
	cut := len(s) > limit
	if cut {
		s = strings.ToValidUTF8(s[:limit], "")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if cut {
		s += "…"
	}
	return s
}

// Is makes errors.Is(err, ErrNotFound) and the other sentinels work.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Code == CodeNotFound || (e.Code == "" && e.StatusCode == http.StatusNotFound)
	case ErrAlreadyExists:
		return e.Code == CodeAlreadyExists
	case ErrUnauthenticated:
		return e.Code == CodeUnauthenticated || (e.Code == "" && e.StatusCode == http.StatusUnauthorized)
	case ErrPermissionDenied:
		return e.Code == CodePermissionDenied || (e.Code == "" && e.StatusCode == http.StatusForbidden)
	case ErrRateLimited:
		return e.Code == CodeResourceExhausted || e.StatusCode == http.StatusTooManyRequests
	case ErrUnavailable:
		return e.Code == CodeUnavailable || e.StatusCode == http.StatusServiceUnavailable
	}
	return false
}

// TransportError is a call that got no response: the connection failed,
// an attempt timed out, or the caller's context ended. It wraps the cause,
// so errors.Is(err, context.DeadlineExceeded) works. When the call ended
// while waiting to retry, Last is the failure of the last attempt, and
// errors.As finds it too (an *Error, say).
type TransportError struct {
	// Method and Path are the request's; Path is escaped as it was sent
	// (EscapedPath) and never includes the query.
	Method, Path string
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the cause.
	Err error
	// Last is the last attempt's failure when the call ended between
	// attempts; nil otherwise.
	Last error

	// cause is Err's text with the API key and the request's secret
	// values redacted, made when the error was; Error() shows it, so that
	// a transport that quotes what it sent cannot leak through the SDK.
	cause string
}

// Error reports the operation and what failed before an answer came.
func (e *TransportError) Error() string {
	cause := e.cause
	if cause == "" && e.Err != nil {
		cause = e.Err.Error()
	}
	msg := fmt.Sprintf("%s %s: %s [after %s]", e.Method, e.Path, oneLine(cause, maxMessageInError), attemptsText(e.Attempts))
	switch last := e.Last.(type) {
	case *Error:
		msg += " (last attempt: " + last.status() + ")"
	case *TransportError:
		msg += " (last attempt: " + oneLine(last.cause, maxMessageInError) + ")"
	}
	return msg
}

// Unwrap gives the cause, and the last attempt's failure if any.
func (e *TransportError) Unwrap() []error {
	if e.Last == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Last}
}

// DecodeError is a 2xx answer whose body is not the JSON the operation
// returns (not JSON at all, cut short, or of another shape): the server
// answered, but the SDK cannot give its result.
type DecodeError struct {
	// Method and Path are the request's; Path is escaped as it was sent
	// (EscapedPath) and never includes the query.
	Method, Path string
	// StatusCode is the answer's HTTP status.
	StatusCode int
	// ContentType is the answer's Content-Type.
	ContentType string
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the decoder's error.
	Err error
	// Snippet is the start of the body (at most MaxDecodeSnippet bytes),
	// with secret values redacted.
	Snippet string
}

// MaxDecodeSnippet bounds DecodeError.Snippet.
const MaxDecodeSnippet = 256

// Error reports the operation, the answer's status and type, and why it
// could not be decoded.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s %s: %d answer is not the expected JSON (Content-Type %q): %v [after %d attempts]",
		e.Method, e.Path, e.StatusCode, e.ContentType, e.Err, e.Attempts)
}

// Unwrap returns the decoding error, for errors.Is and errors.As.
func (e *DecodeError) Unwrap() error { return e.Err }

// ErrNoAccount is returned, before anything is sent, by a call on an
// account when the Client has none: set FIREWORKS_ACCOUNT_ID, or use
// WithAccount for the Client or for the call.
var ErrNoAccount = errors.New("no account: set " + EnvAccountID + " or use api.WithAccount (for the Client or for the call)")

// ErrRepeatedToken ends a List iteration whose server returned a page
// token it had already returned: following it would loop for ever.
var ErrRepeatedToken = paging.ErrRepeatedToken

// ErrTooManyPages ends a List iteration whose server gave more than
// paging.MaxPages (100,000) pages: one that hands out a new token for ever
// cannot drive an iteration, even on context.Background(), for ever.
var ErrTooManyPages = paging.ErrTooManyPages

// ContractError is a call that breaks the Gateway spec the SDK was
// generated from, found by contract validation (package api/contract): a
// request the SDK was about to send (it was not sent), or a 2xx response
// it received. Use errors.As to get it.
type ContractError struct {
	// Operation is the operation id, such as "UpdateSecret"; empty when no
	// operation of the spec matches the request's method and path.
	Operation string
	// Method and Path are the request's; Path is escaped as it was sent
	// (EscapedPath) and never includes the query.
	Method, Path string
	// Direction is ContractRequest or ContractResponse.
	Direction string
	// Err is the problem: where (a parameter, a header, a JSON pointer into
	// the body) and why. It never quotes a value of the body or headers.
	Err error
}

// Directions of a ContractError.
const (
	ContractRequest  = "request"
	ContractResponse = "response"
)

// Error reports the operation, which side broke the spec, and how.
func (e *ContractError) Error() string {
	op := e.Operation
	if op == "" {
		op = "no operation of the spec"
	}
	return fmt.Sprintf("%s %s (%s): %s breaks the Gateway spec: %v", e.Method, e.Path, op, e.Direction, e.Err)
}

// Unwrap returns the validator's error, for errors.Is and errors.As.
func (e *ContractError) Unwrap() error { return e.Err }

// errorBody is the union of the error bodies the Gateway is known to send:
// grpc-gateway's google.rpc.Status (gen.GooglerpcStatus, every operation's
// default response in the spec, by gen/overlay.yaml), and {"error":
// {"message": ...}}. It is not gen.GooglerpcStatus itself because it must
// be lenient where that type is strict: a code given by name ("NOT_FOUND")
// or as a string still gives the code, where decoding into the generated
// type would fail and lose the message too. Contract mode
// (api/contract) is where an error body of another shape is flagged.
type errorBody struct {
	Code    json.RawMessage   `json:"code"`
	Message string            `json:"message"`
	Details []json.RawMessage `json:"details"`
	Error   *struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Status  string          `json:"status"`
	} `json:"error"`
}

// decodeErrorBody fills Code, Message and Details from any of the known
// error shapes, leniently: a body that is not JSON, or not of these shapes,
// leaves them empty and is still kept in Body.
func decodeErrorBody(e *Error, body []byte) {
	var eb errorBody
	if json.Unmarshal(body, &eb) != nil {
		return
	}
	e.Message, e.Details = eb.Message, eb.Details
	e.Code = decodeCode(eb.Code)
	if eb.Error != nil {
		if e.Message == "" {
			e.Message = eb.Error.Message
		}
		if e.Code == "" {
			e.Code = decodeCode(eb.Error.Code)
		}
		if e.Code == "" && eb.Error.Status != "" {
			e.Code = codeName(eb.Error.Status)
		}
	}
}

// decodeCode accepts a google.rpc.Code as a number (5) or a name
// ("NOT_FOUND", "not_found"); anything else gives "".
func decodeCode(raw json.RawMessage) Code {
	if len(raw) == 0 {
		return ""
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if i, err := strconv.Atoi(n.String()); err == nil && i > 0 && i < len(codesByNumber) {
			return codesByNumber[i]
		}
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if i, err := strconv.Atoi(s); err == nil {
			if i > 0 && i < len(codesByNumber) {
				return codesByNumber[i]
			}
			return ""
		}
		return codeName(s)
	}
	return ""
}

// codeName accepts a status code name of up to 32 letters and underscores,
// upper-cased; anything else (the server's free text) gives "".
func codeName(s string) Code {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" || len(s) > 32 {
		return ""
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && r != '_' {
			return ""
		}
	}
	return Code(s)
}
