package gatewaytest

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fireworks-gateway/go-sdk/gen"
	genspec "github.com/fireworks-gateway/go-sdk/gen/spec"
	"github.com/fireworks-gateway/go-sdk/internal/lifecycle"
	"github.com/fireworks-gateway/go-sdk/internal/specvalidate"
)

// Collection describes a collection of resources that the fake keeps,
// found in the spec by rule (see collectionsOf). Collections lists them.
type Collection struct {
	// Name is the collection's segment of resource names ("deployments",
	// "apiKeys").
	Name string
	// Pattern is the resource name template, such as
	// "accounts/{account_id}/users/{user_id}/apiKeys/{keyId}".
	Pattern string
	// Parent is the Pattern of the collection this one is nested in; ""
	// directly under an account.
	Parent string
	// Schema names the resource's component schema ("gatewayDeployment").
	Schema string
	// GoType names the resource's Go type ("gen.Deployment"), as the
	// fake's messages do.
	GoType string
	// Create, Get, List, Update and Delete are the operations that act on
	// the collection; "" where the spec has none.
	Create, Get, List, Update, Delete gen.OperationID
	// OtherCreates are the other operations the spec offers to create a
	// resource of the collection, which store into it as Create does
	// (CreateEvaluatorV2 for evaluators); nil for most collections.
	OtherCreates []gen.OperationID
	// IDFrom says where Create takes the new resource's id from:
	// "query:deploymentId", "body:datasetId" (beside the wrapped resource),
	// "body:name" (the resource's own name, which the client may set), or
	// "generated".
	IDFrom string
	// NameField is the property that names a resource: "name" (the full
	// resource name), or the property holding its bare id ("keyId").
	NameField string
	// States are the values of the resource's state enum, in the spec's
	// order; nil when the resource has none.
	States []string
}

// Collections returns every collection the fake keeps as a store, sorted
// by Pattern. It is derived from the embedded spec once.
func Collections() []Collection {
	cs, err := loadCollections()
	if err != nil {
		return nil
	}
	out := make([]Collection, 0, len(cs.list))
	for _, c := range cs.list {
		pub := Collection{
			Name: c.name, Pattern: c.pattern, Schema: c.schemaName, GoType: c.typeName,
			Create: gen.OperationID(c.create), Get: gen.OperationID(c.get), List: gen.OperationID(c.list),
			Update: gen.OperationID(c.update), Delete: gen.OperationID(c.del),
		}
		if c.parent != nil {
			pub.Parent = c.parent.pattern
		}
		for _, id := range c.otherCreates {
			pub.OtherCreates = append(pub.OtherCreates, gen.OperationID(id))
		}
		pub.NameField = c.nameField
		switch {
		case c.create == "":
		case c.createIDQuery != "":
			pub.IDFrom = "query:" + c.createIDQuery
		case c.createIDField != "":
			pub.IDFrom = "body:" + c.createIDField
		case c.nameInput:
			pub.IDFrom = "body:name"
		default:
			pub.IDFrom = "generated"
		}
		if c.machine != nil {
			pub.States = append([]string(nil), c.machine.Values...)
		}
		out = append(out, pub)
	}
	return out
}

// collection is a store's rules, read from the spec.
type collection struct {
	name       string // "deployments"
	pattern    string // "accounts/{account_id}/deployments/{deployment_id}"
	segments   []patternSegment
	params     []string
	idParam    string // "deployment_id"
	parent     *collection
	itemPath   string // "/v1/" + pattern
	schema     *openapi3.Schema
	schemaName string // as the spec names it: "gatewayDeployment"
	typeName   string // as a Go program knows it, for messages: "gen.Deployment"

	create, get, list, update, del string // operation ids, "" when absent

	// createShape is how the collection's Create carries the new
	// resource and its id; otherCreates are the ids of the other creates
	// the spec offers for it (see readOtherCreates).
	createShape
	otherCreates []string
	// nameField is the property that names a resource: "name" (the full
	// resource name), or a property holding the bare id ("keyId").
	nameField  string
	nameIsID   bool
	nameInput  bool   // the create body's name is the client's choice (not readOnly)
	deleteBody string // a POST ...:delete names the resource in this body property
	listField  string // the List response's array property
	listTotal  bool   // the List response has totalSize

	machine     *lifecycle.Machine // nil without a state enum
	statusField bool               // the resource has a google.rpc.Status-like "status"
	undeletable bool               // an :undelete verb exists: deleted resources are kept as DELETED
	uploads     bool               // an upload endpoint exists: UPLOADING waits for Validate*Upload
	// outputEndpoints are the outputs its signed-URL endpoints hand out
	// (outputs.go): "metricsFile" for :getMetricsFileEndpoint.
	outputEndpoints []string
}

