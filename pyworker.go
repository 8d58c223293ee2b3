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
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pyworker/pyworker/internal/assets"
	"github.com/pyworker/pyworker/internal/fileserver"
	"github.com/pyworker/pyworker/internal/mirror"
	"github.com/pyworker/pyworker/internal/snapshot"
	"github.com/pyworker/pyworker/runtime"
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
// the pinned TOML parser at /pyworker/toml/.
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
func newHandler(opts Options, withSnapshot bool) (http.Handler, error) {
	cfg := runtime.Config{IndexURL: "pyodide/", AssetSizes: map[string]int64{}, ServiceWorker: opts.ServiceWorker}
	var pyodide, snapshots http.Handler
	switch {
	case strings.HasPrefix(opts.Pyodide, "http://") || strings.HasPrefix(opts.Pyodide, "https://"):
		cfg.IndexURL = strings.TrimSuffix(opts.Pyodide, "/") + "/"
		for _, f := range assets.Pyodide.Files() {
			if slices.Contains(runtime.StartAssets, f.Name) {
				cfg.AssetSizes[f.Name] = f.Size
			}
		}
	default:
		dir := opts.Pyodide
		if dir == "" {
			prepare := prepareAssets
			if withSnapshot {
				prepare = Prepare
			}
			var err error
			if dir, err = prepare(context.Background(), nil); err != nil {
				return nil, err
			}
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, fmt.Errorf("pyworker: the Pyodide folder: %w", err)
		}
		if _, err := root.Stat("pyodide.mjs"); err != nil {
			return nil, fmt.Errorf("pyworker: %s holds no pyodide.mjs: not a Pyodide folder", dir)
		}
		for _, name := range runtime.StartAssets {
			if info, err := root.Stat(name); err == nil {
				cfg.AssetSizes[name] = info.Size()
			}
		}
		// The pinned copy never changes and has its compressed variants on
		// disk; a folder of the user's is compressed in memory, on request.
		if opts.Pyodide == "" {
			if pyodide, err = servePyodide(root.FS(), opts, assets.CDNURL, true); err != nil {
				return nil, err
			}
			if withSnapshot {
				if snapshots, cfg.Snapshot, err = serveSnapshot(dir, opts.Snapshot); err != nil {
					return nil, err
				}
			}
		} else if pyodide, err = servePyodide(root.FS(), opts, mirror.Off, false); err != nil {
			return nil, err
		}
	}
	// MicroPython and the TOML parser: the pinned copies whatever
	// opts.Pyodide says (ready at once if Prepare did it above).
	micropython, err := servePackage(assets.MicroPython)
	if err != nil {
		return nil, err
	}
	toml, err := servePackage(assets.TOML)
	if err != nil {
		return nil, err
	}
	files, err := runtime.Build(cfg)
	if err != nil {
		return nil, err
	}
	rt := http.StripPrefix(Prefix, fileserver.New(fileserver.Memory(files, time.Now()), fileserver.Options{}))
	mux := http.NewServeMux()
	mux.Handle(Prefix, rt)
	mux.Handle(Prefix+"sw.js", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// It may be registered for the whole site, to add the isolation headers (see sw.ts).
		w.Header().Set("Service-Worker-Allowed", "/")
		rt.ServeHTTP(w, r)
	}))
	if pyodide != nil {
		mux.Handle(Prefix+"pyodide/", http.StripPrefix(Prefix+"pyodide/", pyodide))
	}
	if snapshots != nil {
		mux.Handle(Prefix+"snapshot/", http.StripPrefix(Prefix+"snapshot/", snapshots))
	}
	mux.Handle(Prefix+"micropython/", http.StripPrefix(Prefix+"micropython/", micropython))
	mux.Handle(Prefix+"toml/", http.StripPrefix(Prefix+"toml/", toml))
	return mux, nil
}

// servePackage serves a pinned package, fetched and compressed first if need be.
func servePackage(pkg *assets.Package) (http.Handler, error) {
	dir, err := prepare(context.Background(), pkg, nil)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("pyworker: the %s folder: %w", pkg.Stem, err)
	}
	return servePinned(root.FS())
}

// servePyodide serves a Pyodide folder, with the packages of its lock file
// fetched on first use from opts.PackagesFrom (else from defaultFrom). The
// pinned folder (pinned) and the packages never change; a folder of the
// user's is compressed in memory on request, and its lock-file packages come
// only from where the user says.
func servePyodide(folder fs.FS, opts Options, defaultFrom string, pinned bool) (http.Handler, error) {
	files := func(fsys fs.FS) (http.Handler, error) {
		if pinned {
			return servePinned(fsys)
		}
		return fileserver.New(fsys, fileserver.Options{}), nil
	}
	from := cmp.Or(opts.PackagesFrom, defaultFrom)
	if !pinned && opts.PackagesFrom == "" {
		return files(folder)
	}
	store := opts.PackageStore
	if store == "" {
		var err error
		if store, err = PackageStoreDir(); err != nil {
			return nil, err
		}
	}
	m, err := mirror.Open(folder, mirror.Options{From: from, Store: store, Log: os.Stderr})
	if err != nil {
		return nil, fmt.Errorf("pyworker: %w", err)
	}
	h, err := files(m.FS())
	if err != nil {
		return nil, err
	}
	return m.Handler(h), nil
}

