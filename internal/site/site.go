// Package site puts an app and pyworker together into the one handler that
// `pyworker serve`, `pyworker bench` and the end-to-end tests serve.
package site

import (
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/pyworker/pyworker"
	"github.com/pyworker/pyworker/internal/pack"
	"github.com/pyworker/pyworker/playground"
)

// Config says how to serve.
type Config struct {
	// App is served at "/"; nil serves the playground.
	App fs.FS
	// Pyodide is pyworker.Options.Pyodide: "" (the cache), a folder or a URL.
	Pyodide string
	// Snapshot is pyworker.Options.Snapshot: "" (the one made), "off" or a file.
	Snapshot string
	// PackagesFrom and PackageStore are pyworker.Options': where Pyodide's
	// lock-file packages are fetched from, and kept.
	PackagesFrom, PackageStore string
	// Isolation is "headers" (COOP/COEP/CORP on every response),
	// "service-worker" (no headers; pages without JSPI take the service
	// worker's channel) or "off" (no headers, no service worker).
	Isolation string
	// Log, when set, gets one line per request.
	Log io.Writer
	// AllowDotfiles serves the app's dotfiles and dot-folders (.env, .git/),
	// which are otherwise 404 (see pyworker.Options.AllowDotfiles).
	AllowDotfiles bool
	// Packs maps URL paths ("/app.zip") to project folders, each served
	// there packed as a zip (pack.Handler), ahead of App's files.
	Packs map[string]string
}

// New returns the handler for cfg.
func New(cfg Config) (http.Handler, error) {
	app := cfg.App
	if app == nil {
		var err error
		if app, err = playground.FS(); err != nil {
			return nil, err
		}
	}
	opts := pyworker.Options{
		Pyodide: cfg.Pyodide, Snapshot: cfg.Snapshot, ServiceWorker: cfg.Isolation == "service-worker",
		PackagesFrom: cfg.PackagesFrom, PackageStore: cfg.PackageStore, AllowDotfiles: cfg.AllowDotfiles,
	}
	runtime, err := pyworker.Handler(opts)
	if err != nil {
		return nil, err
	}
	files := pyworker.Files(app, opts)
	if len(cfg.Packs) > 0 {
		if files, err = withPacks(files, cfg.Packs); err != nil {
			return nil, err
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/", files)
	mux.Handle(pyworker.Prefix, runtime)
	var h http.Handler = mux
	switch cfg.Isolation {
	case "headers", "":
		h = pyworker.Isolate(h)
	case "service-worker", "off":
	default:
		return nil, fmt.Errorf("unknown isolation %q: want headers, service-worker or off", cfg.Isolation)
	}
	if cfg.Log != nil {
		h = logRequests(h, cfg.Log)
	}
	return h, nil
}

// withPacks serves the zips of packs (URL path → folder) at their paths and
// everything else from app. A map lookup rather than mux patterns, in which
// "{" and a leading method would mean something.
func withPacks(app http.Handler, packs map[string]string) (http.Handler, error) {
	zips := make(map[string]http.Handler, len(packs))
	for _, urlPath := range slices.Sorted(maps.Keys(packs)) {
		if !strings.HasPrefix(urlPath, "/") || path.Clean(urlPath) != urlPath || urlPath == "/" ||
			strings.HasPrefix(urlPath+"/", pyworker.Prefix) {
			return nil, fmt.Errorf("pack URL path %q: want a clean path like /app.zip, outside %s", urlPath, pyworker.Prefix)
		}
		h, err := pack.Handler(packs[urlPath])
		if err != nil {
			return nil, err
		}
		zips[urlPath] = h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := zips[r.URL.Path]; ok {
			h.ServeHTTP(w, r)
			return
		}
		app.ServeHTTP(w, r)
	}), nil
}

// logRequests writes one line per request: method, path, status, bytes, time.
func logRequests(h http.Handler, w io.Writer) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: rw, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		fmt.Fprintf(w, "%s %s %d %dB %s %s\n", r.Method, r.URL.RequestURI(), rec.status, rec.bytes,
			rec.Header().Get("Content-Encoding"), time.Since(start).Round(time.Microsecond))
	})
}

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}
