// Package fileserver has one job: serve a file tree (an fs.FS) over HTTP
// with the right headers.
//
// It refuses unsafe paths, answers 404 for dotfiles (see internal/dotfiles) unless asked to serve them, serves index.html for directories (never a
// listing), sets Content-Type, a strong content-hash ETag, Last-Modified and
// Cache-Control, answers conditional and Range requests (via
// http.ServeContent), and serves brotli or gzip variants of compressible
// files, each compressed once and cached.
//
// Give it a directory as
//
//	root, err := os.OpenRoot(dir) // refuses symlinks that leave dir
//	h := fileserver.New(root.FS(), fileserver.Options{})
//
// or an embed.FS, or an in-memory tree built with Memory.
package fileserver

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pyworker/pyworker/internal/dotfiles"
)

// Options configures New.
type Options struct {
	// Immutable marks every file as never changing (versioned assets): Cache-Control "public, max-age=31536000, immutable".
	// Otherwise "no-cache" (always revalidate with the ETag).
	Immutable bool
	// CacheDir, when set, is where compressed variants are kept across restarts (created if missing); "" keeps them in memory only.
	CacheDir string
	// ServeDotfiles serves paths with a segment that starts with a dot (.env,
	// .git/config); otherwise they are 404, as if absent, but for .well-known/.
	ServeDotfiles bool
}

// New returns a handler serving fsys. The request's URL path (the caller strips any prefix with http.StripPrefix) names the file.
func New(fsys fs.FS, opts Options) http.Handler {
	cacheControl := "no-cache"
	if opts.Immutable {
		cacheControl = "public, max-age=31536000, immutable"
	}
	return &handler{
		fsys:          fsys,
		serveDotfiles: opts.ServeDotfiles,
		cacheDir:      opts.CacheDir,
		cacheControl:  cacheControl,
		files:         make(map[string]*fileState),
	}
}

type handler struct {
	fsys          fs.FS
	serveDotfiles bool
	cacheDir      string
	cacheControl  string

	mu    sync.Mutex
	files map[string]*fileState // by fs path; see cache.go

	compressions atomic.Int64 // how many times a file was compressed (for tests)
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// On the decoded path, before the escapes are refused: "/%2egit/config" is hidden as "/.git/config" is.
	if !h.serveDotfiles && dotfiles.Private(r.URL.Path) {
		http.NotFound(w, r)
		return
	}
	if err := checkEscapes(r.URL.EscapedPath()); err != nil {
		http.Error(w, "bad path: "+err.Error(), http.StatusBadRequest)
		return
	}
	name, err := CleanPath(r.URL.Path)
	if err != nil {
		http.Error(w, "bad path: "+err.Error(), http.StatusBadRequest)
		return
	}

	f, info, err := h.open(name)
	if err != nil {
		openError(w, err)
		return
	}
	slash := r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/")
	if info.IsDir() {
		f.Close()
		if !slash {
			// A relative Location, so it works behind http.StripPrefix
			// (http.Redirect would make it absolute from the stripped path).
			target := url.URL{Path: path.Base(r.URL.Path) + "/", RawQuery: r.URL.RawQuery}
			w.Header().Set("Location", target.String())
			w.WriteHeader(http.StatusMovedPermanently)
			return
		}
		name = path.Join(name, "index.html")
		if f, info, err = h.open(name); err != nil {
			openError(w, err)
			return
		}
	} else if slash {
		// "file.js/" names nothing.
		f.Close()
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	if !info.Mode().IsRegular() {
		// A directory named index.html, a device, a pipe...
		http.NotFound(w, r)
		return
	}
	h.serveFile(w, r, name, f, info)
}

// open opens name and stats the open file (so the info matches what is read).
func (h *handler) open(name string) (fs.File, fs.FileInfo, error) {
	f, err := h.fsys.Open(name)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// openError answers a failed open. Anything but a permission error is a 404,
// including os.Root's refusal of a symlink leading out of the directory.
func openError(w http.ResponseWriter, err error) {
	if errors.Is(err, fs.ErrPermission) {
		http.Error(w, "403 forbidden", http.StatusForbidden)
		return
	}
	http.Error(w, "404 page not found", http.StatusNotFound)
}

// minCompressSize is the smallest file worth compressing: below it the
// saving is a few hundred bytes at best.
const minCompressSize = 1024

// serveFile serves the regular file f: the brotli or gzip variant when the
// client takes one and it is smaller, otherwise the file itself.
func (h *handler) serveFile(w http.ResponseWriter, r *http.Request, name string, f fs.File, info fs.FileInfo) {
	content, ok := f.(io.ReadSeeker)
	if !ok {
		// Not seekable (an unusual fs.FS): hold it in memory instead.
		data, err := io.ReadAll(f)
		if err != nil {
			http.Error(w, "read error", http.StatusInternalServerError)
			return
		}
		content = bytes.NewReader(data)
	}

	st := h.state(name, info)
	sum, err := st.hash.get(func() (string, error) { return hashContent(content) })
	if err != nil {
		h.forget(name, st)
		http.Error(w, "read error", http.StatusInternalServerError)
		return
	}

	hdr := w.Header()
	hdr.Set("Cache-Control", h.cacheControl)
	hdr.Set("X-Content-Type-Options", "nosniff")
	ctype := contentType(name)
	if ctype != "" {
		hdr.Set("Content-Type", ctype)
	} // else http.ServeContent sniffs the first 512 bytes.

	if Compressible(name, info.Size()) {
		hdr.Add("Vary", "Accept-Encoding")
		// A Range request gets the identity representation: ranges of a
		// compressed stream are of no use to anyone.
		if enc := chooseEncoding(strings.Join(r.Header.Values("Accept-Encoding"), ",")); enc != "" && r.Header.Get("Range") == "" {
			data, err := h.variant(st, enc, sum, content)
			if err != nil {
				h.forget(name, st)
				http.Error(w, "read error", http.StatusInternalServerError)
				return
			}
			if data != nil {
				hdr.Set("Content-Encoding", enc)
				hdr.Set("ETag", `"`+sum+"-"+enc+`"`)
				// ServeContent leaves Content-Length alone when Content-Encoding is set.
				hdr.Set("Content-Length", strconv.Itoa(len(data)))
				http.ServeContent(w, r, name, info.ModTime(), bytes.NewReader(data))
				return
			}
			// Compressing did not make it smaller: fall through to identity.
		}
	}
	hdr.Set("ETag", `"`+sum+`"`)
	http.ServeContent(w, r, name, info.ModTime(), content)
}