// servePinned serves a pinned package's folder: its files never change, and
// their compressed variants are on disk (see Prepare).
func servePinned(fsys fs.FS) (http.Handler, error) {
	compressed, err := assets.CompressedDir()
	if err != nil {
		return nil, err
	}
	return fileserver.New(fsys, fileserver.Options{Immutable: true, CacheDir: compressed}), nil
}

// Prepare makes the pinned Pyodide, MicroPython and TOML parser ready to serve: fetched
// into the cache (see `pyworker fetch`) and compressed ahead of time at
// brotli's best quality, which takes about a minute once (Pyodide's wasm;
// the others take seconds); then it makes the memory snapshot pages start
// from (see internal/snapshot), if a headless Chromium is installed, which
// takes seconds once per version of pyworker. It returns Pyodide's asset
// folder; the others' are beside it. Progress lines go to progress, if not nil.
func Prepare(ctx context.Context, progress io.Writer) (string, error) {
	dir, err := prepareAssets(ctx, progress)
	if err != nil {
		return "", err
	}
	cache, err := assets.CacheRoot()
	if err != nil {
		return "", err
	}
	// The handler (a bundle of the runtime) is built only if the snapshot must be made.
	handler := func() (http.Handler, error) { return newHandler(Options{}, false) }
	s, err := snapshot.Ensure(ctx, cache, dir, handler, progress)
	if err != nil {
		// Pages still start, plainly: slower, but they work.
		if progress != nil {
			fmt.Fprintf(progress, "no memory snapshot, pages will start Pyodide plainly: %v\n", err)
		}
		return dir, nil
	}
	compressed, err := assets.CompressedDir()
	if err != nil {
		return "", err
	}
	// Brotli's best takes 40 s for the 30 MB snapshot here, once; it is 4.3 MB
	// then, against 5.1 at the quality used on request.
	if err := fileserver.Precompress(os.DirFS(filepath.Dir(s.Path)), compressed, progress); err != nil {
		return "", fmt.Errorf("pyworker: compressing the snapshot: %w", err)
	}
	// Each version of pyworker has its own (35 MB with its variants): old ones go after a week.
	if err := snapshot.Prune(cache, compressed, s.BuildID, 7*24*time.Hour); err != nil && progress != nil {
		fmt.Fprintf(progress, "removing old snapshots: %v\n", err)
	}
	return dir, nil
}

// serveSnapshot serves the snapshot for the Pyodide in dir that option
// (Options.Snapshot) names, if there is one, and names it for the runtime.
func serveSnapshot(dir, option string) (http.Handler, *runtime.Snapshot, error) {
	if option == "off" {
		return nil, nil, nil
	}
	buildID, err := snapshot.BuildID(dir)
	if err != nil {
		return nil, nil, err
	}
	var s snapshot.Snapshot
	if option == "" {
		cache, err := assets.CacheRoot()
		if err != nil {
			return nil, nil, err
		}
		var ok bool
		if s, ok = snapshot.Find(cache, buildID); !ok {
			return nil, nil, nil
		}
	} else if s, err = snapshot.Open(option, buildID); err != nil {
		return nil, nil, fmt.Errorf("pyworker: the snapshot %s: %w", option, err)
	}
	root, err := os.OpenRoot(filepath.Dir(s.Path))
	if err != nil {
		return nil, nil, err
	}
	compressed, err := assets.CompressedDir()
	if err != nil {
		return nil, nil, err
	}
	name := filepath.Base(s.Path)
	// Only the snapshot: a file of the user's may have others beside it. Its
	// URL changes with its content (the query), so browsers may keep it for good.
	files := fileserver.New(root.FS(), fileserver.Options{Immutable: true, CacheDir: compressed})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != name {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
	return h, &runtime.Snapshot{URL: "snapshot/" + url.PathEscape(name) + "?" + s.SHA256[:16], SHA256: s.SHA256, BuildID: s.BuildID}, nil
}

// prepareAssets is Prepare without the snapshot.
func prepareAssets(ctx context.Context, progress io.Writer) (string, error) {
	dir, err := prepare(ctx, assets.Pyodide, progress)
	if err != nil {
		return "", err
	}
	for _, pkg := range []*assets.Package{assets.MicroPython, assets.TOML} {
		if _, err := prepare(ctx, pkg, progress); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// prepare fetches pkg and compresses its files into assets.CompressedDir,
// where the variants of both packages live side by side (named by content).
func prepare(ctx context.Context, pkg *assets.Package, progress io.Writer) (string, error) {
	dir, err := pkg.Fetch(ctx, assets.FetchOptions{Progress: progress})
	if err != nil {
		return "", err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return "", err
	}
	defer root.Close()
	compressed, err := assets.CompressedDir()
	if err != nil {
		return "", err
	}
	if err := fileserver.Precompress(root.FS(), compressed, progress); err != nil {
		return "", fmt.Errorf("pyworker: compressing the %s assets: %w", pkg.Stem, err)
	}
	return dir, nil
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
