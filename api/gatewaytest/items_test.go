package gatewaytest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// namedItems returns the collections whose items op's path names (its
// path without a custom verb is a collection's item path, or lies below
// one), outermost first, derived from the spec's paths and Collections
// alone; and whether op acts on the deepest item itself (no sub-path).
func namedItems(op gen.OperationInfo) (named []gatewaytest.Collection, own bool) {
	base := op.Path
	if i := strings.LastIndexByte(base, '/'); strings.Contains(base[i:], ":") {
		base = base[:i+strings.IndexByte(base[i:], ':')]
	}
	base = strings.TrimPrefix(base, "/v1/")
	for _, c := range gatewaytest.Collections() { // sorted by pattern: parents first
		if base == c.Pattern || strings.HasPrefix(base, c.Pattern+"/") {
			named = append(named, c)
			own = base == c.Pattern
		}
	}
	return named, own
}

// actsOnDeleted reports whether op is one that answers for a deleted item
// itself: the item's own Get (which shows a soft-deleted resource, as
// AIP-164 says), Update, Delete (a purge with hard=true) and :undelete.
func actsOnDeleted(op gen.OperationInfo, c gatewaytest.Collection) bool {
	id := gen.OperationID(op.ID)
	return id == c.Get || id == c.Update || id == c.Delete || op.Path == "/v1/"+c.Pattern+":undelete"
}

// callOperation calls op through the bare generated client, with path
// parameters v1, v2... and a body synthesized from its schema, and
// returns the status and body of the answer.
func callOperation(t *testing.T, fake *gatewaytest.Server, op gen.OperationInfo) (int, []byte) {
	t.Helper()
	auth := gen.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+gatewaytest.APIKey)
		return nil
	})
	hc := &http.Client{}
	defer hc.CloseIdleConnections()
	c, err := gen.NewClientWithResponses(fake.URL, gen.WithHTTPClient(hc), auth)
	if err != nil {
		t.Fatal(err)
	}
	m := reflect.ValueOf(c).MethodByName(op.GoName + "WithResponse")
	args, err := argsFor(m.Type(), op)
	if err != nil {
		t.Fatal(err)
	}
	out := m.Call(args)
	if err, _ := out[1].Interface().(error); err != nil {
		t.Fatalf("%v", err)
	}
	resp := out[0].Elem()
	return resp.FieldByName("HTTPResponse").Interface().(*http.Response).StatusCode, resp.FieldByName("Body").Bytes()
}

// wantNotFound checks a 404 with a Gateway error body (google.rpc.Status)
// of code NOT_FOUND that names the missing item.
func wantNotFound(t *testing.T, status int, body []byte, item string) {
	t.Helper()
	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(body, &e); status != http.StatusNotFound || err != nil || e.Code != 5 {
		t.Fatalf("answered %d %s, want 404 NOT_FOUND (code 5)", status, body)
	}
	if !strings.Contains(e.Message, item) {
		t.Errorf("message %q does not name %s", e.Message, item)
	}
}

// fillPattern replaces a pattern's parameters with the values the
// generated client sends (v1, v2... in the order of op's path parameters).
func fillPattern(pattern string, op gen.OperationInfo) string {
	for i, p := range op.PathParams {
		pattern = strings.ReplaceAll(pattern, "{"+p+"}", fmt.Sprintf("v%d", i+1))
	}
	return pattern
}

// TestItemOperationsOnMissingItemsAre404: every operation of the spec
// whose path names an item of a collection (its custom verbs such as
// models/{id}:prepare, its sub-resources such as deployments/{id}/shards,
// a nested collection's create and list, and the item's own get, update
// and delete) answers 404 NOT_FOUND when nothing was created, naming the
// outermost missing item. The operations are found from the spec's paths
// by rule, not listed.
func TestItemOperationsOnMissingItemsAre404(t *testing.T) {
	n := 0
	for _, op := range gen.Operations {
		named, _ := namedItems(op)
		if len(named) == 0 {
			continue
		}
		n++
		t.Run(op.ID, func(t *testing.T) {
			fake, _ := gatewaytest.Start(t)
			status, body := callOperation(t, fake, op)
			wantNotFound(t, status, body, fillPattern(named[0].Pattern, op))
		})
	}
	if n < 100 {
		t.Errorf("only %d operations name an item of a collection: the rule finds too few", n)
	}
}

// TestItemOperationsOnDeletedItemsAre404: with the items an operation's
// path names stored, deleting one of them (through its Delete, until the
// deletion settled) makes the operation 404: a deleted parent hides its
// children and sub-resources, and a soft-deleted item (a deployment kept
// as DELETED, which :undelete can restore) answers none of its verbs or
// sub-resources (:metrics, :scale, /shards...). Only the item's own Get,
// Update, Delete and :undelete answer for a deleted item themselves.
func TestItemOperationsOnDeletedItemsAre404(t *testing.T) {
	n := 0
	for _, op := range gen.Operations {
		named, own := namedItems(op)
		for i, c := range named {
			if c.Delete == "" || opMethod(c.Delete) != http.MethodDelete {
				continue // not deletable by its item path (apiKeys:delete names the key in the body)
			}
			if i == len(named)-1 && own && actsOnDeleted(op, c) {
				continue
			}
			n++
			t.Run(op.ID+"/"+c.Name, func(t *testing.T) {
				fake, _ := gatewaytest.Start(t, gatewaytest.WithSettleAfter(time.Second))
				for _, p := range named {
					mustPut(t, fake, fillPattern(p.Pattern, op), p)
				}
				item := fillPattern(c.Pattern, op)
				if status, body := do(t, fake, http.MethodDelete, "/v1/"+item, nil); status != http.StatusOK {
					t.Fatalf("delete %s: %d %s", item, status, body)
				}
				fake.Advance(time.Minute) // the deletion settles: gone, or kept as DELETED
				status, body := callOperation(t, fake, op)
				wantNotFound(t, status, body, item)
			})
		}
	}
	if n < 50 {
		t.Errorf("only %d operations under a deletable item: the rule finds too few", n)
	}
}

// TestPurgeSoftDeletedDeployment: DeleteDeployment with hard=true on a
// deployment kept as DELETED purges it: :undelete and Get are then 404.
func TestPurgeSoftDeletedDeployment(t *testing.T) {
	fake, _ := gatewaytest.Start(t)
	const d1 = deployments + "/d1"
	if status, body := do(t, fake, "POST", deployments+"?deploymentId=d1", deploymentBody); status != http.StatusOK {
		t.Fatalf("create: %d %s", status, body)
	}
	fake.SetState("accounts/acct/deployments/d1", "DELETED", "")
	if status, body := do(t, fake, "DELETE", d1, nil); status != http.StatusNotFound {
		t.Errorf("delete (not hard) of a deleted deployment: %d %s, want 404", status, body)
	}
	if status, body := do(t, fake, "DELETE", d1+"?hard=true", nil); status != http.StatusOK {
		t.Fatalf("purge: %d %s, want 200", status, body)
	}
	if status, body := do(t, fake, "POST", d1+":undelete", map[string]any{}); status != http.StatusNotFound {
		t.Errorf("undelete after purge: %d %s, want 404", status, body)
	}
	if status, body := do(t, fake, "GET", d1, nil); status != http.StatusNotFound {
		t.Errorf("get after purge: %d %s, want 404", status, body)
	}
}
