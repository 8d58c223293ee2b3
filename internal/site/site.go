// Package site puts an app and pyworker together into the one handler that
// `pyworker serve`, `pyworker bench` and the end-to-end tests serve.
package site

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"time"

	"github.com/pyworker/pyworker"
	"github.com/pyworker/pyworker/internal/fileserver"
	"github.com/pyworker/pyworker/playground"
)

// Config says how to serve.
type Config struct {
	// App is served at "/"; nil serves the playground.
	App fs.FS
	// Pyodide is pyworker.Options.Pyodide: "" (the cache), a folder or a URL.
	Pyodide string
	// Isolation is "headers" (COOP/COEP/CORP on every response),
	// "service-worker" (no headers; pages without JSPI take the service
	// worker's channel) or "off" (no headers, no service worker).
	Isolation string
	// Log, when set, gets one line per request.
	Log io.Writer
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
	runtime, err := pyworker.Handler(pyworker.Options{Pyodide: cfg.Pyodide, ServiceWorker: cfg.Isolation == "service-worker"})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/", fileserver.New(app, fileserver.Options{}))
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