// patternSegment is a literal segment of a name pattern, or a parameter.
type patternSegment struct{ literal, param string }

// collectionSet is every collection, and the operations they answer.
type collectionSet struct {
	list   []*collection
	byOp   map[string]opRule // operation id -> what the engine does
	byItem map[string]*collection
	// guards maps an operation whose path names items of collections to
	// the deepest one the engine must find before it answers (see
	// guardOf); an operation not in it names none, or acts on a missing
	// or deleted item by a rule of its own.
	guards map[string]*collection
}

// opKind is what the engine does for an operation.
type opKind int

const (
	opCreate opKind = iota + 1
	opGet
	opList
	opUpdate
	opDelete
	opCancel
	opResume
	opUndelete
	opScale
	opUploadEndpoint
	opDownloadEndpoint
	opValidateUpload
	opOutputEndpoint
)

// createShape is how a create operation names the new resource: the
// query parameter, or the property of a wrapping body ({"dataset": ...,
// "datasetId": ...}), that holds the id; createWrap is the property
// holding the resource ("" when the body is the resource).
type createShape struct {
	createIDQuery, createIDField, createWrap string
}

type opRule struct {
	kind opKind
	coll *collection
	// shape is how a create carries the resource (opCreate only).
	shape createShape
	// validateOnly: the operation has a validateOnly query parameter,
	// which, when true, makes it validate and answer without storing
	// anything (AIP-163).
	validateOnly bool
	// sameSchema: the operation's 200 body is the resource itself; else it
	// answers {} when its schema is an empty object, or a synthesized body.
	sameSchema bool
	emptyBody  bool
}

var (
	collectionsOnce sync.Once
	collectionsVal  *collectionSet
	collectionsErr  error
)

func loadCollections() (*collectionSet, error) {
	collectionsOnce.Do(func() {
		spec, err := specvalidate.Load()
		if err != nil {
			collectionsErr = err
			return
		}
		collectionsVal, collectionsErr = collectionsOf(spec.Document(), gen.Operations)
	})
	return collectionsVal, collectionsErr
}

// specOp is an operation with its parsed path.
type specOp struct {
	info gen.OperationInfo
	op   *openapi3.Operation
	base string // the path without its custom verb
	verb string // "cancel" for ".../{id}:cancel"; "" for none
}

