package fileserver

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
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
		if data, ok := readDisk(h.cacheDir, sum, enc); ok {
			return data, nil
		}
		raw, err := readAll(content)
		if err != nil {
			return nil, err
		}
		h.compressions.Add(1)
		return compressToDisk(h.cacheDir, sum, enc, raw, len(raw) <= bestOnRequestSize)
	})
}

// bestOnRequestSize is the largest file compressed at the best quality on
// its first request: brotli 11 takes about 0.15 s for 64 KB of JSON here.
const bestOnRequestSize = 64 << 10

// compressToDisk compresses raw with enc and keeps the result in the disk
// cache dir (if any); nil means compressing does not make it smaller.
func compressToDisk(dir, sum, enc string, raw []byte, best bool) ([]byte, error) {
	data, err := compress(enc, raw, best)
	if err != nil {
		return nil, err
	}
	if len(data) >= len(raw) {
		data = nil
	}
	writeDisk(dir, sum, enc, best, data)
	return data, nil
}

// Precompress fills the disk cache dir with the best compression (brotli
// quality 11, gzip 9) of every compressible file of fsys not compressed
// there yet, using every core. It takes a minute for Pyodide's 9.6 MB wasm:
// run it ahead of time for files that never change, and a handler with
// CacheDir dir serves these variants instead of compressing on request.
func Precompress(fsys fs.FS, dir string, progress io.Writer) error {
	type job struct{ name, enc, sum string }
	var jobs []job
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil || !Compressible(name, info.Size()) {
			return err
		}
		f, err := fsys.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		sum, err := hashContent(f.(io.ReadSeeker))
		if err != nil {
			return err
		}
		for _, enc := range []string{"br", "gzip"} {
			if _, err := os.Stat(diskPath(dir, sum, enc, true)); err != nil {
				jobs = append(jobs, job{name, enc, sum})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		slots = make(chan struct{}, runtime.NumCPU())
	)
	for _, j := range jobs {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			raw, err := fs.ReadFile(fsys, j.name)
			if err == nil {
				_, err = compressToDisk(dir, j.sum, j.enc, raw, true)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil {
				first = fmt.Errorf("compressing %s: %w", j.name, err)
			}
			if progress != nil {
				fmt.Fprintf(progress, "compressed %s (%s, best)\n", j.name, j.enc)
			}
		}()
	}
	wg.Wait()
	return first
}

// The disk cache holds one file per (content hash, encoding), named
// "<hash>.br" or "<hash>.gz" (Precompress's: "<hash>.best.br", preferred),
// so a changed file gets a new name; old ones
// are left for the operator to clear. An empty file records that compressing
// did not help (a real brotli or gzip stream is never empty). The cache is
// best effort: any error just means compressing again.

func diskPath(dir, sum, enc string, best bool) string {
	name := sum
	if best {
		name += ".best"
	}
	if enc == "gzip" {
		return filepath.Join(dir, name+".gz")
	}
	return filepath.Join(dir, name+".br")
}

// readDisk returns the cached variant, the best one if there is one.
func readDisk(dir, sum, enc string) (data []byte, ok bool) {
	if dir == "" {
		return nil, false
	}
	data, err := os.ReadFile(diskPath(dir, sum, enc, true))
	if err != nil {
		data, err = os.ReadFile(diskPath(dir, sum, enc, false))
	}
	if err != nil {
		return nil, false
	}
	if len(data) == 0 {
		return nil, true
	}
	return data, true
}

func writeDisk(dir, sum, enc string, best bool, data []byte) {
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	// Write then rename, so a crash never leaves a truncated variant.
	tmp, err := os.CreateTemp(dir, sum+".*.tmp")
	if err != nil {
		return
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), diskPath(dir, sum, enc, best))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
}

// BestSize is the size of content under brotli's best quality: read from
// the best variant Precompress left in the disk cache dir, or computed.
func BestSize(dir string, content []byte) (int64, error) {
	data, err := BestVariant(dir, content, "br")
	if err != nil || data == nil {
		return int64(len(content)), err
	}
	return int64(len(data)), nil
}

// BestVariant is content compressed with enc ("br" or "gzip") at the best
// quality, or nil when that does not make it smaller: read from the disk
// cache dir, or made and kept there ("" keeps nothing).
func BestVariant(dir string, content []byte, enc string) ([]byte, error) {
	sum, err := hashContent(bytes.NewReader(content))
	if err != nil {
		return nil, err
	}
	if dir != "" {
		if data, err := os.ReadFile(diskPath(dir, sum, enc, true)); err == nil {
			if len(data) == 0 {
				return nil, nil
			}
			return data, nil
		}
	}
	return compressToDisk(dir, sum, enc, content, true)
}

// Compressible reports whether a file of this name and size is worth
// compressing: its type shrinks, and it is big enough to gain.
func Compressible(name string, size int64) bool {
	return size >= minCompressSize && compressible(contentType(name))
}
