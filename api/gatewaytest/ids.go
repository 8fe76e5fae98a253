package gatewaytest

import (
	"math/rand/v2"
	"net/url"
	"regexp"
	"strings"
)

// idPattern is what the fake accepts as a resource id: the characters of
// an environment variable name (secrets) or of a resource id, starting
// with a letter or digit. "." and ".." never match.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)

const idProblem = "must be 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or digit"

// createID takes the id of a new resource by the first rule that applies:
//
//  1. the {resource}Id query parameter (deploymentId), when the create
//     operation has one and the client set it;
//  2. the {resource}Id property of a wrapping body ({"dataset": {...},
//     "datasetId": "d1"});
//  3. the resource's name in the body, when the client may set it (not
//     readOnly: a Secret's), as a bare id or as this collection's resource
//     name under the same parent;
//  4. a generated id.
//
// A readOnly name in the body is ignored, as a proto-JSON server ignores
// output-only fields: a client that sends its id there gets a generated
// one, which is what the real Gateway does.
func (k *call) createID(in, resource map[string]any) (id, problem string) {
	c, shape := k.c, k.rule.shape
	if shape.createIDQuery != "" {
		if v := k.r.URL.Query().Get(shape.createIDQuery); v != "" {
			return checkID(shape.createIDQuery, v)
		}
	}
	if shape.createIDField != "" {
		if v, _ := in[shape.createIDField].(string); v != "" {
			return checkID(shape.createIDField, v)
		}
	}
	if c.nameInput {
		if v, present := resource["name"].(string); present {
			return k.idFromName(v) // an empty name is a 400, not a generated id
		}
	}
	return generateID(), ""
}

// idFromName takes the id from a name the client chose: a bare id, or the
// full resource name under the request's parent, as firectl takes it.
func (k *call) idFromName(name string) (id, problem string) {
	if !strings.Contains(name, "/") {
		return checkID("name", name)
	}
	prefix := k.c.nameOf(k.route.PathParams, "-")
	prefix = prefix[:strings.LastIndexByte(prefix, '/')+1]
	id, ok := strings.CutPrefix(name, prefix)
	if !ok || strings.Contains(id, "/") {
		return "", "name: must be an id, or the resource name " + k.c.pattern + " under the parent in the path"
	}
	return checkID("name", id)
}

func checkID(field, id string) (string, string) {
	if !idPattern.MatchString(id) {
		return "", field + ": the id " + idProblem
	}
	return id, ""
}

// generateID returns an id as the Gateway makes them: 12 lower-case
// letters and digits, starting with a letter.
func generateID() string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	const alnum = letters + "0123456789"
	b := make([]byte, 12)
	b[0] = letters[rand.IntN(len(letters))]
	for i := 1; i < len(b); i++ {
		b[i] = alnum[rand.IntN(len(alnum))]
	}
	return string(b)
}

// itemName is the name of the resource a request's path names, with its
// id param set to id (the path's own, or one the body names).
func (k *call) itemName(id string) string {
	return k.c.nameOf(k.route.PathParams, id)
}

// escapeName percent-escapes each segment of a resource name for a URL.
func escapeName(name string) string {
	segs := strings.Split(name, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}
