package pack

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Handler serves the project in dir packed as a zip (see Zip), at whatever
// path it is mounted, with a strong ETag (the zip's SHA-256) so a client
// that has it gets 304 Not Modified.
//
// Each request walks the folder; when the files' names, sizes and
// modification times are what the last zip was made from, that zip is served
// again, otherwise a new one is packed. (An edit that keeps a file's size
// within the file system's clock tick goes unseen until the next change.)
//
// Handler packs dir once before returning, so a folder that cannot be packed
// is an error now rather than on the first request.
func Handler(dir string) (http.Handler, error) {
	h := &handler{dir: dir}
	if _, err := h.current(); err != nil {
		return nil, err
	}
	return h, nil
}

type handler struct {
	dir string

	mu   sync.Mutex
	last *archive
}

// archive is one packing of the folder.
type archive struct {
	files []file // what it was packed from
	zip   []byte
	etag  string
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	a, err := h.current()
	if err != nil {
		// The developer serving their own folder wants to see why.
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/zip")
	hdr.Set("ETag", a.etag)
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Content-Type-Options", "nosniff")
	// No modification time: every entry has the same fixed one, and the ETag
	// says all there is to say.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.zip))
}

// current returns the archive of the folder as it is now, packing it again
// if it changed. Concurrent requests wait for one packing.
func (h *handler) current() (*archive, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	root, err := openFolder(h.dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	files, err := list(root, h.dir, nil)
	if err != nil {
		return nil, err
	}
	if h.last != nil && slices.Equal(files, h.last.files) {
		return h.last, nil
	}
	var buf bytes.Buffer
	if err := write(&buf, root, h.dir, files); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(buf.Bytes())
	h.last = &archive{files: files, zip: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:]) + `"`}
	return h.last, nil
}
