package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// accountParam is the path parameter that names the caller's account. The
// services fill it from the Client's account (api.WithAccount or
// FIREWORKS_ACCOUNT_ID) instead of taking it as an argument.
const accountParam = "account_id"

// serviceExceptions places the operations whose path names no resource
// they belong to: an exception is a line here, with the reason, never a
// branch in the rules below.
var serviceExceptions = map[string]string{
	// A verb at the root of the API that validates a model's configuration:
	// client.Models.ValidateConfig.
	"/v1/validateModelConfig": "/v1/accounts/{}/models",
	// Evaluators' second create, under a collection name of its own that
	// has no other operation: client.Evaluators.CreateV2.
	"/v1/accounts/{account_id}/evaluatorsV2": "/v1/accounts/{}/evaluators",
}

// service is a resource service of api.Client: Client.<Name> of type
// <Name>Service.
type service struct {
	Name      string // "Secrets", "APIKeys", "ModelVersions"
	Segment   string // the collection's path segment: "secrets"
	Methods   []*serviceMethod
	Waiter    *waiter     // set when the resource has a state: the service gets Wait
	Upload    *upload     // set when the resource takes files: the service gets Upload
	Downloads []*download // one per signed-URL endpoint: the service gets Download...
}

// serviceMethod is one operation as a method of its service.
type serviceMethod struct {
	ID          string // the spec's operation id without its prefix
	GoName      string // oapi-codegen's name of the operation: "CreateAPIKey"
	Name        string // the method: "Create"
	Method      string // HTTP method
	Path        string
	Summary     string
	Description string
	Deprecated  string              // the doc's "Deprecated:" paragraph, "" when the operation is not
	Account     bool                // the path has account_id, filled from the Client
	Args        []serviceArg        // the other path parameters, in path order
	BuildArgs   []string            // the request builder's arguments after server
	Params      string              // the Go type of the query parameters, "" when none
	Required    []requiredParam     // the query parameters the operation requires, in spec order
	Body        string              // the Go type of the body, "" when none
	BodyStrings []requiredParam     // the body's required strings and date-times, checked before sending
	EmptyBody   bool                // the body has no properties: the method sends {} and takes none
	Result      string              // the Go type of the 200 body, "" when it has no properties
	ResultRef   string              // the component schema of the 200 body
	List        *listOperation      // set for List operations: they get iterators too
	ItemsGo     string              // for List: the page's items field in Go
	PageGo      string              // for List: the page type
	ItemGo      string              // for List: the item type
	Operation   *openapi3.Operation `json:"-"`
}

type serviceArg struct{ Name, Param string }

// requiredParam is a query parameter the spec marks required. Its Go field
// is checked before sending: params must not be nil, and a string or a
// date-time must not be its zero value ("" or time.Time{}), which no caller
// means. A number or a boolean is sent as it is: 0 and false are values.
type requiredParam struct {
	Name      string // the parameter's name in the spec: "startTime"
	Field     string // its field in the params struct: "StartTime"
	CheckZero bool   // a string or a date-time: the zero value is refused
	ZeroTest  string // the Go test of its zero value, after the field: ` == ""`, ".IsZero()"
}

// schemaOf is a parameter's schema, nil when it has none.
func schemaOf(p *openapi3.Parameter) *openapi3.Schema {
	if p.Schema == nil {
		return nil
	}
	return p.Schema.Value
}

// zeroTest is the Go test, written after a field, of a string schema's zero
// value: "" for a string or an enum, the zero instant for a date or a
// date-time (time.Time, openapi_types.Date). Written out per field, with
// no interface conversion, so that the check costs no allocation.
func zeroTest(s *openapi3.Schema) string {
	if s != nil && (s.Format == "date-time" || s.Format == "date") {
		return ".IsZero()"
	}
	return ` == ""`
}

