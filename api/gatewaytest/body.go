package gatewaytest

import (
	"io"
	"net/http"
	"strconv"
)

// MaxRequestBody is the largest API request body the fake takes, in bytes
// (32 MiB). A larger body is refused whole with 413 and a Gateway error
// (RESOURCE_EXHAUSTED, the code gRPC gives a message beyond its receive
// limit), as a real front end refuses it: never read up to the limit and
// judged on that prefix. Storage uploads have their own limit
// (MaxStoredFile), since they are not API requests.
const MaxRequestBody = 32 << 20

// codeResourceExhausted is google.rpc.Code RESOURCE_EXHAUSTED.
const codeResourceExhausted = 8

// errBodyTooLarge is the message of the 413 answer.
var errBodyTooLarge = "the request body is larger than " + strconv.Itoa(MaxRequestBody) + " bytes, the most the Gateway takes"

// readBody reads an API request body whole. tooLarge is true, with no
// body, when it is longer than MaxRequestBody: refused from its declared
// Content-Length before a byte is read, or from the byte beyond the limit
// for a body of unknown length (chunked), so that what follows the limit
// is never ignored.
func readBody(r *http.Request) (body []byte, tooLarge bool, err error) {
	return readWhole(r, MaxRequestBody)
}

// readWhole reads a request body whole if it is at most limit bytes; see
// readBody.
func readWhole(r *http.Request, limit int64) (body []byte, tooLarge bool, err error) {
	if r.ContentLength > limit {
		return nil, true, nil
	}
	body, err = io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(body)) > limit {
		return nil, true, nil
	}
	return body, false, nil
}

// maxAdminBody bounds the body of an admin endpoint other than the state
// (a name, a state, a message; a duration).
const maxAdminBody = 1 << 20

// readAdminBody reads an admin endpoint's body whole, up to limit bytes,
// answering 413 or 400 itself when it cannot.
func readAdminBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	body, tooLarge, err := readWhole(r, limit)
	switch {
	case tooLarge:
		writeError(w, http.StatusRequestEntityTooLarge, codeResourceExhausted, "the body is larger than "+strconv.FormatInt(limit, 10)+" bytes, the most this endpoint takes")
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, codeInvalidArgument, "cannot read the request body")
		return nil, false
	}
	return body, true
}
