package fileserver

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// fileState is what the handler remembers about one version of one file,
// a version being its (size, modification time). Each value is computed
// once, by the first request that needs it; concurrent requests wait for it.
type fileState struct {
	size    int64
	modTime time.Time

	hash     lazy[string] // hex content hash, the ETag
	br, gzip lazy[[]byte] // compressed variants; nil when not smaller
}

// lazy holds a value computed at most once. Concurrent callers of get block
// until the first caller's computation is done (sync.Once semantics), so a
// 10 MB file hit by many first requests is hashed and compressed only once.
type lazy[T any] struct {
	once sync.Once
	val  T
	err  error
}

func (l *lazy[T]) get(compute func() (T, error)) (T, error) {
	l.once.Do(func() { l.val, l.err = compute() })
	return l.val, l.err
}

// state returns the fileState for this version of name, replacing (and so
// dropping the cached values of) any older version.
func (h *handler) state(name string, info fs.FileInfo) *fileState {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := h.files[name]
	if st == nil || st.size != info.Size() || !st.modTime.Equal(info.ModTime()) {
		st = &fileState{size: info.Size(), modTime: info.ModTime()}
		h.files[name] = st
	}
	return st
}

// forget drops st after an error, so that the next request tries again
// instead of getting the cached error.
func (h *handler) forget(name string, st *fileState) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.files[name] == st {
		delete(h.files, name)
	}
}

// hashContent returns the hex SHA-256 (first 128 bits) of r's content and
// rewinds r.
func hashContent(r io.ReadSeeker) (string, error) {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	sha := sha256.New()
	if _, err := io.Copy(sha, r); err != nil {
		return "", err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return hex.EncodeToString(sha.Sum(nil)[:16]), nil
}

// readAll returns r's whole content and rewinds r.
func readAll(r io.ReadSeeker) ([]byte, error) {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return data, nil
}

// variant returns the enc ("br" or "gzip") variant of the file whose content
// hash is sum and content is content, or nil when compressing does not make
// it smaller. It is computed once per file version: from the disk cache if
// there, else by compressing (and then stored on disk).
func (h *handler) variant(st *fileState, enc, sum string, content io.ReadSeeker) ([]byte, error) {
	l := &st.br
	if enc == "gzip" {
		l = &st.gzip
	}
	return l.get(func() ([]byte, error) {
		if data, ok := h.readDisk(sum, enc); ok {
			return data, nil
		}
		raw, err := readAll(content)
		if err != nil {
			return nil, err
		}
		h.compressions.Add(1)
		data, err := compress(enc, raw)
		if err != nil {
			return nil, err
		}
		if len(data) >= len(raw) {
			data = nil
		}
		h.writeDisk(sum, enc, data)
		return data, nil
	})
}

// The disk cache holds one file per (content hash, encoding), named
// "<hash>.br" or "<hash>.gz", so a changed file gets a new name; old ones
// are left for the operator to clear. An empty file records that compressing
// did not help (a real brotli or gzip stream is never empty). The cache is
// best effort: any error just means compressing again.

func (h *handler) diskPath(sum, enc string) string {
	ext := ".br"
	if enc == "gzip" {
		ext = ".gz"
	}
	return filepath.Join(h.cacheDir, sum+ext)
}

func (h *handler) readDisk(sum, enc string) (data []byte, ok bool) {
	if h.cacheDir == "" {
		return nil, false
	}
	data, err := os.ReadFile(h.diskPath(sum, enc))
	if err != nil {
		return nil, false
	}
	if len(data) == 0 {
		return nil, true
	}
	return data, true
}

func (h *handler) writeDisk(sum, enc string, data []byte) {
	if h.cacheDir == "" {
		return
	}
	if err := os.MkdirAll(h.cacheDir, 0o755); err != nil {
		return
	}
	// Write then rename, so a crash never leaves a truncated variant.
	tmp, err := os.CreateTemp(h.cacheDir, sum+".*.tmp")
	if err != nil {
		return
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), h.diskPath(sum, enc))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
}
