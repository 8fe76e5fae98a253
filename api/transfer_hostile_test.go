package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
)

// TestAnUploadRedirectedByStorageIsNotStored: storage that answers the PUT
// with any redirect, to its own host or elsewhere, has not stored the file
// (Go would resend a 301/302/303 as a GET without body, whose 200 is no
// upload): the upload fails with ErrNotStored in a *TransportError, at the
// first PUT, follows nothing, and is not validated.
func TestAnUploadRedirectedByStorageIsNotStored(t *testing.T) {
	for _, code := range []int{301, 302, 303, 307, 308} {
		for _, to := range []string{"http://127.0.0.1/storage/followed", "https://elsewhere.test/storage/followed"} {
			t.Run(fmt.Sprint(code, " to ", to), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					var puts, followed hits
					f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {
						if strings.HasSuffix(r.URL.Path, "/followed") {
							followed.add()
							return // a 200 for whatever comes
						}
						puts.add()
						http.Redirect(w, r, to, code)
					})
					err := f.client.Datasets.Upload(context.Background(), "ds1", []api.File{api.FileFromReader("a.bin", strings.NewReader("data"), 4)})
					var te *api.TransportError
					if !errors.Is(err, api.ErrNotStored) || !errors.As(err, &te) || !strings.Contains(err.Error(), fmt.Sprint(code)) {
						t.Fatalf("err = %v, want ErrNotStored in a *TransportError naming the %d", err, code)
					}
					if strings.Contains(err.Error(), "sig") {
						t.Errorf("the error quotes the signed URL: %v", err)
					}
					if puts.count() != 1 || followed.count() != 0 || f.validations() != 0 {
						t.Errorf("%d PUTs, %d requests followed the redirect, %d validations; want 1, 0, 0", puts.count(), followed.count(), f.validations())
					}
				})
			})
		}
	}
}

// TestAnUploadAnsweredBeforeItsBodyIsNotStored: storage that answers 200
// without reading the file (16 MiB: more than any buffer between them)
// has not stored it: each PUT is retried, then the upload fails with
// ErrNotStored, and is not validated.
func TestAnUploadAnsweredBeforeItsBodyIsNotStored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var puts hits
		f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) { puts.add() })
		const size = 16 << 20
		err := f.client.Datasets.Upload(context.Background(), "ds1", []api.File{api.FileFromReader("a.bin", bytes.NewReader(make([]byte, size)), size)})
		var te *api.TransportError
		if !errors.Is(err, api.ErrNotStored) || !errors.As(err, &te) || te.Attempts != 3 {
			t.Fatalf("err = %v, want ErrNotStored in a *TransportError after 3 attempts", err)
		}
		if puts.count() != 3 || f.validations() != 0 {
			t.Errorf("%d PUTs and %d validations, want 3 and 0", puts.count(), f.validations())
		}
	})
}

// TestAFileThatChangedSizeIsNotRetried: a file on disk that grew or
// shrank after FileFromPath fails with ErrFileChanged at its first PUT: a
// retry would read the same changed file.
func TestAFileThatChangedSizeIsNotRetried(t *testing.T) {
	for name, size := range map[string]int{"grew": 100_001, "shrank": 99_999} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var puts hits
				f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {
					puts.add()
					_, _ = io.Copy(io.Discard, r.Body)
				})
				p := tempFile(t, "a.bin", bytes.Repeat([]byte("a"), 100_000))
				file, err := api.FileFromPath(p)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, bytes.Repeat([]byte("a"), size), 0o644); err != nil {
					t.Fatal(err)
				}
				err = f.client.Datasets.Upload(context.Background(), "ds1", []api.File{file})
				var te *api.TransportError
				if !errors.Is(err, api.ErrFileChanged) || !errors.As(err, &te) || te.Attempts != 1 {
					t.Fatalf("err = %v, want ErrFileChanged in a *TransportError after 1 attempt", err)
				}
				if puts.count() != 1 || f.validations() != 0 {
					t.Errorf("%d PUTs and %d validations, want 1 and 0", puts.count(), f.validations())
				}
			})
		})
	}
}