// collectionsOf finds the collections by rule, with no per-resource list:
//
//   - A collection is a literal path segment under /v1/accounts/{account_id}
//     (or under another collection's item) with an item path
//     ".../{collection}/{id_param}" answered by a GET (not a list) or a
//     collection path answered by a List (a GET with pageToken).
//   - Create is the POST on the collection path; Get, Update and Delete the
//     GET, PATCH and DELETE on the item path; Delete may also be a POST on
//     "{collection}:delete" whose body names the id ({"keyId": ...}).
//   - The resource schema is Get's 200 body, else the List's items.
//   - Verbs on the item path (":cancel", ":resume", ":undelete", ":scale",
//     ":validateUpload") and the signed-URL endpoints (a body with
//     filenameToSize, or a GET, answered with filenameToSignedUrls) act on
//     the resource.
func collectionsOf(doc *openapi3.T, infos []gen.OperationInfo) (*collectionSet, error) {
	byBase := map[string][]specOp{}
	for _, info := range infos {
		item := doc.Paths.Value(info.Path)
		if item == nil {
			return nil, fmt.Errorf("gatewaytest: path %s is not in the spec", info.Path)
		}
		op := item.GetOperation(info.Method)
		base, verb := splitVerb(info.Path)
		byBase[base] = append(byBase[base], specOp{info: info, op: op, base: base, verb: verb})
	}

	set := &collectionSet{byOp: map[string]opRule{}, byItem: map[string]*collection{}}
	// Item paths, shortest first, so that a parent exists before its children.
	var items []string
	for base := range byBase {
		if isItemPath(base) {
			items = append(items, base)
		}
	}
	sort.Slice(items, func(i, j int) bool {
		if a, b := strings.Count(items[i], "/"), strings.Count(items[j], "/"); a != b {
			return a < b
		}
		return items[i] < items[j]
	})
	for _, itemPath := range items {
		collPath := itemPath[:strings.LastIndexByte(itemPath, '/')]
		c := newCollection(itemPath, set)
		for _, o := range byBase[itemPath] {
			switch {
			case o.verb != "":
			case o.info.Method == "GET" && !hasQuery(o.op, "pageToken"):
				c.get = o.info.ID
			case o.info.Method == "PATCH":
				c.update = o.info.ID
			case o.info.Method == "DELETE":
				c.del = o.info.ID
			}
		}
		for _, o := range byBase[collPath] {
			switch {
			case o.verb == "delete" && o.info.Method == "POST":
				if p := bodyProperty(o.op, camel(c.idParam)); p != nil {
					c.del, c.deleteBody = o.info.ID, camel(c.idParam)
				}
			case o.verb != "":
			case o.info.Method == "GET" && hasQuery(o.op, "pageToken"):
				c.list = o.info.ID
			case o.info.Method == "POST":
				c.create = o.info.ID
			}
		}
		if c.get == "" && c.list == "" {
			continue // nothing shows what it holds: not a store
		}
		c.readSchema(doc, infos)
		if c.schema == nil {
			continue
		}
		c.createShape = c.readCreate(opByID(byBase, collPath, c.create))
		for _, o := range byBase[itemPath] {
			if o.verb != "" {
				c.readVerb(o, set)
			}
		}
		set.list = append(set.list, c)
		set.byItem[itemPath] = c
		for id, kind := range map[string]opKind{c.create: opCreate, c.get: opGet, c.list: opList, c.update: opUpdate, c.del: opDelete} {
			if id != "" {
				set.byOp[id] = c.rule(kind, opByID(byBase, "", id))
			}
		}
	}
	sort.Slice(set.list, func(i, j int) bool { return set.list[i].pattern < set.list[j].pattern })
	set.readOtherCreates(byBase)
	set.guards = map[string]*collection{}
	for _, info := range infos {
		if c := set.guardOf(info); c != nil {
			set.guards[info.ID] = c
		}
	}
	return set, nil
}

// guardOf returns the deepest collection whose item an operation's path
// names, which must exist (and not be soft-deleted) with every parent
// item for the operation to act: the item itself for a custom verb on it
// (".../models/{model_id}:prepare") or a sub-resource below it
// (".../deployments/{deployment_id}/shards"); the parent for an operation
// on a nested collection (".../evaluators/{evaluator_id}/versions"). The
// item's own Get, Update, Delete and :undelete answer for the item
// themselves (a Get shows a soft-deleted resource, as AIP-164 says;
// :undelete and a hard delete act on one), so they start at its parent.
// nil when the path names no item of a collection.
func (cs *collectionSet) guardOf(info gen.OperationInfo) *collection {
	base, _ := splitVerb(info.Path)
	var deepest *collection
	for _, c := range cs.list {
		if (base == c.itemPath || strings.HasPrefix(base, c.itemPath+"/")) && (deepest == nil || len(c.itemPath) > len(deepest.itemPath)) {
			deepest = c
		}
	}
	if deepest == nil || base != deepest.itemPath {
		return deepest
	}
	switch cs.byOp[info.ID].kind {
	case opGet, opUpdate, opDelete, opUndelete:
		return deepest.parent
	}
	return deepest
}

