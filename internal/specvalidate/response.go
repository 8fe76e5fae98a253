package specvalidate

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// ValidateResponse checks a response of the operation r: that its status
// is one the operation declares, that its Content-Type and JSON body match
// that response's content, and that the body carries no writeOnly
// property (a value the spec says is never returned, such as a Secret's
// value). The Gateway spec declares 200 for every operation, and, by the
// overlay, a default response that is the Gateway's error body
// (google.rpc.Status). A default response stands for the error statuses
// only (400 to 599): a success or redirect status the operation does not
// name (a 201, a 204) is undeclared, not an error body. The error
// satisfies errors.Is(err, ErrInvalid), and never quotes a value.
func (s *Spec) ValidateResponse(r *Route, status int, header http.Header, body []byte) error {
	op, err := s.operation(r)
	if err != nil {
		return err
	}
	resp := op.responses[status]
	if resp == nil && status >= 100 && status <= 599 {
		resp = op.ranges[status/100]
	}
	if resp == nil && status >= 400 && status <= 599 {
		resp = op.defaultResp
	}
	if resp == nil {
		return invalid(PartResponseStatus, "", fmt.Sprintf("%d is not declared by the operation (declared: %s)", status, op.declaredStatuses()))
	}
	if len(resp.content) == 0 {
		return nil // the spec says nothing about the body
	}
	media := matchContent(resp.content, header.Get("Content-Type"))
	if media == nil {
		return invalid(PartContentType, "", "want "+mediaRanges(resp.content))
	}
	if media.schema == nil {
		return nil
	}
	if len(body) == 0 {
		return invalid(PartResponseBody, "", "empty, want a JSON value")
	}
	v, e := validateJSON(media.schema, body, PartResponseBody)
	if e != nil {
		return e
	}
	if e := media.writeOnly.problem(v); e != nil {
		return e
	}
	return nil
}

func (op *operation) declaredStatuses() string {
	var codes []string
	for code := range op.responses {
		codes = append(codes, strconv.Itoa(code))
	}
	for class, resp := range op.ranges {
		if resp != nil {
			codes = append(codes, strconv.Itoa(class)+"XX")
		}
	}
	slices.Sort(codes)
	if op.defaultResp != nil {
		codes = append(codes, "default (for 4XX and 5XX)")
	}
	if len(codes) == 0 {
		return "none"
	}
	return strings.Join(codes, ", ")
}