// requiredBodyStrings are the properties of a request body that the spec
// marks required and that are strings or date-times (an enum is a string),
// in their Go fields: left at the zero value ("" or time.Time{}), which no
// caller means, they are refused before sending, so that a PATCH never
// blanks a required field (UpdateSecret's keyName) by accident. Read-only
// properties (the server's, never sent on purpose), nullable ones, bytes
// and nested objects' properties are not checked. An operation that takes
// an update mask (a parameter or body property named updateMask or
// update_mask) gets no check: its fields outside the mask are left out on
// purpose.
func requiredBodyStrings(o *openapi3.Operation, body *openapi3.SchemaRef) []requiredParam {
	for _, p := range o.Parameters {
		if p.Value != nil && isUpdateMask(p.Value.Name) {
			return nil
		}
	}
	if body == nil || body.Value == nil {
		return nil
	}
	for name := range body.Value.Properties {
		if isUpdateMask(name) {
			return nil
		}
	}
	var out []requiredParam
	for _, name := range body.Value.Required {
		prop := body.Value.Properties[name]
		if prop == nil || prop.Value == nil {
			continue
		}
		v := prop.Value
		if !v.Type.Is(openapi3.TypeString) || v.ReadOnly || v.Nullable || v.Format == "byte" || v.Format == "binary" {
			continue
		}
		out = append(out, requiredParam{Name: name, Field: codegen.Property{JsonFieldName: name}.GoFieldName(), CheckZero: true, ZeroTest: zeroTest(v)})
	}
	return out
}

func isUpdateMask(name string) bool { return name == "updateMask" || name == "update_mask" }