func newCollection(itemPath string, set *collectionSet) *collection {
	pattern := strings.TrimPrefix(itemPath, "/v1/")
	segs := strings.Split(pattern, "/")
	c := &collection{
		name:     segs[len(segs)-2],
		pattern:  pattern,
		idParam:  strings.Trim(segs[len(segs)-1], "{}"),
		itemPath: itemPath,
	}
	for _, s := range segs {
		if strings.HasPrefix(s, "{") {
			c.params = append(c.params, strings.Trim(s, "{}"))
			c.segments = append(c.segments, patternSegment{param: strings.Trim(s, "{}")})
		} else {
			c.segments = append(c.segments, patternSegment{literal: s})
		}
	}
	parentItem := itemPath[:strings.LastIndexByte(itemPath, '/')]
	parentItem = parentItem[:strings.LastIndexByte(parentItem, '/')]
	c.parent = set.byItem[parentItem]
	return c
}

// readSchema finds the resource schema, its naming property and its states.
func (c *collection) readSchema(doc *openapi3.T, infos []gen.OperationInfo) {
	if c.get != "" {
		c.schema, c.schemaName = responseSchema(doc, infos, c.get)
	}
	if c.list != "" {
		page, _ := responseSchema(doc, infos, c.list)
		if page != nil {
			for _, name := range slices.Sorted(maps.Keys(page.Properties)) {
				prop := page.Properties[name]
				if prop.Value == nil || !prop.Value.Type.Is(openapi3.TypeArray) || prop.Value.Items == nil {
					continue
				}
				items := prop.Value.Items
				if c.schema == nil || c.isResource(items) {
					c.listField = name
					if c.schema == nil {
						c.schema, c.schemaName = items.Value, refName(items.Ref)
					}
					break
				}
			}
			_, c.listTotal = page.Properties["totalSize"]
		}
		if c.listField == "" {
			c.list = "" // a list of something else (genericDeploymentTypes/{id} lists versions)
		}
	}
	if c.schema == nil {
		return
	}
	c.typeName = goTypeName(c.schemaName)
	if p := c.schema.Properties["name"]; p != nil && p.Value != nil && p.Value.Type.Is(openapi3.TypeString) {
		c.nameField, c.nameInput = "name", !p.Value.ReadOnly
	} else if p := c.schema.Properties[c.idParam]; p != nil && p.Value != nil && p.Value.Type.Is(openapi3.TypeString) {
		c.nameField, c.nameIsID = c.idParam, true
	}
	if st := c.schema.Properties["state"]; st != nil && st.Value != nil && len(st.Value.Enum) > 0 {
		values := make([]string, 0, len(st.Value.Enum))
		for _, v := range st.Value.Enum {
			if s, ok := v.(string); ok {
				values = append(values, s)
			}
		}
		m := lifecycle.NewMachine(values)
		c.machine = &m
	}
	if st := c.schema.Properties["status"]; st != nil && st.Value != nil {
		_, hasMessage := st.Value.Properties["message"]
		_, hasCode := st.Value.Properties["code"]
		c.statusField = hasMessage && hasCode
	}
}

// readCreate finds how a create names the resource.
func (c *collection) readCreate(o *specOp) createShape {
	var shape createShape
	if o == nil {
		return shape
	}
	idName := camel(c.idParam)
	if hasQuery(o.op, idName) {
		shape.createIDQuery = idName
	}
	body := requestSchema(o.op)
	if body == nil || c.isResource(requestRef(o.op)) {
		return shape
	}
	for _, name := range slices.Sorted(maps.Keys(body.Properties)) {
		if c.isResource(body.Properties[name]) {
			shape.createWrap = name
		}
	}
	if p := body.Properties[idName]; p != nil && p.Value != nil && p.Value.Type.Is(openapi3.TypeString) && shape.createWrap != "" {
		shape.createIDField = idName
	}
	return shape
}

