package gatewaytest

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Page sizes of List operations, as the spec documents them.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// list pages through a collection under its parent: pageSize (default 50,
// at most 200), opaque page tokens that name the last item of the page
// before (so that creates and deletes between pages do not shift them),
// totalSize, a filter of field comparisons (filter.go), orderBy on name,
// createTime or updateTime, and showDeleted for a collection that keeps
// deleted resources. A filter or an orderBy the fake cannot interpret is
// 400 INVALID_ARGUMENT, not ignored.
func (k *call) list() response {
	q := k.r.URL.Query()
	size := DefaultPageSize
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errorResponse(http.StatusBadRequest, codeInvalidArgument, "pageSize must be a non-negative integer")
		}
		if n > 0 {
			size = min(n, MaxPageSize)
		}
	}
	order, problem := parseOrderBy(q.Get("orderBy"))
	if problem != "" {
		return errorResponse(http.StatusBadRequest, codeInvalidArgument, "orderBy: "+problem)
	}
	filterText := q.Get("filter")
	filter, problem := parseFilter(filterText)
	if problem == "" {
		problem = filter.check(k.c.schema)
	}
	if problem != "" {
		return errorResponse(http.StatusBadRequest, codeInvalidArgument, "filter: "+problem)
	}
	showDeleted, _ := strconv.ParseBool(q.Get("showDeleted"))

	// The parent's name: the item's name without its id.
	parent, _ := splitName(k.itemName("-"))
	listing := pageToken{Collection: k.c.pattern, Parent: parent, Order: order.String(), Filter: filterText, ShowDeleted: showDeleted}
	signer := k.e.owner.pages
	var after *pageToken
	if raw := q.Get("pageToken"); raw != "" {
		tok, ok := signer.decode(raw)
		if !ok {
			return errorResponse(http.StatusBadRequest, codeInvalidArgument, "pageToken is not a token this server returned")
		}
		if !tok.sameListing(listing) {
			return errorResponse(http.StatusBadRequest, codeInvalidArgument, "pageToken was returned for another listing (another collection, parent, filter, orderBy or showDeleted)")
		}
		after = &tok
	}
	e := k.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.parentExists(k.c, k.itemName("-")) {
		return notFound(parent)
	}
	var matching []sortEntry
	if l := e.lists[listKey{k.c, parent}]; l != nil {
		for _, id := range l.ids() {
			res := l.byID[id]
			if !e.settleIfDue(res) || (res.isDeleted() && !showDeleted) {
				continue
			}
			if filter != nil && !filter.matches(res.public) {
				continue
			}
			matching = append(matching, sortEntry{key: order.key(res), id: id, res: res})
		}
	}
	if order.field != "name" || order.desc {
		slices.SortStableFunc(matching, order.compare)
	}
	start := 0
	if after != nil {
		start = len(matching)
		for i, m := range matching {
			if order.compare(m, sortEntry{key: after.Key, id: after.ID}) > 0 {
				start = i
				break
			}
		}
	}
	end := min(start+size, len(matching))

	var b bytes.Buffer
	b.WriteString(`{"`)
	b.WriteString(k.c.listField)
	b.WriteString(`":[`)
	shown := 0
	for _, m := range matching[start:end] {
		if !e.read(m.res) {
			continue
		}
		if shown > 0 {
			b.WriteByte(',')
		}
		b.Write(m.res.public)
		shown++
	}
	b.WriteByte(']')
	if end < len(matching) {
		last := matching[end-1]
		b.WriteString(`,"nextPageToken":`)
		next := listing
		next.Key, next.ID = last.key, last.id
		b.Write(rawString(signer.encode(next)))
	}
	if k.c.listTotal {
		b.WriteString(`,"totalSize":`)
		b.WriteString(strconv.Itoa(len(matching)))
	}
	b.WriteByte('}')
	return jsonResponse(b.Bytes())
}

// sortEntry is a resource with the key it is listed by.
type sortEntry struct {
	key, id string
	res     *resource
}

// listOrder is a parsed orderBy.
type listOrder struct {
	field string // "name", "createTime" or "updateTime"
	desc  bool
}

func (o listOrder) String() string {
	if o.desc {
		return o.field + " desc"
	}
	return o.field
}

func (o listOrder) key(res *resource) string {
	switch o.field {
	case "createTime":
		return formatTime(res.created)
	case "updateTime":
		return formatTime(res.updated)
	}
	return ""
}

// compare orders by key, then id, reversed for desc.
func (o listOrder) compare(a, b sortEntry) int {
	c := strings.Compare(a.key, b.key)
	if c == 0 {
		c = strings.Compare(a.id, b.id)
	}
	if o.desc {
		return -c
	}
	return c
}

// parseOrderBy reads "name", "createTime desc", "create_time asc"...: one
// field of those the fake keeps, and a direction.
func parseOrderBy(s string) (listOrder, string) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return listOrder{field: "name"}, ""
	}
	o := listOrder{field: camel(fields[0])}
	switch o.field {
	case "name", "createTime", "updateTime":
	default:
		return o, "the fake orders by name, createTime or updateTime only"
	}
	switch {
	case len(fields) == 1:
	case len(fields) == 2 && strings.EqualFold(fields[1], "asc"):
	case len(fields) == 2 && strings.EqualFold(fields[1], "desc"):
		o.desc = true
	default:
		return o, "want a field and an optional asc or desc"
	}
	return o, ""
}

// pageToken is what a page token holds: the listing it belongs to (the
// collection, the parent, which names the account, the filter, the order
// and whether deleted resources show) and the last item of the page
// before. The page size is not bound: a client may change it between
// pages, as AIP-158 allows.
type pageToken struct {
	Collection  string `json:"c"`
	Parent      string `json:"p"`
	Order       string `json:"o"`
	Filter      string `json:"f,omitempty"`
	ShowDeleted bool   `json:"d,omitempty"`
	Key         string `json:"k,omitempty"`
	ID          string `json:"i"`
}

// sameListing reports whether t was issued for the listing l describes.
func (t pageToken) sameListing(l pageToken) bool {
	return t.Collection == l.Collection && t.Parent == l.Parent && t.Order == l.Order &&
		t.Filter == l.Filter && t.ShowDeleted == l.ShowDeleted
}

// pageSigner makes page tokens that cannot be forged: the token's JSON,
// then an HMAC-SHA256 of it under a random key of one fake, so that a
// token edited, made up, or issued by another fake is refused.
type pageSigner struct{ key []byte }

func newPageSigner() pageSigner {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return pageSigner{key: key}
}

// pageMACSize is how many bytes of the HMAC a token carries.
const pageMACSize = 16

func (s pageSigner) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(payload)
	return m.Sum(nil)[:pageMACSize]
}

// encode returns the token: base64url(JSON) "." base64url(MAC).
func (s pageSigner) encode(t pageToken) string {
	raw, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(raw) + "." + base64.RawURLEncoding.EncodeToString(s.mac(raw))
}

// decode returns the token s holds, if this signer signed it.
func (s pageSigner) decode(token string) (pageToken, bool) {
	payload, sig, ok := strings.Cut(token, ".")
	if !ok {
		return pageToken{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return pageToken{}, false
	}
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(mac, s.mac(raw)) {
		return pageToken{}, false
	}
	var t pageToken
	if json.Unmarshal(raw, &t) != nil || t.ID == "" || t.Order == "" {
		return pageToken{}, false
	}
	return t, true
}
