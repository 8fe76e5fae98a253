package specvalidate

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// ValidateResponse checks a response of the operation r: that its status
// is one the operation declares (the Gateway spec declares 200 only), and
// that its Content-Type and JSON body match that response's content. The
// error satisfies errors.Is(err, ErrInvalid), and never quotes a value.
func (s *Spec) ValidateResponse(r *Route, status int, header http.Header, body []byte) error {
	op, err := s.operation(r)
	if err != nil {
		return err
	}
	resp := op.responses[status]
	if resp == nil && status >= 100 && status <= 599 {
		resp = op.ranges[status/100]
	}
	if resp == nil {
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
	if _, e := validateJSON(media.schema, body, PartResponseBody); e != nil {
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
		codes = append(codes, "default")
	}
	if len(codes) == 0 {
		return "none"
	}
	return strings.Join(codes, ", ")
}
