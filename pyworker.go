// Package pyworker lets web pages run Python in Web Workers. Its Handler
// serves the browser runtime and the interpreter assets (Pyodide's, a
// pinned MicroPython's, and the TOML parser of PyScript configs) under /pyworker/;
// Isolate adds the cross-origin isolation headers that shared memory needs.
//
//	h, err := pyworker.Handler(pyworker.Options{})
//	mux.Handle("/pyworker/", h)
//	http.ListenAndServe("127.0.0.1:8000", pyworker.Isolate(mux))
//
// A page then does `import {asyncRun} from "/pyworker/pyworker.js"`.
package pyworker

import (
	"io/fs"
	"net/http"
	"path/filepath"
	"time"

	"github.com/pyworker/pyworker/internal/assets"
	"github.com/pyworker/pyworker/internal/fileserver"
)

// Prefix is where Handler expects to be mounted.
const Prefix = "/pyworker/"

// PyodideVersion is the interpreter version pyworker pins and fetches.
const PyodideVersion = assets.PyodideVersion

// Options configures Handler.
type Options struct {
	// Pyodide says where pages get the interpreter: "" serves the pinned copy
	// from the cache (fetched on first use), a directory serves that copy, and
	// an http(s) URL (a CDN) makes pages load it from there. The pinned
	// MicroPython is served from the cache whatever this says.
	Pyodide string
	// ServiceWorker makes pages that are not cross-origin isolated, in a
	// browser without JSPI, take the service-worker channel for Python's
	// synchronous calls (slower: milliseconds per call). The service worker,
	// /pyworker/sw.js, is served either way.
	ServiceWorker bool
	// Snapshot says which Pyodide memory snapshot pages start from, with the
	// pinned Pyodide: "" the one made for it (see Prepare), "off" none (a
	// plain start), or the path of a snapshot file made for it.
	Snapshot string
	// PackagesFrom is where the packages of Pyodide's lock file are fetched
	// from on first use, each checked against the lock file's sha256 and
	// kept (see PackageStore): the URL of a folder, a local folder, or
	// "none" for only those fetched before. "" is the official CDN's folder
	// of the pinned Pyodide, or none when Pyodide is a folder of the user's.
	PackagesFrom string
	// PackageStore is where fetched packages are kept: "" for the user
	// cache's packages folder (see PackageStoreDir).
	PackageStore string
	// AllowDotfiles serves the dotfiles and dot-folders of the user's own
	// folders (the app's, given to Files, and a Pyodide folder given as
	// Options.Pyodide): .env, .git/ and the like. By default they are 404,
	// as if absent, but for .well-known/, so that serving a working folder
	// publishes no secrets or repository.
	AllowDotfiles bool
}

// PackageStoreDir is where fetched lock-file packages are kept by default,
// each as <sha256>/<file name>: shared by every server and version.
func PackageStoreDir() (string, error) {
	root, err := assets.CacheRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "packages"), nil
}

// Handler serves the runtime (pyworker.js, worker.js, sw.js, pyworker.d.ts) at
// /pyworker/, the interpreter assets at /pyworker/pyodide/ and the pinned
// MicroPython (micropython.mjs, micropython.wasm) at /pyworker/micropython/,
// the pinned TOML parser at /pyworker/toml/. The pinned packages are also
// served at a folder named by their version (pyodide/v314.0.7/), which the
// runtime uses: cached for good there, and revalidated at the plain folder.
// A file Pyodide's lock file names that the folder lacks (the pinned copy
// has none of the packages) is fetched on first request, checked and kept
// (see Options.PackagesFrom).
// Mount it at Prefix. MicroPython and the parser come from the cache whatever
// Options.Pyodide says. What is not in the cache yet is fetched first (see
// Prepare), which takes a while for Pyodide.
func Handler(opts Options) (http.Handler, error) {
	return newHandler(opts, true)
}

// newHandler is Handler, with the snapshot pages start from when
// withSnapshot is set and the pinned Pyodide is served.
func newHandler(o Options, withSnapshot bool) (http.Handler, error) {
	p, err := assemble(o, withSnapshot)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mount := func(folder string, h http.Handler) {
		mux.Handle(Prefix+folder, http.StripPrefix(Prefix+folder, h))
	}
	rt := http.StripPrefix(Prefix, fileserver.New(fileserver.Memory(p.runtime, time.Now()), fileserver.Options{}))
	mux.Handle(Prefix, rt)
	mux.Handle(Prefix+"sw.js", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// It may be registered for the whole site, to add the isolation headers (see sw.ts).
		w.Header().Set("Service-Worker-Allowed", "/")
		rt.ServeHTTP(w, r)
	}))
	compressed, err := assets.CompressedDir()
	if err != nil {
		return nil, err
	}
	for _, f := range p.folders {
		// A pinned folder never changes and has its compressed variants on disk (see Prepare);
		// a folder of the user's is compressed in memory, on request.
		var opts fileserver.Options
		if f.pinned {
			opts.CacheDir = compressed
		} else {
			opts.ServeDotfiles = o.AllowDotfiles
		}
		serve := func(opts fileserver.Options) http.Handler {
			h := fileserver.New(f.files, opts)
			if f.mirror != nil {
				return f.mirror.Handler(h)
			}
			return h
		}
		mount(f.name+"/", serve(opts))
		if f.version != "" {
			opts.Immutable = true
			mount(f.url(), serve(opts))
		}
	}
	if p.snapshot != nil {
		mount("snapshot/", serveSnapshot(*p.snapshot, compressed))
	}
	return mux, nil
}

// Files serves an app's own files as `pyworker serve DIR` does: index.html
// for a folder (never a listing), ETags and conditional requests, ranges,
// brotli or gzip compressed once, and no dotfile or dot-folder (but
// .well-known/) unless opts.AllowDotfiles; the other options are Handler's.
// Give it a folder as os.OpenRoot(dir).FS(), which refuses symlinks that leave it.
func Files(app fs.FS, opts Options) http.Handler {
	return fileserver.New(app, fileserver.Options{ServeDotfiles: opts.AllowDotfiles})
}

// Isolate adds the headers that make a page cross-origin isolated, so it may
// use SharedArrayBuffer: COOP same-origin, COEP require-corp, and CORP
// cross-origin so that other isolated sites may still load these files.
func Isolate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := w.Header()
		header.Set("Cross-Origin-Opener-Policy", "same-origin")
		header.Set("Cross-Origin-Embedder-Policy", "require-corp")
		header.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.ServeHTTP(w, r)
	})
}
