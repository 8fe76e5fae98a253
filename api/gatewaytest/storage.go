package gatewaytest

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Signed-URL storage, as the Gateway hands it out for dataset, model and
// evaluator files: an upload endpoint (a body with filenameToSize,
// answered with filenameToSignedUrls) declares files and their sizes and
// gets a signed PUT URL per file, on the fake's own storage path; a PUT
// there with Content-Type: application/octet-stream and
// x-goog-content-length-range: N,N stores the bytes; Validate*Upload
// checks that every declared file arrived with its size; a download
// endpoint (a GET answered with filenameToSignedUrls) hands out signed GET
// URLs of the stored files. Storage answers as Google Cloud Storage's XML
// API does, errors included, and refuses an Authorization header: a
// client that sends its API key to storage is caught (StorageRequests).

// storagePrefix is the path of the fake's storage; no API path starts so.
const storagePrefix = "/_gatewaytest/storage/"

// MaxStoredFile is the largest file the fake's storage takes (256 MiB),
// the limit of a signed-URL upload: the fake keeps files in memory.
const MaxStoredFile = 256 << 20

// storageContentType is what an upload must send, and what the URL signs.
const storageContentType = "application/octet-stream"

// fileSet is what a resource holds of storage.
type fileSet struct {
	declared map[string]int64  // file name -> size, from the upload endpoint
	stored   map[string][]byte // what arrived
}

// StorageRequest is one request to the fake's storage, as its log records
// it. It never holds a header's value: AuthorizationSent says whether the
// client sent credentials where only the signature belongs.
type StorageRequest struct {
	Method string
	// Object is the resource name and the file name, joined by "/".
	Object string
	// Status is the HTTP status of the answer, Code the GCS error code
	// ("SignatureDoesNotMatch"), "" for a success.
	Status int
	Code   string
	// AuthorizationSent reports that the request carried an Authorization
	// header (refused: a signed URL is the only credential storage takes).
	AuthorizationSent bool
	// Bytes is how many bytes were stored or served.
	Bytes int64
	Time  time.Time
}

// storageLog is the log of storage requests (the files live on their
// resources).
type storageLog struct {
	mu  sync.Mutex
	log ring[StorageRequest]

	memory storageMemory
}

func (s *storageLog) record(req StorageRequest, limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.push(limit, req)
}

// StorageRequests returns the requests the fake's storage received, oldest
// first.
func (h *Handler) StorageRequests() []StorageRequest {
	s := &h.engine.storage
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.items()
}

// StoredFile returns the bytes stored for a file of a resource (by the
// resource's name and the file's name), as a PUT to its signed URL left
// them.
func (h *Handler) StoredFile(name, file string) ([]byte, bool) {
	return inspect(h, name, func(_ *engine, res *resource) ([]byte, bool) {
		if res.files == nil {
			return nil, false
		}
		data, ok := res.files.stored[file]
		return data, ok
	})
}

// uploadEndpoint declares the body's files and sizes on the resource and
// answers a signed PUT URL for each.
func (k *call) uploadEndpoint() response {
	var in struct {
		FilenameToSize        map[string]string `json:"filenameToSize"`
		EnableResumableUpload bool              `json:"enableResumableUpload"`
	}
	if err := json.Unmarshal(k.body, &in); err != nil {
		return errorResponse(http.StatusBadRequest, codeInvalidArgument, "the request body is not valid")
	}
	if in.EnableResumableUpload {
		return errorResponse(http.StatusNotImplemented, codeUnimplemented, "gatewaytest does not model resumable uploads; use the signed PUT URLs")
	}
	sizes := make(map[string]int64, len(in.FilenameToSize))
	for _, file := range slices.Sorted(maps.Keys(in.FilenameToSize)) {
		if problem := checkFileName(file); problem != "" {
			return errorResponse(http.StatusBadRequest, codeInvalidArgument, "filenameToSize: a file name "+problem)
		}
		size, err := parseSize(in.FilenameToSize[file])
		if err != nil || size > MaxStoredFile {
			return errorResponse(http.StatusBadRequest, codeInvalidArgument, "filenameToSize: sizes must be 0 to 268435456 bytes (gatewaytest keeps files in memory)")
		}
		sizes[file] = size
	}
	name := k.itemName("")
	e := k.e
	e.mu.Lock()
	defer e.mu.Unlock()
	res := e.lookup(k.c, name)
	if res == nil || res.isDeleted() {
		return notFound(name)
	}
	if res.files == nil {
		res.files = &fileSet{declared: map[string]int64{}, stored: map[string][]byte{}}
	}
	urls := map[string]string{}
	for file, size := range sizes {
		res.files.declared[file] = size
		e.storage.memory.stored.Add(-int64(cap(res.files.stored[file])))
		delete(res.files.stored, file)
		urls[file] = e.signedURL(k.r, http.MethodPut, name, file, size)
	}
	return jsonResponse(encodeObject(map[string]any{"filenameToSignedUrls": urls}))
}

