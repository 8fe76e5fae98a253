package specvalidate

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzFindRoute: any method and path routes or fails without a panic, and
// a route found is stable: putting its decoded parameters back into its
// template routes to the same operation with the same parameters.
func FuzzFindRoute(f *testing.F) {
	for _, seed := range []struct{ method, path string }{
		{"PATCH", "/v1/accounts/acc/secrets/s1"},
		{"POST", "/v1/accounts/acc/deployments/d1:undelete"},
		{"GET", "/v1/accounts/acc/deployments/d1%3Aundelete"},
		{"POST", "/v1/accounts/acc/users/u1/apiKeys:delete"},
		{"GET", "/v1/accounts/acc/secr%65ts"},
		{"GET", "/v1/accounts/a%2Fb/secrets/%zz"},
		{"POST", "/v1/creditCodes:redeem"},
		{"GET", "/v1/accounts/acc:testeval:x"},
		{"GET", "//::/"},
	} {
		f.Add(seed.method, seed.path)
	}
	s := mustLoad(f)
	f.Fuzz(func(t *testing.T, method, path string) {
		r, err := s.FindRoute(method, path)
		if err != nil {
			return
		}
		again := r.Operation.Path
		for _, name := range r.Operation.PathParams {
			again = strings.Replace(again, "{"+name+"}", escapeSegment(r.PathParams[name]), 1)
		}
		r2, err := s.FindRoute(method, again)
		if err != nil {
			t.Fatalf("%s %q routed to %s, but its template filled again (%q) does not route: %v", method, path, r.Operation.ID, again, err)
		}
		if r2.Operation.ID != r.Operation.ID {
			t.Fatalf("%s %q routed to %s, its template filled again to %s", method, path, r.Operation.ID, r2.Operation.ID)
		}
	})
}

// marker starts every fuzzed value: no message of this package holds it
// unless it quotes a value.
const marker = "\u2603"

// FuzzErrorsNeverQuoteValues puts a value in every place a request can
// fail (body fields of every type check, query parameters, the
// Authorization header) and checks that the error text never holds it.
func FuzzErrorsNeverQuoteValues(f *testing.F) {
	f.Add("sk-1234567890abcdef", uint8(0))
	f.Add("2024-02-30T00:00:00Z", uint8(3))
	f.Add("FP16", uint8(4))
	f.Add("\"}", uint8(7))
	f.Add("a b", uint8(9))
	s := mustLoad(f)
	f.Fuzz(func(t *testing.T, fuzzed string, where uint8) {
		value := marker + fuzzed
		quoted, _ := json.Marshal(value)
		q := string(quoted)
		method, target, body, auth := "PATCH", "/v1/accounts/acc/secrets/s1", "", "Bearer "+testToken
		switch where % 10 {
		case 0:
			body = `{"keyName":[` + q + `],"value":` + q + `}`
		case 1:
			body = `{"value":` + q + `}`
		case 2:
			body = `{"keyName":` + q + `,"value":` + q + `` // truncated
		case 3:
			method, target, body = "POST", "/v1/accounts/acc/deployments", `{"baseModel":"m","expireTime":`+q+`}`
		case 4:
			method, target, body = "POST", "/v1/accounts/acc/deployments", `{"baseModel":"m","precision":`+q+`}`
		case 5:
			method, target, body = "POST", "/v1/accounts/acc/deployments", `{"baseModel":"m","annotations":{"k":[`+q+`]}}`
		case 6:
			method, target = "GET", "/v1/accounts/acc/secrets?pageSize="+url.QueryEscape(value)
		case 7:
			method, target = "GET", "/v1/accounts/acc/billingUsage?endTime=2024-01-01T00:00:00Z&startTime="+url.QueryEscape(value)
		case 8:
			method, target = "GET", "/v1/accounts/acc/billingUsage?startTime=2024-01-01T00:00:00Z&endTime=2024-01-01T00:00:00Z&usageType="+url.QueryEscape(value)
		case 9:
			method, target, auth = "GET", "/v1/accounts/acc/secrets", "Bearer "+value
		}
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/json")
		r, err := s.FindRoute(req.Method, req.URL.EscapedPath())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ValidateRequest(r, req, []byte(body)); err != nil && strings.Contains(err.Error(), marker) {
			t.Fatal("the fuzzed value leaked into the error text")
		}
		if err := s.ValidateResponse(r, 200, req.Header, []byte(body)); err != nil && strings.Contains(err.Error(), marker) {
			t.Fatal("the fuzzed value leaked into a response error")
		}
		// An error answer (the spec's default response, google.rpc.Status)
		// with the value where a number, a string and a list belong.
		errorBody := `{"code":` + q + `,"message":[` + q + `],"details":` + q + `,"VALUE":` + q + `}`
		if err := s.ValidateResponse(r, 404, req.Header, []byte(errorBody)); err == nil || strings.Contains(err.Error(), marker) {
			t.Fatalf("an error answer with the value misplaced: validated, or leaked into the error (%v)", err != nil)
		}
	})
}
