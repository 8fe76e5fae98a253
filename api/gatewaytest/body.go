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
	if r.ContentLength > MaxRequestBody {
		return nil, true, nil
	}
	body, err = io.ReadAll(io.LimitReader(r.Body, MaxRequestBody+1))
	if err != nil {
		return nil, false, err
	}
	if len(body) > MaxRequestBody {
		return nil, true, nil
	}
	return body, false, nil
}
