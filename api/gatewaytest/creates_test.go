package gatewaytest_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

// createsOf returns, for each collection by pattern, the operations the
// spec offers to create one of its resources, found here from the spec
// alone: a POST without a custom verb, under the collection's parent,
// whose 200 answer is the collection's resource schema.
func createsOf(t *testing.T) map[string][]gen.OperationInfo {
	t.Helper()
	out := map[string][]gen.OperationInfo{}
	for _, op := range gen.Operations {
		last := op.Path[strings.LastIndexByte(op.Path, '/')+1:]
		if op.Method != http.MethodPost || strings.Contains(last, ":") || strings.HasPrefix(last, "{") {
			continue
		}
		parent := strings.TrimPrefix(op.Path[:strings.LastIndexByte(op.Path, '/')], "/v1/")
		for _, c := range gatewaytest.Collections() {
			collPath := c.Pattern[:strings.LastIndexByte(c.Pattern, '/')]
			if collPath[:strings.LastIndexByte(collPath, '/')] == parent && opAnswersResource(gen.OperationID(op.ID), c) {
				out[c.Pattern] = append(out[c.Pattern], op)
			}
		}
	}
	return out
}

// TestEveryCreateStoresIntoItsCollection: every create the spec offers
// for a collection (its Create, and another such as POST
// /v1/accounts/{account_id}/evaluatorsV2, CreateEvaluatorV2, for
// evaluators) is one of the collection's creates, and stores into it: the
// resource it answers is then found by the collection's Get.
func TestEveryCreateStoresIntoItsCollection(t *testing.T) {
	byPattern := map[string]gatewaytest.Collection{}
	for _, c := range gatewaytest.Collections() {
		byPattern[c.Pattern] = c
	}
	creates := createsOf(t)
	if !slices.ContainsFunc(creates["accounts/{account_id}/evaluators/{evaluator_id}"], func(op gen.OperationInfo) bool {
		return op.ID == string(gen.OpCreateEvaluatorV2)
	}) {
		t.Fatalf("the spec's creates of evaluators %v lack CreateEvaluatorV2: the test reads the spec wrongly", creates["accounts/{account_id}/evaluators/{evaluator_id}"])
	}
	for pattern, ops := range creates {
		c := byPattern[pattern]
		for _, op := range ops {
			t.Run(op.ID, func(t *testing.T) {
				if id := gen.OperationID(op.ID); id != c.Create && !slices.Contains(c.OtherCreates, id) {
					t.Fatalf("%s creates %s by the spec, but the fake has it as neither Create (%s) nor OtherCreates %v", op.ID, c.Name, c.Create, c.OtherCreates)
				}
				fake, _ := gatewaytest.Start(t)
				parent := exerciser{t: t, fake: fake, c: c}.seedParents(byPattern)
				raw, err := gatewaytest.SynthesizeRequest(gen.OperationID(op.ID))
				if err != nil {
					t.Fatal(err)
				}
				body := decode(t, raw)
				path := "/v1/" + parent + "/" + op.Path[strings.LastIndexByte(op.Path, '/')+1:]
				const id = "made1"
				idName := camel(strings.Trim(c.Pattern[strings.LastIndexByte(c.Pattern, '/')+1:], "{}"))
				switch {
				case slices.Contains(op.QueryParams, idName):
					path += "?" + idName + "=" + id
				case body[idName] != nil || strings.HasPrefix(c.IDFrom, "body:"+idName):
					body[idName] = id
				}
				status, resp := do(t, fake, http.MethodPost, path, body)
				if status != http.StatusOK {
					t.Fatalf("%s: %d %s", op.ID, status, resp)
				}
				name := parent + "/" + c.Name + "/" + idOf(decode(t, resp), c)
				if _, ok := fake.Resource(name); !ok {
					t.Fatalf("%s answered %s, which the fake did not store", op.ID, name)
				}
				if c.Get != "" {
					if status, resp := do(t, fake, http.MethodGet, "/v1/"+name, nil); status != http.StatusOK {
						t.Errorf("%s of what %s created: %d %s", c.Get, op.ID, status, resp)
					}
				}
			})
		}
	}
}

// TestValidateOnlyStoresNothing: every operation of the spec with a
// validateOnly query parameter is a create, update or delete of a
// collection; with validateOnly=true it answers 200 and stores nothing
// (the state dumps the same), so that the real create of the same id
// then succeeds (not 409 ALREADY_EXISTS).
func TestValidateOnlyStoresNothing(t *testing.T) {
	byPattern := map[string]gatewaytest.Collection{}
	for _, c := range gatewaytest.Collections() {
		byPattern[c.Pattern] = c
	}
	n := 0
	for _, op := range gen.Operations {
		if !slices.Contains(op.QueryParams, "validateOnly") {
			continue
		}
		n++
		t.Run(op.ID, func(t *testing.T) {
			var c gatewaytest.Collection
			for _, cand := range byPattern {
				if id := gen.OperationID(op.ID); id == cand.Create || id == cand.Update || id == cand.Delete || slices.Contains(cand.OtherCreates, id) {
					c = cand
				}
			}
			if c.Name == "" {
				t.Fatalf("%s has validateOnly but is no create, update or delete of a collection", op.ID)
			}
			fake, _ := gatewaytest.Start(t)
			parent := exerciser{t: t, fake: fake, c: c}.seedParents(byPattern)
			const id = "v1"
			item := parent + "/" + c.Name + "/" + id
			path := "/v1/" + parent + "/" + op.Path[strings.LastIndexByte(op.Path, '/')+1:] + "?"
			isCreate := gen.OperationID(op.ID) != c.Update && gen.OperationID(op.ID) != c.Delete
			if isCreate {
				from, field, _ := strings.Cut(c.IDFrom, ":")
				if from != "query" {
					t.Fatalf("%s takes its id from %s; the test sends it as a query parameter only", op.ID, c.IDFrom)
				}
				path += field + "=" + id + "&"
			} else {
				mustPut(t, fake, item, c)
				path = "/v1/" + item + "?"
			}
			raw, err := gatewaytest.SynthesizeRequest(gen.OperationID(op.ID))
			if err != nil {
				t.Fatal(err)
			}
			var body any
			if op.HasBody {
				body = raw
			}
			before := dump(t, fake)
			if status, resp := do(t, fake, op.Method, path+"validateOnly=true", body); status != http.StatusOK {
				t.Fatalf("validateOnly=true: %d %s", status, resp)
			}
			if after := dump(t, fake); !bytes.Equal(before, after) {
				t.Errorf("validateOnly=true changed the store:\nbefore %s\nafter  %s", before, after)
			}
			if !isCreate {
				return
			}
			if status, resp := do(t, fake, op.Method, strings.TrimSuffix(path, "&"), body); status != http.StatusOK {
				t.Errorf("the real create after validateOnly: %d %s, want 200", status, resp)
			}
			if _, ok := fake.Resource(item); !ok {
				t.Errorf("the real create stored no %s", item)
			}
		})
	}
	if n == 0 {
		t.Fatal("no operation of the spec has validateOnly: the test reads it wrongly")
	}
}

// dump is the fake's state as Dump writes it.
func dump(t *testing.T, fake *gatewaytest.Server) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fake.Dump(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