// readOtherCreates finds the other creates the spec offers for a
// collection, such as POST /v1/accounts/{account_id}/evaluatorsV2
// (CreateEvaluatorV2) for evaluators: a POST without a custom verb, that
// no other rule covers, on a path that is no collection's own but a
// sibling of exactly one collection's path (the same parent, another last
// segment), whose 200 answer is that collection's resource and whose body
// is the resource or wraps it ({"evaluator": {...}, "evaluatorId": ...}).
// It creates into that collection as its Create does, reading the id and
// the resource from its own body and query.
func (cs *collectionSet) readOtherCreates(byBase map[string][]specOp) {
	collPaths := map[string]bool{}
	for _, c := range cs.list {
		collPaths[c.itemPath[:strings.LastIndexByte(c.itemPath, '/')]] = true
	}
	for _, base := range slices.Sorted(maps.Keys(byBase)) {
		if collPaths[base] || isItemPath(base) || !strings.HasPrefix(base, "/v1/") {
			continue
		}
		parent := base[:strings.LastIndexByte(base, '/')]
		for i := range byBase[base] {
			o := &byBase[base][i]
			if _, taken := cs.byOp[o.info.ID]; taken || o.verb != "" || o.info.Method != "POST" {
				continue
			}
			var into []*collection
			for _, c := range cs.list {
				collPath := c.itemPath[:strings.LastIndexByte(c.itemPath, '/')]
				if collPath[:strings.LastIndexByte(collPath, '/')] != parent || !c.isResource(responseRef(o.op)) {
					continue
				}
				if shape := c.readCreate(o); c.isResource(requestRef(o.op)) || shape.createWrap != "" {
					into = append(into, c)
				}
			}
			if len(into) != 1 {
				continue // none, or no single collection it could create into
			}
			c := into[0]
			rule := c.rule(opCreate, o)
			rule.shape = c.readCreate(o)
			cs.byOp[o.info.ID] = rule
			c.otherCreates = append(c.otherCreates, o.info.ID)
		}
	}
}

// readVerb records what a custom method on the item path does.
func (c *collection) readVerb(o specOp, set *collectionSet) {
	resp := responseOf(o.op)
	var kind opKind
	switch {
	case resp != nil && resp.Properties["filenameToSignedUrls"] != nil && bodyProperty(o.op, "filenameToSize") != nil:
		kind = opUploadEndpoint
		c.uploads = true
	case resp != nil && resp.Properties["filenameToSignedUrls"] != nil && o.info.Method == "GET":
		kind = opDownloadEndpoint
	case o.verb == "validateUpload":
		kind = opValidateUpload
	case resp != nil && o.info.Method == "GET" && resp.Properties["signedUrl"] != nil:
		kind = opOutputEndpoint
		c.outputEndpoints = append(c.outputEndpoints, outputOfVerb(o.verb))
	case c.machine == nil:
		return
	case o.verb == "cancel":
		kind = opCancel
	case o.verb == "resume":
		kind = opResume
	case o.verb == "undelete":
		kind = opUndelete
		c.undeletable = true
	case o.verb == "scale":
		kind = opScale
	default:
		return
	}
	set.byOp[o.info.ID] = c.rule(kind, &o)
}

func (c *collection) rule(kind opKind, o *specOp) opRule {
	r := opRule{kind: kind, coll: c}
	if kind == opCreate {
		r.shape = c.createShape
	}
	if o == nil {
		return r
	}
	r.validateOnly = hasQuery(o.op, "validateOnly")
	resp := responseOf(o.op)
	r.sameSchema = c.isResource(responseRef(o.op))
	r.emptyBody = resp != nil && len(resp.Properties) == 0 && resp.AdditionalProperties.Schema == nil
	return r
}

// nameOf returns the resource name under params; id, when not "",
// replaces the item's own id parameter.
func (c *collection) nameOf(params map[string]string, id string) string {
	var b strings.Builder
	b.Grow(len(c.pattern))
	for i, seg := range c.segments {
		if i > 0 {
			b.WriteByte('/')
		}
		switch {
		case seg.param == "":
			b.WriteString(seg.literal)
		case seg.param == c.idParam && id != "":
			b.WriteString(id)
		default:
			b.WriteString(params[seg.param])
		}
	}
	return b.String()
}

// match reports whether name is a resource name of c, and its params.
func (c *collection) match(name string) (map[string]string, bool) {
	segs := strings.Split(name, "/")
	tmpl := strings.Split(c.pattern, "/")
	if len(segs) != len(tmpl) {
		return nil, false
	}
	params := map[string]string{}
	for i, t := range tmpl {
		switch {
		case strings.HasPrefix(t, "{"):
			if segs[i] == "" {
				return nil, false
			}
			params[strings.Trim(t, "{}")] = segs[i]
		case segs[i] != t:
			return nil, false
		}
	}
	return params, true
}

