package api_test

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/gen"
	"github.com/fireworks-gateway/go-sdk/internal/rawspec"
)

// TestRequiredQueryParametersAreCheckedBeforeSending: for every operation
// whose query parameters openapi.yaml marks required (read by rawspec, not
// by the generator), the service method refuses nil params with an
// *api.InvalidParamError naming the first of them, refuses a string or
// date-time one left at its zero value (no caller means "" or year 1), and
// sends nothing for either; set, each one reaches the query.
func TestRequiredQueryParametersAreCheckedBeforeSending(t *testing.T) {
	spec, calls, byUpstream := specAndCalls(t)
	checked := 0
	for _, raw := range spec.Operations {
		if len(raw.RequiredQuery) == 0 {
			continue
		}
		checked++
		op := byUpstream[raw.UpstreamID]
		t.Run(op.ID, func(t *testing.T) {
			rt := script(step{status: 200, body: `{}`})
			c := newClient(t, rt)
			m, ok := serviceMethod(c, calls[op.ID])
			if !ok {
				t.Fatalf("no service method for %s", op.ID)
			}
			var paramsType reflect.Type
			for i := 1; i < m.Type().NumIn(); i++ {
				if in := m.Type().In(i); in.Kind() == reflect.Pointer && in.Elem().Kind() == reflect.Struct {
					paramsType = in.Elem()
				}
			}
			if paramsType == nil {
				t.Fatalf("%s takes no params struct", calls[op.ID])
			}
			call := func(edit func(params reflect.Value) reflect.Value) error {
				args, _ := argsFor(m.Type(), op, "acct")
				for i, a := range args {
					if a.Kind() == reflect.Pointer && a.Type().Elem().Kind() == reflect.Struct {
						args[i] = edit(a)
					}
				}
				out := m.Call(args)
				err, _ := out[len(out)-1].Interface().(error)
				return err
			}
			refused := func(what string, err error, param string) {
				t.Helper()
				var pe *api.InvalidParamError
				if !errors.As(err, &pe) || pe.In != "query" || pe.Param != param {
					t.Errorf("%s: got %v, want an *api.InvalidParamError for query parameter %s", what, err, param)
				}
				if n := len(rt.Calls()); n != 0 {
					t.Errorf("%s: %d requests were sent, want none", what, n)
				}
			}

			err := call(func(p reflect.Value) reflect.Value { return reflect.Zero(p.Type()) })
			refused("nil params", err, raw.RequiredQuery[0].Name)

			for _, q := range raw.RequiredQuery {
				if q.Type != "string" {
					continue // 0 and false are values: only nil params is refused
				}
				err := call(func(p reflect.Value) reflect.Value {
					field := fieldByForm(p.Elem(), q.Name)
					if !field.IsValid() {
						t.Fatalf("%s has no field for %s", p.Elem().Type(), q.Name)
					}
					field.SetZero()
					return p
				})
				refused(q.Name+" left at zero", err, q.Name)

				if fieldByForm(reflect.New(paramsType).Elem(), q.Name).Type() == reflect.TypeFor[time.Time]() {
					// Year 1 in a location is no time a caller means either,
					// though it is not == time.Time{}.
					err := call(func(p reflect.Value) reflect.Value {
						fieldByForm(p.Elem(), q.Name).Set(reflect.ValueOf(time.Time{}.In(time.FixedZone("UTC+1", 3600))))
						return p
					})
					refused(q.Name+" at the zero instant in a location", err, q.Name)
				}
			}

			if err := call(func(p reflect.Value) reflect.Value { return p }); err != nil {
				t.Fatalf("with every required parameter set: %v", err)
			}
			sent := rt.Calls()
			if len(sent) != 1 {
				t.Fatalf("%d requests sent, want 1", len(sent))
			}
			u, _ := url.Parse(sent[0].url)
			for _, q := range raw.RequiredQuery {
				if u.Query().Get(q.Name) == "" {
					t.Errorf("the request's query %q lacks %s", u.RawQuery, q.Name)
				}
			}
		})
	}
	if checked == 0 {
		t.Fatal("openapi.yaml marks no query parameter required: the test checked nothing")
	}
	t.Logf("%d operations with required query parameters", checked)
}

