package gatewaytest

import (
	"io"
	"sync/atomic"
)

// DefaultStorageMemory is the most memory the fake's storage holds, in
// bytes (1 GiB), unless WithStorageMemoryLimit says otherwise: the files
// stored and the buffers of uploads in progress together. An upload that
// would go beyond it is refused with 507 InsufficientStorage.
const DefaultStorageMemory = 1 << 30

// firstUploadBuffer is the buffer an upload starts with (or its declared
// size, if smaller); it doubles as bytes arrive, up to the declared size.
const firstUploadBuffer = 64 << 10

// storageMemory accounts for the memory of storage: what uploads in
// progress have reserved, and what the stored files hold. stored only
// changes with the engine's lock held; it may count files that a delete
// has since dropped, until the next recount (deletes do not tell
// storage).
type storageMemory struct {
	reserved atomic.Int64
	stored   atomic.Int64
}

// reserve accounts for n more bytes of an upload's buffer, unless storage
// would then hold more than its limit: it first recounts the stored files
// (some may have been deleted), then refuses.
func (e *engine) reserve(n int64) bool {
	m := &e.storage.memory
	limit := e.owner.storageLimit
	if m.reserved.Add(n)+m.stored.Load() <= limit {
		return true
	}
	e.mu.Lock()
	m.stored.Store(e.storedBytes())
	e.mu.Unlock()
	if m.reserved.Load()+m.stored.Load() <= limit {
		return true
	}
	m.reserved.Add(-n)
	return false
}

// release gives back n bytes reserved.
func (e *engine) release(n int64) { e.storage.memory.reserved.Add(-n) }

// storedBytes is the memory the stored files of every resource hold.
// e.mu is held.
func (e *engine) storedBytes() int64 {
	var total int64
	for _, l := range e.lists {
		for _, res := range l.byID {
			if res.files == nil {
				continue
			}
			for _, data := range res.files.stored {
				total += int64(cap(data))
			}
		}
	}
	return total
}

// readUpload reads an upload of the declared size into a buffer that
// grows as the bytes arrive, so that a client that declares a large file
// and sends little (or stalls) holds little: at most twice what arrived,
// plus firstUploadBuffer. The buffer is reserved against the storage's
// limit as it grows (full is true when a growth was refused); on success
// it stays reserved, and the caller moves it to the stored count.
func (e *engine) readUpload(body io.Reader, size int64) (buf []byte, full bool, err error) {
	capacity := min(size, firstUploadBuffer)
	if !e.reserve(capacity) {
		return nil, true, nil
	}
	buf = make([]byte, 0, capacity)
	for int64(len(buf)) < size {
		if len(buf) == cap(buf) {
			grown := min(2*int64(cap(buf)), size)
			if !e.reserve(grown) {
				e.release(int64(cap(buf)))
				return nil, true, nil
			}
			next := make([]byte, len(buf), grown)
			copy(next, buf)
			e.release(int64(cap(buf)))
			buf = next
		}
		n, rerr := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if rerr != nil && int64(len(buf)) < size {
			e.release(int64(cap(buf)))
			if rerr == io.EOF {
				rerr = io.ErrUnexpectedEOF
			}
			return nil, false, rerr
		}
	}
	return buf, false, nil
}