// TestAFileThatChangedSizeIsNotRetriedWhateverTheTransportSays: a
// transport that reports the body's failure as a failed write (a
// *net.OpError, which alone would be retried) still fails the upload at
// its first PUT.
func TestAFileThatChangedSizeIsNotRetriedWhateverTheTransportSays(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var puts hits
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			if req.Method != http.MethodPut {
				return newStorageServer().RoundTrip(req)
			}
			puts.add()
			_, err := io.Copy(io.Discard, req.Body)
			return nil, &net.OpError{Op: "write", Net: "tcp", Err: err}
		})
		c := newClient(t, rt)
		err := c.Datasets.Upload(context.Background(), "ds1", []api.File{api.FileFromReader("a.bin", bytes.NewReader(make([]byte, 101)), 100)})
		if !errors.Is(err, api.ErrFileChanged) || puts.count() != 1 {
			t.Errorf("err = %v after %d PUTs, want ErrFileChanged after 1", err, puts.count())
		}
	})
}

// TestAPutSentAgainByTheTransportIsCountedAgain: a transport that sends
// the body again through GetBody (as net/http does when a kept-alive
// connection closed under it) is counted on its second copy: storage read
// all of it, so the file is stored.
func TestAPutSentAgainByTheTransportIsCountedAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var puts hits
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			if req.Method != http.MethodPut {
				return newStorageServer().RoundTrip(req)
			}
			puts.add()
			_, _ = io.CopyN(io.Discard, req.Body, 10)
			again, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			_, _ = io.Copy(io.Discard, again)
			return answer200(req, nil, http.Header{}), nil
		})
		c := newClient(t, rt)
		err := c.Datasets.Upload(context.Background(), "ds1", []api.File{api.FileFromReader("a.bin", bytes.NewReader(make([]byte, 100)), 100)})
		if err != nil || puts.count() != 1 {
			t.Errorf("err = %v after %d PUTs, want success after 1", err, puts.count())
		}
	})
}

// TestADownloadNeverWritesThroughASymlink: a directory symlink inside the
// target directory that leads elsewhere is refused, with nothing written
// outside and no temporary file left; a symlink at the target's name is
// replaced by the file, and what it pointed to is left as it was.
func TestADownloadNeverWritesThroughASymlink(t *testing.T) {
	srv := newStorageServer()
	srv.stored["o/f"] = []byte("from storage")
	c := newClient(t, srv)

	dir, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "sub")); err != nil {
		t.Fatal(err)
	}
	srv.downloads = map[string]string{"sub/evil.txt": "o/f"}
	if _, err := c.Datasets.Download(context.Background(), "ds1", dir); err == nil {
		t.Error("a download through a symlink to another directory succeeded")
	}
	assertOnly(t, outside)
	assertOnly(t, dir, "sub") // the link, and no temporary file

	dir, outside = t.TempDir(), t.TempDir()
	kept := filepath.Join(outside, "kept.txt")
	if err := os.WriteFile(kept, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(kept, filepath.Join(dir, "f.txt")); err != nil {
		t.Fatal(err)
	}
	srv.downloads = map[string]string{"f.txt": "o/f"}
	if _, err := c.Datasets.Download(context.Background(), "ds1", dir); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(kept); string(got) != "mine" {
		t.Errorf("the file the symlink pointed to now holds %q", got)
	}
	if st, err := os.Lstat(filepath.Join(dir, "f.txt")); err != nil || !st.Mode().IsRegular() {
		t.Errorf("the target is not a regular file: %v %v", st, err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "f.txt")); string(got) != "from storage" {
		t.Errorf("the target holds %q", got)
	}
}

// TestACancelledDownloadLeavesNoFile: cancelling the context while the
// body arrives ends the download with context.Canceled in a
// *TransportError, at once, with no temporary file left.
func TestACancelledDownloadLeavesNoFile(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "2048")
			_, _ = w.Write(make([]byte, 1024))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		})
		ctx, cancel := context.WithCancel(context.Background())
		dir := t.TempDir()
		start := time.Now()
		_, err := f.client.Datasets.Download(ctx, "ds1", dir, api.OnTransferProgress(func(p api.TransferProgress) {
			if p.Bytes > 0 {
				cancel()
			}
		}))
		var te *api.TransportError
		if !errors.Is(err, context.Canceled) || !errors.As(err, &te) || time.Since(start) != 0 {
			t.Errorf("err = %v after %v, want context.Canceled in a *TransportError, at once", err, time.Since(start))
		}
		assertOnly(t, dir)
	})
}

