package gatewaytest

import (
	"cmp"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
)

// A resource's outputs, by rule: what a job publishes when it completes.
//
//   - The outputs of a collection are the <what> of every string property
//     of its resource named <what>SignedUrl (a supervised fine-tuning
//     job's metricsFileSignedUrl, trainerLogsSignedUrl), and of every GET
//     on its item answering one signedUrl (a DPO job's
//     :getMetricsFileEndpoint: "metricsFile").
//   - When a resource with outputs reaches its Settled state (a job's
//     JOB_STATE_COMPLETED), each output becomes a file in its storage,
//     named <what> in kebab case ("metrics-file"), holding
//     "gatewaytest <what> of <resource name>\n" (Handler.StoredFile reads
//     it).
//   - A Get answers, in each <what>SignedUrl field, a signed GET URL of
//     that file at the host the client called, minted at each read as the
//     Gateway's are; an endpoint answers {"signedUrl": ...}, or {} before
//     the file exists, and 404 NOT_FOUND for a resource that does not
//     exist.
//   - A resource whose schema has an outputModel string (or an object
//     property with one: a DPO job's trainingConfig) gets, when it
//     completes, its output model: the one it names (an id or a name), else
//     accounts/{account}/models/{resource id}, which it then names; the
//     model is created READY in the models collection (unless it exists).

// signedURLSuffix ends a property holding an output's signed URL.
const signedURLSuffix = "SignedUrl"

// outputFields maps the outputs of c that a field shows to the field's
// JSON name: "metricsFile" -> "metricsFileSignedUrl".
func outputFields(c *collection) map[string]string {
	fields := map[string]string{}
	for name, p := range c.schema.Properties {
		what, ok := strings.CutSuffix(name, signedURLSuffix)
		if ok && what != "" && p != nil && p.Value != nil && p.Value.Type.Is("string") {
			fields[what] = name
		}
	}
	return fields
}

// outputsOf is every output of c, sorted: its fields' and its endpoints'.
func outputsOf(c *collection) []string {
	all := outputFields(c)
	for _, what := range c.outputEndpoints {
		all[what] = ""
	}
	return slices.Sorted(maps.Keys(all))
}

// outputOfVerb is the output a signed-URL endpoint's custom verb hands
// out: "getMetricsFileEndpoint" and "getSourceCodeSignedUrl" give
// "metricsFile" and "sourceCode".
func outputOfVerb(verb string) string {
	what := strings.TrimPrefix(verb, "get")
	what = strings.TrimSuffix(strings.TrimSuffix(what, "Endpoint"), signedURLSuffix)
	if what == "" {
		return verb
	}
	return strings.ToLower(what[:1]) + what[1:]
}

// outputFile is the storage file name of an output: "metrics-file".
func outputFile(what string) string {
	var b strings.Builder
	for i, r := range what {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// publishOutputs stores the files of res's outputs and fills obj's
// outputModel, as a resource that just reached its Settled state does.
// e.mu is held.
func (e *engine) publishOutputs(res *resource, obj map[string]any) {
	c := res.list.key.coll
	name := res.name()
	for _, what := range outputsOf(c) {
		if res.files == nil {
			res.files = &fileSet{declared: map[string]int64{}, stored: map[string][]byte{}}
		}
		res.files.stored[outputFile(what)] = []byte("gatewaytest " + what + " of " + name + "\n") // never nil: a stored file
	}
	if path := outputModelPath(c.schema); path != nil {
		holder := obj
		if len(path) == 2 {
			inner, _ := obj[path[0]].(map[string]any)
			if inner == nil {
				inner = map[string]any{}
				obj[path[0]] = inner
			}
			holder = inner
		}
		model, _ := holder["outputModel"].(string)
		created := e.outputModel(name, cmp.Or(model, res.id))
		if model == "" {
			holder["outputModel"] = created
		}
	}
}

// outputModelPath is where a resource names the model it produces: its
// string property outputModel, else that of an object property (a DPO
// job's trainingConfig.outputModel); nil without one.
func outputModelPath(schema *openapi3.Schema) []string {
	isString := func(p *openapi3.SchemaRef) bool { return p != nil && p.Value != nil && p.Value.Type.Is("string") }
	if isString(schema.Properties["outputModel"]) {
		return []string{"outputModel"}
	}
	for _, name := range slices.Sorted(maps.Keys(schema.Properties)) {
		if p := schema.Properties[name]; p != nil && p.Value != nil && p.Value.Type.Is("object") && isString(p.Value.Properties["outputModel"]) {
			return []string{name, "outputModel"}
		}
	}
	return nil
}

// outputModel creates, READY, the model a completed resource (name)
// produced, where the fake keeps models, and returns its name: model is
// the model's id, or its name (accounts/a/models/m). e.mu is held.
func (e *engine) outputModel(name, model string) string {
	if !strings.Contains(model, "/") {
		model = strings.Join(strings.SplitN(name, "/", 3)[:2], "/") + "/models/" + model
	}
	c, _, ok := e.collections.collectionOf(model)
	if !ok || c.name != "models" || e.lookup(c, model) != nil || !e.parentExists(c, model) {
		return model // not a model's name the fake keeps, or kept already
	}
	_, id := splitName(model)
	res, _ := e.newResource(c, model, map[string]any{"displayName": id})
	e.insert(c, model, res)
	if c.machine != nil {
		e.setState(res, c.machine.Settled, "")
	}
	return model
}

// withOutputURLs answers res with a signed GET URL, at the host r called,
// in the field of each output it has a file for. e.mu is held.
func (e *engine) withOutputURLs(r *http.Request, res *resource, resp response) response {
	fields := outputFields(res.list.key.coll)
	if len(fields) == 0 || res.files == nil {
		return resp
	}
	obj, err := decodeObject(res.public)
	if err != nil {
		return resp
	}
	added := false
	for what, field := range fields {
		if _, ok := res.files.stored[outputFile(what)]; ok {
			obj[field] = e.signedURL(r, http.MethodGet, res.name(), outputFile(what), 0)
			added = true
		}
	}
	if !added {
		return resp
	}
	return jsonResponse(encodeObject(obj))
}

// outputEndpoint answers a GET that hands out one output's signed URL:
// {"signedUrl": ...} once the file exists, {} before, 404 for a resource
// that does not exist.
func (k *call) outputEndpoint() response {
	name := k.itemName("")
	verb := k.r.URL.Path[strings.LastIndexByte(k.r.URL.Path, ':')+1:]
	file := outputFile(outputOfVerb(verb))
	e := k.e
	e.mu.Lock()
	defer e.mu.Unlock()
	res := e.lookup(k.c, name)
	if res == nil || res.isDeleted() {
		return notFound(name)
	}
	if res.files == nil || res.files.stored[file] == nil {
		return jsonResponse([]byte("{}"))
	}
	return jsonResponse(encodeObject(map[string]any{"signedUrl": e.signedURL(k.r, http.MethodGet, name, file, 0)}))
}