// collectionOf finds the collection of a resource name.
func (cs *collectionSet) collectionOf(name string) (*collection, map[string]string, bool) {
	for _, c := range cs.list {
		if params, ok := c.match(name); ok {
			return c, params, true
		}
	}
	return nil, nil, false
}

func splitVerb(path string) (base, verb string) {
	last := strings.LastIndexByte(path, '/')
	if i := strings.LastIndexByte(path[last:], ':'); i >= 0 && !strings.Contains(path[last+i:], "}") {
		return path[:last+i], path[last+i+1:]
	}
	return path, ""
}

// isItemPath: /v1/accounts/{account_id}/.../{collection}/{id}.
func isItemPath(path string) bool {
	if !strings.HasPrefix(path, "/v1/accounts/{account_id}/") {
		return false
	}
	segs := strings.Split(strings.TrimPrefix(path, "/v1/"), "/")
	n := len(segs)
	return n >= 4 && n%2 == 0 && strings.HasPrefix(segs[n-1], "{") && !strings.HasPrefix(segs[n-2], "{")
}

func opByID(byBase map[string][]specOp, base, id string) *specOp {
	if id == "" {
		return nil
	}
	for b, ops := range byBase {
		if base != "" && b != base {
			continue
		}
		for i := range ops {
			if ops[i].info.ID == id {
				return &ops[i]
			}
		}
	}
	return nil
}

func hasQuery(op *openapi3.Operation, name string) bool {
	for _, p := range op.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery && p.Value.Name == name {
			return true
		}
	}
	return false
}

// isResource reports whether ref is the resource schema: by its
// component name, as kin-openapi gives a $ref with sibling keywords
// ("type": "object") a schema of its own.
func (c *collection) isResource(ref *openapi3.SchemaRef) bool {
	if ref == nil {
		return false
	}
	return ref.Value == c.schema || (ref.Ref != "" && refName(ref.Ref) == c.schemaName)
}

func requestRef(op *openapi3.Operation) *openapi3.SchemaRef {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil {
		return nil
	}
	return mt.Schema
}

func requestSchema(op *openapi3.Operation) *openapi3.Schema {
	if ref := requestRef(op); ref != nil {
		return ref.Value
	}
	return nil
}

func bodyProperty(op *openapi3.Operation, name string) *openapi3.Schema {
	if body := requestSchema(op); body != nil {
		if p := body.Properties[name]; p != nil {
			return p.Value
		}
	}
	return nil
}

func responseRef(op *openapi3.Operation) *openapi3.SchemaRef {
	resp := op.Responses.Value("200")
	if resp == nil || resp.Value == nil {
		return nil
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil {
		return nil
	}
	return mt.Schema
}

func responseOf(op *openapi3.Operation) *openapi3.Schema {
	if ref := responseRef(op); ref != nil {
		return ref.Value
	}
	return nil
}

func responseSchema(doc *openapi3.T, infos []gen.OperationInfo, id string) (*openapi3.Schema, string) {
	for _, info := range infos {
		if info.ID != id {
			continue
		}
		op := doc.Paths.Value(info.Path).GetOperation(info.Method)
		resp := op.Responses.Value("200")
		if resp == nil || resp.Value == nil {
			return nil, ""
		}
		mt := resp.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil {
			return nil, ""
		}
		return mt.Schema.Value, refName(mt.Schema.Ref)
	}
	return nil, ""
}

func refName(ref string) string { return ref[strings.LastIndexByte(ref, '/')+1:] }

// goTypeName is the name of a spec schema's Go type, as the fake's
// messages give it ("gen.Deployment" for "gatewayDeployment"), by the
// generator's rename rule (gen/spec.GoTypeNames); the spec's name when the
// generated code has no type for it.
func goTypeName(schemaName string) string {
	if t, ok := genspec.GoTypeNames[schemaName]; ok {
		return "gen." + t
	}
	return schemaName
}

// camel turns a path parameter (deployment_id) into the JSON name of the
// same field (deploymentId), as protobuf's JSON mapping does.
func camel(snake string) string {
	var b strings.Builder
	up := false
	for _, r := range snake {
		switch {
		case r == '_':
			up = true
		case up:
			b.WriteString(strings.ToUpper(string(r)))
			up = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