// TestADownloadIsBoundedBySize: a body without Content-Length is bounded
// by x-goog-stored-content-length when storage sends it, and by
// WithMaxDownloadSize otherwise: more is ErrDownloadTooLarge, at the first
// GET, with no file left; fewer than announced is io.ErrUnexpectedEOF,
// retried. A body within its bound arrives.
func TestADownloadIsBoundedBySize(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stored string // x-goog-stored-content-length; "" for none
		sent   int
		want   error
		gets   int
	}{
		{"no size, over the option", "", 1001, api.ErrDownloadTooLarge, 1},
		{"no size, at the option", "", 1000, nil, 1},
		{"stored size, more sent", "100", 101, api.ErrDownloadTooLarge, 1},
		{"stored size, fewer sent", "100", 99, io.ErrUnexpectedEOF, 3},
		{"stored size, as sent", "100", 100, nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var gets hits
				f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {
					gets.add()
					if tc.stored != "" {
						w.Header().Set("X-Goog-Stored-Content-Length", tc.stored)
					}
					w.WriteHeader(200)
					w.(http.Flusher).Flush() // no Content-Length: chunked
					_, _ = w.Write(bytes.Repeat([]byte("x"), tc.sent))
				})
				dir := t.TempDir()
				_, err := f.client.Datasets.Download(context.Background(), "ds1", dir, api.WithMaxDownloadSize(1000))
				var te *api.TransportError
				switch {
				case tc.want == nil && err != nil:
					t.Fatal(err)
				case tc.want != nil && (!errors.Is(err, tc.want) || !errors.As(err, &te)):
					t.Fatalf("err = %v, want %v in a *TransportError", err, tc.want)
				}
				if gets.count() != tc.gets {
					t.Errorf("%d GETs, want %d", gets.count(), tc.gets)
				}
				if tc.want == nil {
					assertOnly(t, dir, "data.bin")
				} else {
					assertOnly(t, dir)
				}
			})
		})
	}
}

// TestADownloadShorterThanItsContentLengthIsRetried: a body cut before its
// Content-Length is retried, then fails with io.ErrUnexpectedEOF and no
// file.
func TestADownloadShorterThanItsContentLengthIsRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var gets hits
		f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {
			gets.add()
			w.Header().Set("Content-Length", "1000")
			_, _ = w.Write(make([]byte, 500))
		})
		dir := t.TempDir()
		_, err := f.client.Datasets.Download(context.Background(), "ds1", dir)
		var te *api.TransportError
		if !errors.Is(err, io.ErrUnexpectedEOF) || !errors.As(err, &te) || gets.count() != 3 {
			t.Errorf("err = %v after %d GETs, want io.ErrUnexpectedEOF in a *TransportError after 3", err, gets.count())
		}
		assertOnly(t, dir)
	})
}

// TestADownloadChecksCRC32CWhenStorageSendsBoth: with both checksums
// announced, crc32c decides (a wrong md5 beside a right crc32c passes); a
// wrong crc32c is ErrChecksumMismatch at the first GET, with no file left.
func TestADownloadChecksCRC32CWhenStorageSendsBoth(t *testing.T) {
	data := []byte("checked data\n")
	sum := crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli))
	right := base64Of(sum)
	for name, crc := range map[string]string{"right crc32c": right, "wrong crc32c": base64Of(sum + 1)} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var gets hits
				f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {
					gets.add()
					w.Header().Add("X-Goog-Hash", "md5=AAAAAAAAAAAAAAAAAAAAAA==")
					w.Header().Add("X-Goog-Hash", "crc32c="+crc)
					_, _ = w.Write(data)
				})
				dir := t.TempDir()
				_, err := f.client.Datasets.Download(context.Background(), "ds1", dir)
				if crc == right {
					if err != nil {
						t.Fatal(err)
					}
					assertOnly(t, dir, "data.bin")
					return
				}
				var te *api.TransportError
				if !errors.Is(err, api.ErrChecksumMismatch) || !errors.As(err, &te) || gets.count() != 1 {
					t.Errorf("err = %v after %d GETs, want ErrChecksumMismatch in a *TransportError after 1", err, gets.count())
				}
				assertOnly(t, dir)
			})
		})
	}
}

