package specvalidate

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/gen/spec"
)

// Spec is the compiled embedded spec; safe for concurrent use.
type Spec struct {
	routes *routeNode
	byID   map[string]*operation
	doc    *openapi3.T
}

// Document returns the parsed spec (kin-openapi's model), the one the
// checks were compiled from, for callers that derive behaviour from it
// (the fake Gateway's resource engine). It is shared: never modify it.
func (s *Spec) Document() *openapi3.T { return s.doc }

// operation holds the compiled checks of one operation.
type operation struct {
	info         gen.OperationInfo
	requireToken bool
	query        []*queryParam
	body         *requestBody // nil when the operation takes no body
	responses    map[int]*response
	ranges       [6]*response // "2XX" is ranges[2]
	defaultResp  *response
}

type requestBody struct {
	required bool
	content  []mediaSchema
}

type response struct {
	content []mediaSchema
}

// mediaSchema is a media range of a content map (lowercased, such as
// "application/json") and its compiled schema; schema is nil when the
// spec gives none.
type mediaSchema struct {
	mediaRange string
	schema     *jsonschema.Schema
	// writeOnly finds the writeOnly properties of a response's value,
	// which must never be in it; nil for a request body.
	writeOnly *writeOnlyNode
}

var (
	loadOnce   sync.Once
	loadedSpec *Spec
	loadErr    error
)

// Load compiles the spec embedded in package gen/spec on its
// first call, and returns the same *Spec (or error) to every call after it.
// The first call takes a few tenths of a second: kin-openapi parses the
// spec, and every schema is compiled.
func Load() (*Spec, error) {
	loadOnce.Do(func() { loadedSpec, loadErr = compile() })
	return loadedSpec, loadErr
}

// specURL names the embedded spec as a JSON Schema resource; schemas are
// compiled at JSON pointers into it, so that their $refs resolve against
// the whole document exactly as the spec wrote them.
const specURL = "urn:fireworks-gateway:openapi"

func compile() (*Spec, error) {
	doc, err := spec.Load()
	if err != nil {
		return nil, fmt.Errorf("specvalidate: load the embedded spec: %w", err)
	}
	// spec.Load parses these same bytes; the raw document is what the
	// JSON Schema compiler reads, kin-openapi's model is what says where
	// the schemas are.
	raw, err := spec.JSON()
	if err != nil {
		return nil, fmt.Errorf("specvalidate: read the embedded spec: %w", err)
	}
	rawDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("specvalidate: decode the embedded spec: %w", err)
	}

	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020) // OpenAPI 3.1's dialect
	registerFormats(c, rawDoc)
	if err := c.AddResource(specURL, rawDoc); err != nil {
		return nil, fmt.Errorf("specvalidate: %w", err)
	}

	s := &Spec{routes: newRouteNode(), byID: make(map[string]*operation, len(gen.Operations)), doc: doc}
	writeOnly := newWriteOnlyIndex()
	for _, info := range gen.Operations {
		op, err := compileOperation(c, writeOnly, doc, info)
		if err != nil {
			return nil, fmt.Errorf("specvalidate: operation %s: %w", info.ID, err)
		}
		if err := s.routes.add(op); err != nil {
			return nil, fmt.Errorf("specvalidate: operation %s: %w", info.ID, err)
		}
		s.byID[info.ID] = op
	}
	writeOnly.finish()
	if n := countOperations(doc); n != len(gen.Operations) {
		return nil, fmt.Errorf("specvalidate: the spec has %d operations, gen.Operations %d: gen/ is stale", n, len(gen.Operations))
	}
	return s, nil
}

func countOperations(doc *openapi3.T) int {
	n := 0
	for _, item := range doc.Paths.Map() {
		n += len(item.Operations())
	}
	return n
}