// fieldByForm finds the field of a generated params struct that carries
// the query parameter name (its form tag).
func fieldByForm(v reflect.Value, name string) reflect.Value {
	for i := 0; i < v.NumField(); i++ {
		tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("form"), ",")
		if tag == name {
			return v.Field(i)
		}
	}
	return reflect.Value{}
}

// TestRequiredBodyStringsAreCheckedBeforeSending: for every operation
// whose JSON body openapi.yaml marks a string (or date-time) property
// required (read by rawspec, not by the generator), the service method
// refuses the body with that property left at its zero value, with an
// *api.InvalidParamError (In "body") naming it and the operation, and
// sends nothing: a PATCH never blanks a required field by accident
// (UpdateSecret's keyName). Read-only and nullable properties are not
// checked, nor bytes. No operation of the spec takes an update mask,
// which would turn the check off for its fields outside the mask.
func TestRequiredBodyStringsAreCheckedBeforeSending(t *testing.T) {
	spec, calls, byUpstream := specAndCalls(t)
	checked := 0
	for _, raw := range spec.Operations {
		for _, prop := range raw.RequiredBody {
			if prop.Type != "string" || prop.ReadOnly || prop.Nullable || prop.Format == "byte" || prop.Format == "binary" {
				continue
			}
			checked++
			op := byUpstream[raw.UpstreamID]
			t.Run(op.ID+"/"+prop.Name, func(t *testing.T) {
				rt := script(step{status: 200, body: `{}`})
				c := newClient(t, rt)
				m, ok := serviceMethod(c, calls[op.ID])
				if !ok {
					t.Fatalf("no service method for %s", op.ID)
				}
				args, _ := argsFor(m.Type(), op, "acct")
				body := -1
				for i, a := range args {
					if a.Kind() == reflect.Struct {
						body = i
					}
				}
				if body < 0 {
					t.Fatalf("%s takes no body", calls[op.ID])
				}
				filled := reflect.New(args[body].Type()).Elem()
				filled.Set(args[body])
				field := fieldByJSONName(filled, prop.Name)
				if !field.IsValid() {
					t.Fatalf("the body %s has no field for %s", filled.Type(), prop.Name)
				}
				field.Set(reflect.Zero(field.Type()))
				args[body] = filled
				out := m.Call(args)
				err, _ := out[len(out)-1].Interface().(error)
				var pe *api.InvalidParamError
				if !errors.As(err, &pe) || pe.In != "body" || pe.Param != prop.Name || !strings.HasPrefix(err.Error(), op.ID+" (") {
					t.Errorf("got %v, want an *api.InvalidParamError for body property %s, naming %s", err, prop.Name, op.ID)
				}
				if n := len(rt.Calls()); n != 0 {
					t.Errorf("%d requests were sent, want none", n)
				}
			})
		}
	}
	if checked == 0 {
		t.Fatal("no operation has a required body string: the spec reading is broken")
	}
	t.Logf("%d required body properties checked", checked)
}

// fieldByJSONName is the field of struct v whose json tag names name.
func fieldByJSONName(v reflect.Value, name string) reflect.Value {
	for i := 0; i < v.NumField(); i++ {
		if tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ","); tag == name {
			return v.Field(i)
		}
	}
	return reflect.Value{}
}

// specAndCalls reads openapi.yaml with rawspec, and indexes the generated
// service calls by operation id and gen.Operations by upstream id.
func specAndCalls(t *testing.T) (*rawspec.Spec, map[string]string, map[string]gen.OperationInfo) {
	t.Helper()
	spec, err := rawspec.Read("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]string{}
	for _, sc := range serviceCalls {
		calls[sc.ID] = sc.Call
	}
	byUpstream := map[string]gen.OperationInfo{}
	for _, op := range gen.Operations {
		byUpstream[op.UpstreamID] = op
	}
	return spec, calls, byUpstream
}