func base64Of(crc uint32) string {
	b := []byte{byte(crc >> 24), byte(crc >> 16), byte(crc >> 8), byte(crc)}
	return base64.StdEncoding.EncodeToString(b)
}

// TestTransferOptionsAreCheckedBeforeSending: an idle time or a size
// bound that is not positive is refused before any request (a transfer
// option given to another call does not compile: see
// TestMisplacedOptionsDoNotCompile).
func TestTransferOptionsAreCheckedBeforeSending(t *testing.T) {
	for name, opt := range map[string]api.TransferOption{
		"idle 0":        api.WithTransferIdleTimeout(0),
		"idle negative": api.WithTransferIdleTimeout(-time.Second),
		"max size 0":    api.WithMaxDownloadSize(0),
	} {
		srv := newStorageServer()
		c := newClient(t, srv)
		srv.stored["o/f"] = []byte("x")
		srv.downloads = map[string]string{"f": "o/f"}
		if err := c.Datasets.Upload(context.Background(), "ds1", []api.File{api.FileFromReader("a", strings.NewReader("x"), 1)}, opt); err == nil {
			t.Errorf("%s: Upload took it", name)
		}
		if _, err := c.Datasets.Download(context.Background(), "ds1", t.TempDir(), opt); err == nil {
			t.Errorf("%s: Download took it", name)
		}
		if len(srv.puts) != 0 || len(srv.gets) != 0 {
			t.Errorf("%s: a request went to storage", name)
		}
	}
}

// TestADownloadFollowsRedirectsOnlyOnItsSignedHost: a GET redirected on
// storage's own origin is followed; one redirected elsewhere is refused,
// and nothing reaches the other host or the disk.
func TestADownloadFollowsRedirectsOnlyOnItsSignedHost(t *testing.T) {
	for _, tc := range []struct {
		to   string
		want bool
	}{{"/storage/moved", true}, {"http://127.0.0.2/storage/moved", false}, {"https://elsewhere.test/storage/moved", false}} {
		t.Run(tc.to, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var moved hits
				f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {
					if strings.HasSuffix(r.URL.Path, "/moved") {
						moved.add()
						_, _ = io.WriteString(w, "moved data")
						return
					}
					http.Redirect(w, r, tc.to, http.StatusFound)
				})
				dir := t.TempDir()
				_, err := f.client.Datasets.Download(context.Background(), "ds1", dir)
				if tc.want {
					if err != nil {
						t.Fatal(err)
					}
					assertOnly(t, dir, "data.bin")
					return
				}
				var te *api.TransportError
				if !errors.As(err, &te) || !strings.Contains(err.Error(), "off the signed host") || moved.count() != 0 {
					t.Errorf("err = %v after %d requests elsewhere, want a *TransportError refusing the redirect, and none", err, moved.count())
				}
				assertOnly(t, dir)
			})
		})
	}
}

// TestADownloadFollowsAtMostTenRedirects: storage that redirects a GET to
// itself for ever gets ten requests (the first and nine redirects; the
// tenth redirect is refused), net/http's own limit, and the download fails
// with a *TransportError saying so; nothing reaches the disk.
func TestADownloadFollowsAtMostTenRedirects(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var gets hits
		f := newTransferFake(t, func(w http.ResponseWriter, r *http.Request) {
			n := gets.add()
			http.Redirect(w, r, "/storage/data.bin?hop="+strconv.Itoa(n), http.StatusFound)
		})
		dir := t.TempDir()
		_, err := f.client.Datasets.Download(context.Background(), "ds1", dir, api.WithMaxRetries(0))
		var te *api.TransportError
		if !errors.As(err, &te) || !strings.Contains(err.Error(), "stopped after 10 redirects") {
			t.Errorf("err = %v, want a *TransportError that stopped after 10 redirects", err)
		}
		if gets.count() != 10 {
			t.Errorf("storage got %d GETs, want 10: the first and nine redirects followed", gets.count())
		}
		assertOnly(t, dir)
	})
}
