package api

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Downloads: every file goes through an os.Root opened on the target
// directory, so that no symlink inside it, to a directory or to a file,
// can lead a write outside; each is received into a temporary file beside
// its target, within the attempt that fetches it, and renamed into place
// once its size and checksum are right. The temporary file is removed on
// any failure.

// download fetches every file the endpoint names into dir, and returns the
// paths written. A name that would land outside dir (an absolute path,
// "..") is refused before anything is fetched; a symlink inside dir that
// leads outside is refused by the operating system when the file is
// written.
func download(ctx context.Context, c *Client, dir string, opts []TransferOption, steps downloadSteps) ([]string, error) {
	ts := newTransferSettings()
	s, err := resolveWorkflow(c, opts, nil, &ts)
	if err != nil {
		return nil, fmt.Errorf("download from %s %s: %w", steps.noun, steps.id, err)
	}
	urls, err := steps.endpoint(ctx, withSettings(s))
	if err != nil {
		return nil, err
	}
	if len(urls) == 0 {
		return nil, fmt.Errorf("download from %s %s: the endpoint gave no file: %w", steps.noun, steps.id, ErrNotFound)
	}
	names := make([]string, 0, len(urls))
	for name, u := range urls {
		if err := checkDownloadName(name); err != nil {
			return nil, fmt.Errorf("download from %s %s: %w", steps.noun, steps.id, err)
		}
		if u == "" {
			return nil, fmt.Errorf("download from %s %s: no URL for %q", steps.noun, steps.id, name)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("download from %s %s: %w", steps.noun, steps.id, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("download from %s %s: %w", steps.noun, steps.id, err)
	}
	defer func() { _ = root.Close() }() // a directory: its close reports nothing to act on
	progress := newProgressTracker(ts.progress, map[string]int64{})
	err = each(ctx, ts.parallel, names, func(ctx context.Context, name string) error {
		return c.getFile(ctx, s, &ts, root, name, urls[name], progress)
	})
	if err != nil {
		return nil, fmt.Errorf("download from %s %s: %w", steps.noun, steps.id, err)
	}
	paths := make([]string, len(names))
	for i, name := range names {
		paths[i] = filepath.Join(dir, filepath.FromSlash(name))
	}
	return paths, nil
}

// checkDownloadName refuses a file name that would not be written as a
// file inside the directory: absolute, with a "." or ".." element, empty,
// naming the directory itself or a device on Windows, or not in clean
// slash-separated form.
func checkDownloadName(name string) error {
	if path.Clean(name) != name || name == "." || !filepath.IsLocal(name) || strings.ContainsAny(name, "\\\x00") {
		return fmt.Errorf("the file name %q would not be written as a file inside the directory: refused", name)
	}
	return nil
}

// downloadBuffer is the size of the buffer a download copies through.
const downloadBuffer = 128 << 10

// getFile fetches one signed URL into name, inside root: to a temporary
// file beside it, received within the attempt (so that a stall or a cut
// is retried from the start), then renamed into place.
func (c *Client) getFile(ctx context.Context, s callSettings, ts *transferSettings, root *os.Root, name, signed string, progress *progressTracker) error {
	target := filepath.FromSlash(name)
	if err := root.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	tmpName := filepath.Join(filepath.Dir(target), ".download-"+rand.Text())
	tmp, err := root.OpenFile(tmpName, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer func() {
		if tmp != nil {
			_ = tmp.Close()
			_ = root.Remove(tmpName)
		}
	}()
	buf := make([]byte, downloadBuffer)
	receive := func(resp *http.Response, body io.Reader) error {
		progress.restart(name)
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return notRetried{err}
		}
		if err := tmp.Truncate(0); err != nil {
			return notRetried{err}
		}
		limit, announced := announcedSize(resp)
		bound := "storage announced"
		if announced {
			progress.setSize(name, limit)
		} else {
			limit, bound = ts.maxSize, "WithMaxDownloadSize allows"
		}
		sum := newChecksum(resp.Header.Values("X-Goog-Hash"))
		w := &downloadWriter{f: tmp, sum: sum}
		n, err := io.CopyBuffer(w, io.LimitReader(&countingReader{r: body, name: name, progress: progress}, limit+1), buf)
		switch {
		case err != nil:
			return err
		case n > limit:
			return notRetried{fmt.Errorf("%w: more than the %d bytes %s", ErrDownloadTooLarge, limit, bound)}
		case announced && n < limit:
			return fmt.Errorf("%d bytes arrived, storage announced %d: %w", n, limit, io.ErrUnexpectedEOF)
		}
		if err := sum.verify(); err != nil {
			return notRetried{err}
		}
		return nil
	}
	u, dest, err := c.p.storageDestination(signed, &storageTransfer{idle: ts.idle, receive: receive})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	req, err := newStorageRequest(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	resp, err := c.p.attempts(ctx, req, &s, dest, true)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	_ = resp.Body.Close() // received already
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := root.Rename(tmpName, target); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	tmp = nil
	progress.add(name, 0, true)
	return nil
}

// announcedSize is the size storage announces for a body: its
// Content-Length, or else (for a body sent as it is stored)
// x-goog-stored-content-length.
func announcedSize(resp *http.Response) (int64, bool) {
	if resp.ContentLength >= 0 {
		return resp.ContentLength, true
	}
	if resp.Uncompressed || resp.Header.Get("Content-Encoding") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(resp.Header.Get("X-Goog-Stored-Content-Length"), 10, 64)
	return n, err == nil && n >= 0
}

// downloadWriter writes what arrives to the temporary file and its
// checksum; a failure to write is the disk's, which no retry mends.
type downloadWriter struct {
	f   *os.File
	sum *checksum
}

func (w *downloadWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		return n, notRetried{err}
	}
	w.sum.write(p)
	return n, nil
}

// countingReader reports the bytes of a download as they arrive.
type countingReader struct {
	r        io.Reader
	name     string
	progress *progressTracker
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.progress.add(c.name, int64(n), false)
	}
	return n, err
}

// checksum is one hash storage announced in x-goog-hash (base64),
// computed over what arrives: crc32c when storage sends it (the processor
// computes it), md5 otherwise. A nil checksum checks nothing. An empty
// value announces nothing.
type checksum struct {
	algo, want string
	h          hash.Hash
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func newChecksum(headers []string) *checksum {
	var md5Sum string
	for _, h := range headers {
		for part := range strings.SplitSeq(h, ",") {
			algo, sum, ok := strings.Cut(strings.TrimSpace(part), "=")
			switch {
			case !ok || sum == "": // garbled: announces nothing
			case algo == "crc32c":
				return &checksum{algo: algo, want: sum, h: crc32.New(castagnoli)}
			case algo == "md5":
				md5Sum = sum
			}
		}
	}
	if md5Sum != "" {
		return &checksum{algo: "md5", want: md5Sum, h: md5.New()}
	}
	return nil
}

func (c *checksum) write(p []byte) {
	if c != nil {
		c.h.Write(p)
	}
}

func (c *checksum) verify() error {
	if c == nil {
		return nil
	}
	if got := base64.StdEncoding.EncodeToString(c.h.Sum(nil)); got != c.want {
		return fmt.Errorf("%w (%s)", ErrChecksumMismatch, c.algo)
	}
	return nil
}