// downloadEndpoint answers a signed GET URL for each stored file.
func (k *call) downloadEndpoint() response {
	name := k.itemName("")
	e := k.e
	e.mu.Lock()
	defer e.mu.Unlock()
	res := e.lookup(k.c, name)
	if res == nil || res.isDeleted() {
		return notFound(name)
	}
	urls := map[string]string{}
	if res.files != nil {
		for file := range res.files.stored {
			urls[file] = e.signedURL(k.r, http.MethodGet, name, file, 0)
		}
	}
	return jsonResponse(encodeObject(map[string]any{"filenameToSignedUrls": urls}))
}

// validateUpload fails with FAILED_PRECONDITION until every declared file
// has arrived with its declared size, then moves a resource that waits
// for its upload (UPLOADING) to its settled state.
func (k *call) validateUpload() (response, bool) {
	name := k.itemName("")
	e := k.e
	e.mu.Lock()
	defer e.mu.Unlock()
	res := e.lookup(k.c, name)
	if res == nil || res.isDeleted() {
		return notFound(name), false
	}
	if res.files == nil || len(res.files.declared) == 0 {
		return errorResponse(http.StatusBadRequest, codeFailedPrecondition, name+": no file was declared (call the upload endpoint first)"), false
	}
	var missing []string
	for file, size := range res.files.declared {
		if data, ok := res.files.stored[file]; !ok || int64(len(data)) != size {
			missing = append(missing, file)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return errorResponse(http.StatusBadRequest, codeFailedPrecondition, name+": "+strconv.Itoa(len(missing))+" declared file(s) not uploaded with their size, such as "+missing[0]), false
	}
	if res.life != nil && res.life.held {
		e.setState(res, res.list.key.coll.machine.Settled, "")
	}
	return k.answer(res)
}

// signedURL is the URL of a file of name on the fake's storage, at the
// host the client called. e.mu is held.
func (e *engine) signedURL(r *http.Request, method, name, file string, size int64) string {
	path := storagePrefix + escapeName(name) + "/" + url.PathEscape(file)
	var headers map[string]string
	if method == http.MethodPut {
		headers = map[string]string{
			"content-type":                storageContentType,
			"x-goog-content-length-range": strconv.FormatInt(size, 10) + "," + strconv.FormatInt(size, 10),
		}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path + "?" + e.signer.sign(method, r.Host, path, headers, e.now(), e.urlExpiry)
}

// checkFileName refuses names that a storage path cannot hold safely.
func checkFileName(file string) string {
	switch {
	case file == "" || len(file) > 1024:
		return "must be 1 to 1024 bytes"
	case file == "." || file == ".." || strings.HasPrefix(file, "/") || strings.Contains(file, "../") || strings.HasSuffix(file, "/.."):
		return "must not be or hold a dot segment or start with /"
	case strings.IndexFunc(file, unicode.IsControl) >= 0:
		return "must not hold a control character"
	}
	return ""
}

// serveStorage answers a request to a signed URL.
func (e *engine) serveStorage(w http.ResponseWriter, r *http.Request) {
	entry := StorageRequest{Method: r.Method, AuthorizationSent: r.Header.Get("Authorization") != "", Time: e.now()}
	status, code, n := e.storageAnswer(w, r, &entry)
	entry.Status, entry.Code, entry.Bytes = status, code, n
	e.storage.record(entry, e.owner.journalLimit)
}

func (e *engine) storageAnswer(w http.ResponseWriter, r *http.Request, entry *StorageRequest) (int, string, int64) {
	name, file, ok := e.storageObject(r.URL.EscapedPath())
	if ok {
		entry.Object = name + "/" + file
	}
	if entry.AuthorizationSent {
		return gcsError(w, http.StatusBadRequest, "InvalidArgument", "Invalid argument.", "A signed URL is a credential: the request must not carry an Authorization header too.")
	}
	sr, err := parseSignedQuery(r.URL.RawQuery)
	switch {
	case errors.Is(err, errNoSignature):
		return gcsError(w, http.StatusForbidden, "AccessDenied", "Access denied.", "Anonymous caller does not have access to the Google Cloud Storage object.")
	case err != nil:
		return gcsError(w, http.StatusBadRequest, "InvalidArgument", "Invalid argument.", "The X-Goog-* signature parameters of the query are missing or malformed.")
	}
	if now := e.now(); now.After(sr.date.Add(sr.expires)) {
		return gcsError(w, http.StatusBadRequest, "ExpiredToken", "Invalid argument.", "Request signature expired at: "+sr.date.Add(sr.expires).Format(time.RFC3339))
	}
	if !e.signer.verify(r, sr) {
		return gcsError(w, http.StatusForbidden, "SignatureDoesNotMatch", "Access denied.", "The request signature we calculated does not match the signature you provided. Check your Google secret key and signing method.")
	}
	if !ok {
		return gcsError(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", "")
	}
	switch r.Method {
	case http.MethodPut:
		return e.storeUpload(w, r, name, file)
	case http.MethodGet:
		return e.serveDownload(w, name, file)
	}
	return gcsError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.", "")
}

// storeUpload reads the body into a buffer that grows as bytes arrive, up
// to its declared size (never reserved up front: see readUpload), and
// stores it.
func (e *engine) storeUpload(w http.ResponseWriter, r *http.Request, name, file string) (int, string, int64) {
	lo, hi, ok := parseContentLengthRange(r.Header.Get("X-Goog-Content-Length-Range"))
	if !ok {
		return gcsError(w, http.StatusBadRequest, "InvalidArgument", "Invalid argument.", "x-goog-content-length-range must be two sizes, min,max.")
	}
	if r.ContentLength < 0 {
		// A chunked body: GCS takes a simple upload's size up front only.
		return gcsError(w, http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.", "")
	}
	if r.ContentLength < lo {
		return gcsError(w, http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum object size specified in your Policy Document.", "Content-length smaller than lower bound on range")
	}
	if r.ContentLength > hi {
		return gcsError(w, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload is larger than the maximum object size specified in your Policy Document.", "Content-length exceeds upper bound on range")
	}
	// net/http holds the body to its Content-Length, which is within the
	// signed range; the buffer grows as the bytes arrive.
	buf, full, err := e.readUpload(r.Body, r.ContentLength)
	switch {
	case full:
		return gcsError(w, http.StatusInsufficientStorage, "InsufficientStorage", "gatewaytest keeps files in memory, and its storage is full.", "Storage holds at most "+strconv.FormatInt(e.owner.storageLimit, 10)+" bytes (WithStorageMemoryLimit); delete resources or raise the limit.")
	case err != nil:
		return gcsError(w, http.StatusBadRequest, "IncompleteBody", "The request body terminated unexpectedly.", "")
	}

	c, _, _ := e.collections.collectionOf(name)
	e.mu.Lock()
	res := e.lookup(c, name)
	declared := res != nil && res.files != nil
	if declared {
		_, declared = res.files.declared[file]
	}
	if declared {
		e.storage.memory.stored.Add(int64(cap(buf)) - int64(cap(res.files.stored[file])))
		res.files.stored[file] = buf
	}
	e.release(int64(cap(buf)))
	e.mu.Unlock()
	if !declared {
		return gcsError(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", "")
	}
	sum := md5.Sum(buf)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return http.StatusOK, "", int64(len(buf))
}

func (e *engine) serveDownload(w http.ResponseWriter, name, file string) (int, string, int64) {
	c, _, _ := e.collections.collectionOf(name)
	e.mu.Lock()
	var data []byte
	found := false
	if res := e.lookup(c, name); res != nil && res.files != nil {
		data, found = res.files.stored[file]
	}
	e.mu.Unlock()
	if !found {
		return gcsError(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", "")
	}
	w.Header().Set("Content-Type", storageContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
	return http.StatusOK, "", int64(len(data))
}

// storageObject parses a storage path into a resource name of a known
// collection and a file name.
func (e *engine) storageObject(escapedPath string) (name, file string, ok bool) {
	rest := strings.TrimPrefix(escapedPath, storagePrefix)
	i := strings.LastIndexByte(rest, '/')
	if i < 0 {
		return "", "", false
	}
	segs := strings.Split(rest[:i], "/")
	for j, s := range segs {
		v, err := url.PathUnescape(s)
		if err != nil || v == "" || strings.Contains(v, "/") {
			return "", "", false
		}
		segs[j] = v
	}
	file, err := url.PathUnescape(rest[i+1:])
	if err != nil || checkFileName(file) != "" {
		return "", "", false
	}
	name = strings.Join(segs, "/")
	if _, _, known := e.collections.collectionOf(name); !known {
		return "", "", false
	}
	return name, file, true
}

// gcsError writes an error as Google Cloud Storage's XML API does.
func gcsError(w http.ResponseWriter, status int, code, message, details string) (int, string, int64) {
	type gcsErrorBody struct {
		XMLName xml.Name `xml:"Error"`
		Code    string   `xml:"Code"`
		Message string   `xml:"Message"`
		Details string   `xml:"Details,omitempty"`
	}
	body, _ := xml.Marshal(gcsErrorBody{Code: code, Message: message, Details: details})
	w.Header().Set("Content-Type", "application/xml; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, "<?xml version='1.0' encoding='UTF-8'?>")
	_, _ = w.Write(body)
	return status, code, 0
}
