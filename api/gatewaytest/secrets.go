package gatewaytest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/fireworks-gateway/go-sdk/internal/specvalidate"
)

// Page sizes of List operations, as the spec documents them.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// secret is a stored Secret. value is kept for SecretValue and never sent.
type secret struct {
	keyName, value string
}

// secretJSON is a Secret as the Gateway returns it: never with its value.
type secretJSON struct {
	Name    string `json:"name"`
	KeyName string `json:"keyName"`
}

func isSecretsOperation(id string) bool {
	switch id {
	case "CreateSecret", "GetSecret", "ListSecrets", "UpdateSecret", "DeleteSecret":
		return true
	}
	return false
}

// secretIDPattern is what the fake accepts as a secret id: the characters
// of an environment variable name or a resource id.
var secretIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)

// SecretValue returns the value last stored for a secret: what the client
// sent on create or update. The API itself never returns it.
func (s *Server) SecretValue(account, id string) (value string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, ok := s.secrets[account][id]
	if !ok {
		return "", false
	}
	return sec.value, true
}

// AddSecret stores a secret directly, as if created through the API.
func (s *Server) AddSecret(account, id, keyName, value string) error {
	if !secretIDPattern.MatchString(id) {
		return fmt.Errorf("gatewaytest: %q is not a valid secret id", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.secrets[account] == nil {
		s.secrets[account] = map[string]*secret{}
	}
	if _, dup := s.secrets[account][id]; dup {
		return fmt.Errorf("gatewaytest: secret %s/%s exists", account, id)
	}
	s.secrets[account][id] = &secret{keyName: keyName, value: value}
	return nil
}

func secretName(account, id string) string { return "accounts/" + account + "/secrets/" + id }

// serveSecrets answers the five Secrets operations from the store. The
// request has been validated against the spec already.
func (s *Server) serveSecrets(w http.ResponseWriter, route *specvalidate.Route, r *http.Request, body []byte) {
	account := route.PathParams["account_id"]
	id := route.PathParams["secret_id"]
	var in struct {
		Name    string  `json:"name"`
		KeyName string  `json:"keyName"`
		Value   *string `json:"value"`
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			writeError(w, http.StatusBadRequest, codeInvalidArgument, "the request body is not a Secret")
			return
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	stored := s.secrets[account]
	switch route.Operation.ID {
	case "CreateSecret":
		id, problem := idFromName(account, in.Name)
		if problem != "" {
			writeError(w, http.StatusBadRequest, codeInvalidArgument, "name: "+problem)
			return
		}
		if _, dup := stored[id]; dup {
			writeError(w, http.StatusConflict, codeAlreadyExists, "secret "+secretName(account, id)+" already exists")
			return
		}
		if stored == nil {
			stored = map[string]*secret{}
			s.secrets[account] = stored
		}
		sec := &secret{keyName: in.KeyName}
		if in.Value != nil {
			sec.value = *in.Value
		}
		stored[id] = sec
		writeJSON(w, secretJSON{Name: secretName(account, id), KeyName: sec.keyName})
	case "GetSecret", "UpdateSecret", "DeleteSecret":
		sec, ok := stored[id]
		if !ok {
			writeError(w, http.StatusNotFound, codeNotFound, "secret "+secretName(account, id)+" not found")
			return
		}
		switch route.Operation.ID {
		case "UpdateSecret":
			sec.keyName = in.KeyName
			if in.Value != nil {
				sec.value = *in.Value
			}
		case "DeleteSecret":
			delete(stored, id)
			writeJSON(w, struct{}{})
			return
		}
		writeJSON(w, secretJSON{Name: secretName(account, id), KeyName: sec.keyName})
	case "ListSecrets":
		s.listSecrets(w, r, account, stored)
	}
}

// idFromName takes the secret id from a create request's name: either the
// resource name accounts/{account}/secrets/{id} of this account, or a bare
// id, as firectl takes it.
func idFromName(account, name string) (id, problem string) {
	id = name
	if strings.Contains(name, "/") {
		prefix := "accounts/" + account + "/secrets/"
		if !strings.HasPrefix(name, prefix) {
			return "", "must be a secret id, or the resource name accounts/{account_id}/secrets/{secret_id} of the account in the path"
		}
		id = strings.TrimPrefix(name, prefix)
	}
	if !secretIDPattern.MatchString(id) {
		return "", "the secret id must be 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or digit"
	}
	return id, ""
}

// listSecrets pages through the account's secrets in id order. A page
// token is the opaque position after the last secret of the page before,
// so that secrets created or deleted between pages do not shift the pages.
func (s *Server) listSecrets(w http.ResponseWriter, r *http.Request, account string, stored map[string]*secret) {
	q := r.URL.Query()
	size := DefaultPageSize
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, codeInvalidArgument, "pageSize must be a non-negative integer")
			return
		}
		if n > 0 {
			size = min(n, MaxPageSize)
		}
	}
	after := ""
	if tok := q.Get("pageToken"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || !strings.HasPrefix(string(raw), "after:") {
			writeError(w, http.StatusBadRequest, codeInvalidArgument, "pageToken is not a token this server returned")
			return
		}
		after = strings.TrimPrefix(string(raw), "after:")
	}
	ids := make([]string, 0, len(stored))
	for id := range stored {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	start := sort.SearchStrings(ids, after)
	if start < len(ids) && ids[start] == after {
		start++
	}
	end := min(start+size, len(ids))
	page := struct {
		Secrets       []secretJSON `json:"secrets"`
		NextPageToken string       `json:"nextPageToken,omitempty"`
		TotalSize     int32        `json:"totalSize"`
	}{Secrets: []secretJSON{}, TotalSize: int32(len(ids))}
	for _, id := range ids[start:end] {
		page.Secrets = append(page.Secrets, secretJSON{Name: secretName(account, id), KeyName: stored[id].keyName})
	}
	if end < len(ids) {
		page.NextPageToken = base64.RawURLEncoding.EncodeToString([]byte("after:" + ids[end-1]))
	}
	writeJSON(w, page)
}

func writeJSON(w http.ResponseWriter, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, codeInternal, "cannot encode the response")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}