// resourceServices groups every operation into a service, by rule:
//
//   - The service is the deepest collection in the operation's path. A path
//     segment is a collection when some path goes on from it with a
//     parameter (/secrets/{secret_id}) or when a List operation pages
//     through it; other segments (/ledger, /billing/summary, the account's
//     own :testeval) belong to the collection above them. A path with no
//     collection is its first segment's service (/v1/auth/refresh: Auth).
//   - A collection right under the account (or the root) is named by its
//     segment in Go ("apiKeys": APIKeys). A collection nested under another
//     one keeps its parent's noun when the operation ids do
//     (ListDeploymentShards: DeploymentShards; CreateApiKey under users:
//     APIKeys).
//   - The method is the operation's Go name less the service's noun, plural
//     or singular, else its collection's, else its parent's (UpdateSecret:
//     Update; GetDatasetUploadEndpoint: GetUploadEndpoint; RollbackEvaluator
//     on evaluators/{e}/versions: Rollback); an operation that names none of
//     them keeps its whole name.
//
// Two services with one name, or two methods of a service with one name,
// fail generation.
func resourceServices(spec *openapi3.T, table *operationTable, lists []listOperation, goName func(string) string) ([]*service, error) {
	listByID := map[string]*listOperation{}
	for i := range lists {
		listByID[lists[i].ID] = &lists[i]
	}
	// oapi-codegen renames the spec's operation ids to Go names as it runs:
	// the ids are the table's, read before.
	idOf := map[string]string{}
	for _, row := range table.Rows {
		idOf[row.Method+" "+row.Path] = row.ID
	}
	ops := operations(spec)
	for _, op := range ops {
		id, ok := idOf[op.Method+" "+op.Path]
		if !ok {
			return nil, fmt.Errorf("%s %s is not in the table of operations", op.Method, op.Path)
		}
		op.Operation.OperationID = id
	}

	collections := map[string]bool{} // collection prefixes, with parameters as {}
	for _, op := range ops {
		segs := pathSegments(op.Path)
		for i := 0; i+1 < len(segs); i++ {
			if !isParam(segs[i]) && isParam(segs[i+1]) {
				collections[prefixKey(segs[:i+1])] = true
			}
		}
		if listByID[op.Operation.OperationID] != nil {
			collections[prefixKey(segs)] = true
		}
	}

	type placed struct {
		op     specOperation
		chain  []string // the collection segments along the path
		key    string   // the deepest collection's prefix
		parent string   // the segment of the collection above, "" at the top
	}
	var all []placed
	for _, op := range ops {
		segs := pathSegments(op.Path)
		var chain []string
		key, parent := "", ""
		for i, s := range segs {
			if !isParam(s) && collections[prefixKey(segs[:i+1])] {
				if len(chain) > 0 {
					parent = chain[len(chain)-1]
				}
				chain = append(chain, s)
				key = prefixKey(segs[:i+1])
			}
		}
		if exception, ok := serviceExceptions[op.Path]; ok {
			if !collections[exception] {
				return nil, fmt.Errorf("serviceExceptions: %s is not a collection of the spec", exception)
			}
			key, parent = exception, ""
			chain = []string{exception[strings.LastIndex(exception, "/")+1:]}
		}
		if len(chain) == 0 {
			if len(segs) < 2 || isParam(segs[1]) {
				return nil, fmt.Errorf("%s %s: no service for this path; add it to serviceExceptions", op.Method, op.Path)
			}
			chain, key = []string{segs[1]}, prefixKey(segs[:2])
		}
		if parent == "accounts" {
			parent = "" // a resource of the account: Secrets, not AccountSecrets
		}
		all = append(all, placed{op: op, chain: chain, key: key, parent: parent})
	}

	// Name each collection's service once, from all of its operations.
	byKey := map[string]*service{}
	var keys []string
	for _, p := range all {
		if byKey[p.key] != nil {
			continue
		}
		seg := p.chain[len(p.chain)-1]
		name := goName(seg)
		if p.parent != "" {
			parentNoun := singular(goName(p.parent))
			for _, q := range all {
				id := goName(q.op.Operation.OperationID)
				if q.key == p.key && (containsWord(id, parentNoun+name) || containsWord(id, parentNoun+singular(name))) {
					name = parentNoun + name
					break
				}
			}
		}
		byKey[p.key] = &service{Name: name, Segment: seg}
		keys = append(keys, p.key)
	}
	sort.Strings(keys)
	names := map[string]string{}
	for _, k := range keys {
		if other, dup := names[byKey[k].Name]; dup {
			return nil, fmt.Errorf("collections %s and %s would both be service %s", other, k, byKey[k].Name)
		}
		names[byKey[k].Name] = k
	}

	for _, p := range all {
		svc := byKey[p.key]
		m, err := newServiceMethod(p.op, svc, p.parent, listByID[p.op.Operation.OperationID], goName)
		if err != nil {
			return nil, err
		}
		svc.Methods = append(svc.Methods, m)
	}
	var out []*service
	for _, svc := range byKey {
		if err := findWorkflows(spec, svc); err != nil {
			return nil, err
		}
		sort.Slice(svc.Methods, func(i, j int) bool { return svc.Methods[i].Name < svc.Methods[j].Name })
		for i := 1; i < len(svc.Methods); i++ {
			if svc.Methods[i].Name == svc.Methods[i-1].Name {
				return nil, fmt.Errorf("operations %s and %s would both be %s.%s", svc.Methods[i-1].ID, svc.Methods[i].ID, svc.Name, svc.Methods[i].Name)
			}
		}
		out = append(out, svc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func newServiceMethod(op specOperation, svc *service, parent string, list *listOperation, goName func(string) string) (*serviceMethod, error) {
	o := op.Operation
	m := &serviceMethod{
		ID:          o.OperationID,
		GoName:      goName(o.OperationID),
		Method:      op.Method,
		Path:        op.Path,
		Summary:     oneLineText(o.Summary),
		Description: strings.TrimSpace(o.Description),
		List:        list,
		Operation:   o,
	}
	nouns := []string{svc.Name, singular(svc.Name), goName(svc.Segment), singular(goName(svc.Segment))}
	if parent != "" {
		nouns = append(nouns, goName(parent), singular(goName(parent)))
	}
	m.Name = methodName(m.GoName, nouns)

	params, err := pathParamsInOrder(op)
	if err != nil {
		return nil, err
	}
	for _, p := range params {
		if p.Name == accountParam {
			m.Account = true
			m.BuildArgs = append(m.BuildArgs, "account")
			continue
		}
		v := goVar(p)
		m.Args = append(m.Args, serviceArg{Name: v, Param: p.Name})
		m.BuildArgs = append(m.BuildArgs, v)
	}
	for _, p := range o.Parameters {
		if p.Value == nil || p.Value.In == openapi3.ParameterInPath {
			continue
		}
		if m.Params == "" {
			m.Params = m.GoName + "Params"
			m.BuildArgs = append(m.BuildArgs, "params")
		}
		if p.Value.Required {
			schema := schemaOf(p.Value)
			m.Required = append(m.Required, requiredParam{
				Name:      p.Value.Name,
				Field:     codegen.ParameterDefinition{ParamName: p.Value.Name, In: p.Value.In, Spec: p.Value}.GoName(),
				CheckZero: schema != nil && schema.Type.Is(openapi3.TypeString),
				ZeroTest:  zeroTest(schema),
			})
		}
	}
	if rb := o.RequestBody; rb != nil && rb.Value != nil {
		mt := rb.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil {
			return nil, fmt.Errorf("%s %s: a request body that is not JSON", op.Method, op.Path)
		}
		if hasFields(mt.Schema.Value) {
			m.Body = bodyType(m.GoName, mt.Schema)
			m.BuildArgs = append(m.BuildArgs, "body")
			m.BodyStrings = requiredBodyStrings(o, mt.Schema)
		} else {
			m.EmptyBody = true
			m.BuildArgs = append(m.BuildArgs, "gen."+m.GoName+"JSONRequestBody{}")
		}
	}
	if resp := o.Responses.Value("200"); resp != nil && resp.Value != nil {
		if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && hasFields(mt.Schema.Value) {
			if mt.Schema.Ref == "" {
				return nil, fmt.Errorf("%s %s: an inline 200 schema with properties has no Go type to return", op.Method, op.Path)
			}
			m.ResultRef = schemaName(mt.Schema.Ref)
			m.Result = codegen.SchemaNameToTypeName(m.ResultRef)
		}
	}
	if list != nil {
		m.PageGo = codegen.SchemaNameToTypeName(list.PageSchema)
		m.ItemGo = codegen.SchemaNameToTypeName(list.ItemSchema)
		m.ItemsGo = codegen.Property{JsonFieldName: list.ItemsField}.GoFieldName()
	}
	return m, nil
}

// bodyType is the Go type of a request body: its schema's, which every
// body has once hoistRequestBodies ran.
func bodyType(goName string, schema *openapi3.SchemaRef) string {
	if schema.Ref != "" {
		return codegen.SchemaNameToTypeName(schemaName(schema.Ref))
	}
	return goName + "JSONRequestBody"
}

// hasFields reports whether a schema can carry anything: properties,
// additional properties, or a type other than an object.
func hasFields(s *openapi3.Schema) bool {
	if s == nil {
		return false
	}
	if len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil || (s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has) {
		return true
	}
	if len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 {
		return true
	}
	return s.Type != nil && !s.Type.Is("object")
}

// methodName is goName less the first noun of nouns (longest first) found
// in it as a whole word; goName itself when none is, or when nothing would
// be left.
func methodName(goName string, nouns []string) string {
	sorted := append([]string(nil), nouns...)
	sort.SliceStable(sorted, func(i, j int) bool { return len(sorted[i]) > len(sorted[j]) })
	for _, noun := range sorted {
		if i := wordIndex(goName, noun); i >= 0 {
			if rest := goName[:i] + goName[i+len(noun):]; rest != "" {
				return rest
			}
		}
	}
	return goName
}

// wordIndex finds noun in a CamelCase name where it is a whole word or
// words: followed by the end or a capital letter.
func wordIndex(name, noun string) int {
	for from := 0; ; {
		i := strings.Index(name[from:], noun)
		if i < 0 || noun == "" {
			return -1
		}
		i += from
		end := i + len(noun)
		if end == len(name) || (name[end] >= 'A' && name[end] <= 'Z') {
			return i
		}
		from = i + 1
	}
}

func containsWord(name, noun string) bool { return wordIndex(name, noun) >= 0 }

// singular is a plural Go noun's singular, for the nouns of this API:
// DeveloperPasses, Policies, Secrets.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "sses"):
		return strings.TrimSuffix(s, "es")
	case strings.HasSuffix(s, "ies"):
		return strings.TrimSuffix(s, "ies") + "y"
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss"):
		return strings.TrimSuffix(s, "s")
	}
	return s
}

// pathSegments splits a path template into its segments, without the
// custom method (":cancel") of the last one.
func pathSegments(path string) []string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	// Parameter names hold no ':', so the last one starts the method.
	if last := segs[len(segs)-1]; strings.LastIndex(last, ":") > 0 {
		segs[len(segs)-1] = last[:strings.LastIndex(last, ":")]
	}
	return segs
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// prefixKey names a path prefix with its parameters blanked, so that
// /accounts/{account_id}/secrets and /accounts/{a}/secrets are one.
func prefixKey(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		if isParam(s) {
			b.WriteString("{}")
		} else {
			b.WriteString(s)
		}
	}
	return b.String()
}

// oneLineText joins a summary's lines.
func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }
