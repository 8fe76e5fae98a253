package specvalidate

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/fireworks-gateway/go-sdk/gen"
)

// Route is a matched operation.
type Route struct {
	// Operation is the matched entry of gen.Operations.
	Operation gen.OperationInfo
	// PathParams are the path parameters' values, percent-decoded, by name.
	PathParams map[string]string

	// op holds the compiled checks; nil in a Route built by hand, which
	// ValidateRequest and ValidateResponse then look up by Operation.ID.
	op *operation
}

// Limits of the router, checked against the spec by Load: a request path
// with more segments than the longest template cannot match, and captured
// values live in a fixed array so that matching does not allocate.
const (
	maxSegments   = 16
	maxPathParams = 8
)

// routeNode is a node of the router's trie of path segments. Literal
// segments are tried before a parameter, so that the most specific
// template wins, as in grpc-gateway.
type routeNode struct {
	literals map[string]*routeNode
	param    *routeNode
	// endpoints are the templates that end at this node, by custom verb
	// ("" for none): ".../{deployment_id}" and ".../{deployment_id}:undelete"
	// end at the same node.
	endpoints map[string]*endpoint
}

// endpoint is one path template and its operations.
type endpoint struct {
	template string
	params   []string // the template's parameter names, in order
	methods  map[string]*operation
	allowed  []string // the methods, sorted
}

func newRouteNode() *routeNode { return &routeNode{} }

// add registers op under its path template.
func (n *routeNode) add(op *operation) error {
	tmpl := op.info.Path
	if !strings.HasPrefix(tmpl, "/") {
		return fmt.Errorf("path template %s: does not start with /", tmpl)
	}
	segs := strings.Split(tmpl[1:], "/")
	if len(segs) > maxSegments {
		return fmt.Errorf("path template %s: more than %d segments", tmpl, maxSegments)
	}
	// A custom method is a ':' after the last segment, outside braces.
	verb := ""
	last := segs[len(segs)-1]
	if i := strings.LastIndexByte(last, ':'); i >= 0 && i > strings.LastIndexByte(last, '}') {
		last, verb = last[:i], last[i+1:]
		segs[len(segs)-1] = last
	}
	var params []string
	node := n
	for _, seg := range segs {
		switch {
		case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") && strings.Count(seg, "{") == 1:
			params = append(params, seg[1:len(seg)-1])
			if node.param == nil {
				node.param = newRouteNode()
			}
			node = node.param
		case strings.ContainsAny(seg, "{}") || seg == "":
			return fmt.Errorf("path template %s: segment %q is neither a literal nor one whole parameter", tmpl, seg)
		default:
			if node.literals == nil {
				node.literals = make(map[string]*routeNode)
			}
			child := node.literals[seg]
			if child == nil {
				child = newRouteNode()
				node.literals[seg] = child
			}
			node = child
		}
	}
	if len(params) > maxPathParams {
		return fmt.Errorf("path template %s: more than %d parameters", tmpl, maxPathParams)
	}
	if !slices.Equal(params, op.info.PathParams) {
		return fmt.Errorf("path template %s: parameters %v, gen.Operations says %v", tmpl, params, op.info.PathParams)
	}
	if node.endpoints == nil {
		node.endpoints = make(map[string]*endpoint)
	}
	ep := node.endpoints[verb]
	if ep == nil {
		ep = &endpoint{template: tmpl, params: params, methods: make(map[string]*operation)}
		node.endpoints[verb] = ep
	}
	if ep.template != tmpl {
		return fmt.Errorf("path templates %s and %s match the same paths", ep.template, tmpl)
	}
	if prev := ep.methods[op.info.Method]; prev != nil {
		return fmt.Errorf("%s %s: both %s and %s", op.info.Method, tmpl, prev.info.ID, op.info.ID)
	}
	ep.methods[op.info.Method] = op
	ep.allowed = append(ep.allowed, op.info.Method)
	slices.Sort(ep.allowed)
	return nil
}

// routeMatch is the state of one search of the trie; it lives on the
// caller's stack.
type routeMatch struct {
	method string
	verb   string
	segs   [maxSegments]string
	nsegs  int
	values [maxPathParams]string
	nvals  int

	found *endpoint
	op    *operation
	// pathMatches are templates that match the path but not the method,
	// for the 405's Allow list.
	pathMatches [4]*endpoint
	npath       int
}

// search reports whether some template under n matches segs[i:] and has
// the method; on success m.values holds the raw parameter values.
func (m *routeMatch) search(n *routeNode, i int) bool {
	if i == m.nsegs {
		ep := n.endpoints[m.verb]
		if ep == nil {
			return false
		}
		if op := ep.methods[m.method]; op != nil {
			m.found, m.op = ep, op
			return true
		}
		if m.npath < len(m.pathMatches) {
			m.pathMatches[m.npath] = ep
			m.npath++
		}
		return false
	}
	seg := m.segs[i]
	if n.literals != nil {
		key := seg
		if strings.IndexByte(seg, '%') >= 0 {
			// "secr%65ts" is "secrets" (RFC 3986, section 6.2.2.2).
			if decoded, err := url.PathUnescape(seg); err == nil {
				key = decoded
			}
		}
		if child := n.literals[key]; child != nil && m.search(child, i+1) {
			return true
		}
	}
	if n.param != nil && seg != "" {
		m.values[m.nvals] = seg
		m.nvals++
		if m.search(n.param, i+1) {
			return true
		}
		m.nvals--
	}
	return false
}

// FindRoute matches a method and a request URL path (escaped form, as
// req.URL.EscapedPath()) against all operations, including custom methods
// such as ".../deployments/{deployment_id}:undelete". Literal segments win
// over parameters. A parameter matches one non-empty segment, decoded; in
// the last segment an unescaped ':' starts the custom method, so a value
// holding ':' must be sent escaped (%3A).
//
// The error is a *RouteError wrapping ErrNotFound (no template matches the
// path) or ErrMethodNotAllowed (a template matches, the method does not).
func (s *Spec) FindRoute(method, escapedPath string) (*Route, error) {
	m := routeMatch{method: method}
	if !strings.HasPrefix(escapedPath, "/") {
		return nil, &RouteError{Err: ErrNotFound, Method: method, Reason: "path does not start with /"}
	}
	rest := escapedPath[1:]
	lastStart := strings.LastIndexByte(rest, '/') + 1
	if i := strings.LastIndexByte(rest[lastStart:], ':'); i >= 0 {
		m.verb = rest[lastStart+i+1:]
		rest = rest[:lastStart+i]
	}
	for {
		if m.nsegs == maxSegments {
			return nil, &RouteError{Err: ErrNotFound, Method: method}
		}
		seg, more, found := strings.Cut(rest, "/")
		m.segs[m.nsegs] = seg
		m.nsegs++
		if !found {
			break
		}
		rest = more
	}

	if !m.search(s.routes, 0) {
		if m.npath == 0 {
			return nil, &RouteError{Err: ErrNotFound, Method: method}
		}
		var allowed []string
		for _, ep := range m.pathMatches[:m.npath] {
			allowed = append(allowed, ep.allowed...)
		}
		slices.Sort(allowed)
		return nil, &RouteError{Err: ErrMethodNotAllowed, Method: method, Allowed: slices.Compact(allowed)}
	}

	params := make(map[string]string, len(m.found.params))
	for i, name := range m.found.params {
		v, err := url.PathUnescape(m.values[i])
		if err != nil {
			return nil, &RouteError{Err: ErrNotFound, Method: method, Reason: "malformed percent-escape in path parameter " + name}
		}
		params[name] = v
	}
	return &Route{Operation: m.op.info, PathParams: params, op: m.op}, nil
}

// RequiresToken reports whether the spec asks a Bearer token of the
// route's operation (its own security, else the document's). A Route built
// by hand, which has no compiled checks, says true.
func (r *Route) RequiresToken() bool {
	return r.op == nil || r.op.requireToken
}