func compileOperation(c *jsonschema.Compiler, writeOnly *writeOnlyIndex, doc *openapi3.T, info gen.OperationInfo) (*operation, error) {
	item := doc.Paths.Value(info.Path)
	if item == nil {
		return nil, fmt.Errorf("path %s is not in the spec: gen/ is stale", info.Path)
	}
	spec := item.GetOperation(info.Method)
	if spec == nil || spec.OperationID != info.ID {
		return nil, fmt.Errorf("%s %s is not operation %s in the spec: gen/ is stale", info.Method, info.Path, info.ID)
	}
	opPtr := "/paths/" + escapePointerToken(info.Path) + "/" + strings.ToLower(info.Method)
	op := &operation{info: info, responses: make(map[int]*response)}

	var err error
	if op.requireToken, err = requiresBearerToken(doc, spec); err != nil {
		return nil, err
	}

	// Query parameters: the operation's, then the path item's that the
	// operation does not override. Path parameters are the router's job.
	for i, p := range spec.Parameters {
		if qp, err := compileQueryParam(c, p, fmt.Sprintf("%s/parameters/%d", opPtr, i)); err != nil {
			return nil, err
		} else if qp != nil {
			op.query = append(op.query, qp)
		}
	}
	for i, p := range item.Parameters {
		if p.Value == nil || spec.Parameters.GetByInAndName(p.Value.In, p.Value.Name) != nil {
			continue
		}
		ptr := fmt.Sprintf("/paths/%s/parameters/%d", escapePointerToken(info.Path), i)
		if qp, err := compileQueryParam(c, p, ptr); err != nil {
			return nil, err
		} else if qp != nil {
			op.query = append(op.query, qp)
		}
	}

	if rb := spec.RequestBody; rb != nil && rb.Value != nil {
		ptr := refOr(rb.Ref, opPtr+"/requestBody")
		content, err := compileContent(c, nil, rb.Value.Content, ptr)
		if err != nil {
			return nil, fmt.Errorf("request body: %w", err)
		}
		op.body = &requestBody{required: rb.Value.Required, content: content}
	}

	for code, rr := range spec.Responses.Map() {
		if rr.Value == nil {
			continue
		}
		ptr := refOr(rr.Ref, opPtr+"/responses/"+escapePointerToken(code))
		content, err := compileContent(c, writeOnly, rr.Value.Content, ptr)
		if err != nil {
			return nil, fmt.Errorf("response %s: %w", code, err)
		}
		resp := &response{content: content}
		switch {
		case code == "default":
			op.defaultResp = resp
		case len(code) == 3 && strings.HasSuffix(strings.ToUpper(code), "XX") && code[0] >= '1' && code[0] <= '5':
			op.ranges[code[0]-'0'] = resp
		default:
			n, err := strconv.Atoi(code)
			if err != nil || n < 100 || n > 599 {
				return nil, fmt.Errorf("response code %q is not a status", code)
			}
			op.responses[n] = resp
		}
	}
	return op, nil
}

// requiresBearerToken reports whether the operation's security (its own, or
// the document's) demands a bearer token. An empty requirement ({}) among
// the alternatives makes credentials optional. Any scheme other than HTTP
// bearer is refused, so that a spec that adds one is noticed here rather
// than validated wrongly.
func requiresBearerToken(doc *openapi3.T, op *openapi3.Operation) (bool, error) {
	reqs := doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	if len(reqs) == 0 {
		return false, nil
	}
	required := true
	for _, req := range reqs {
		if len(req) == 0 {
			required = false
		}
		for name := range req {
			var scheme *openapi3.SecurityScheme
			if doc.Components != nil {
				if ref := doc.Components.SecuritySchemes[name]; ref != nil {
					scheme = ref.Value
				}
			}
			if scheme == nil {
				return false, fmt.Errorf("security scheme %q is not declared", name)
			}
			if scheme.Type != "http" || !strings.EqualFold(scheme.Scheme, "bearer") {
				return false, fmt.Errorf("security scheme %q (%s %s) is not supported: only HTTP bearer is", name, scheme.Type, scheme.Scheme)
			}
		}
	}
	return required, nil
}

// compileContent compiles the schema of each media type of a content map
// found at the JSON pointer ptr; with a writeOnlyIndex (for a response),
// it also finds where the schema's writeOnly properties can be.
func compileContent(c *jsonschema.Compiler, writeOnly *writeOnlyIndex, content openapi3.Content, ptr string) ([]mediaSchema, error) {
	var out []mediaSchema
	for mt, media := range content {
		ms := mediaSchema{mediaRange: strings.ToLower(strings.TrimSpace(mt))}
		if media != nil && media.Schema != nil {
			// A schema that is a reference to a component is compiled at
			// the component, once for all that name it (the default
			// response of every operation is the one googlerpcStatus).
			sch, err := c.Compile(specURL + "#" + refOr(media.Schema.Ref, ptr+"/content/"+escapePointerToken(mt)+"/schema"))
			if err != nil {
				return nil, fmt.Errorf("media type %s: %w", mt, err)
			}
			ms.schema = sch
			if writeOnly != nil {
				ms.writeOnly = writeOnly.forSchema(media.Schema)
			}
		}
		out = append(out, ms)
	}
	return out, nil
}

// refOr returns the JSON pointer of a component reference ("#/components/..."),
// or ptr when the object is inline.
func refOr(ref, ptr string) string {
	if p, ok := strings.CutPrefix(ref, "#"); ok {
		return p
	}
	return ptr
}

// escapePointerToken escapes one JSON pointer token (RFC 6901).
func escapePointerToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// operation returns the compiled checks of r.
func (s *Spec) operation(r *Route) (*operation, error) {
	if r == nil {
		return nil, fmt.Errorf("specvalidate: nil *Route")
	}
	if r.op != nil {
		return r.op, nil
	}
	op := s.byID[r.Operation.ID]
	if op == nil {
		return nil, fmt.Errorf("specvalidate: operation %q is not in the spec", r.Operation.ID)
	}
	return op, nil
}
