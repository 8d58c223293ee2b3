package bench

import (
	"context"
	"embed"
	"io/fs"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	pw "github.com/pyworker/pyworker"
	"github.com/pyworker/pyworker/internal/assets"
	"github.com/pyworker/pyworker/internal/fileserver"
	"github.com/pyworker/pyworker/internal/site"
)

// pages are the benchmark's own pages, served at "/": docs/ (the Pyodide
// docs' worker pattern), pyworker-page/ (pyworker's runtime),
// micropython-page/ (its MicroPython workers), echo/ (the floor),
// mpy-on-page/ and pyscript-mpy/ (MicroPython on the page, pyworker's and
// PyScript's), py-worker-tag/ and web-app/ (a worker tag, an app of
// pyscript.web and when) with PyScript's twins pyscript-py-worker/ and
// pyscript-web-app/, harness.js (the figures, run in the page),
// first-print.js (the time to a page's first print) and first-output.js (to
// its first output on the page).
//
//go:embed pages
var pages embed.FS

// server is the site the browser loads: the pages at "/", pyworker and the
// interpreter at /pyworker/ (this build's, or a baseline's folder written by
// `pyworker build`), PyScript's files (when given their folder) at
// /pyscript/, on a free port of 127.0.0.1, with the isolation headers or not
// (see site.Config).
type server struct {
	url   string
	meter *meter
	// link limits the bandwidth of every response, together, when set.
	link *link
	http *http.Server
	done chan error
}

func startServer(isolation, pyscript string, baseline fs.FS) (*server, error) {
	app, err := fs.Sub(pages, "pages")
	if err != nil {
		return nil, err
	}
	h, err := site.New(site.Config{App: app, Isolation: isolation})
	if err != nil {
		return nil, err
	}
	mounts := map[string]http.Handler{}
	if pyscript != "" { // PyScript's dist/ at /pyscript/
		root, err := os.OpenRoot(pyscript)
		if err != nil {
			return nil, err
		}
		mounts["/pyscript/"] = fileserver.New(root.FS(), fileserver.Options{})
	}
	if baseline != nil {
		compressed, err := assets.CompressedDir()
		if err != nil {
			return nil, err
		}
		mounts[pw.Prefix] = fileserver.New(baseline, fileserver.Options{CacheDir: compressed})
	}
	if len(mounts) > 0 {
		mux := http.NewServeMux()
		mux.Handle("/", h)
		for prefix, files := range mounts {
			files = http.StripPrefix(prefix, files)
			if isolation == "headers" {
				files = pw.Isolate(files)
			}
			mux.Handle(prefix, files)
		}
		h = mux
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	link := &link{}
	s := &server{
		url:   "http://" + listener.Addr().String(),
		meter: &meter{h: h, link: link},
		link:  link,
		done:  make(chan error, 1),
	}
	s.http = &http.Server{Handler: s.meter, ReadHeaderTimeout: 10 * time.Second}
	go func() { s.done <- s.http.Serve(listener) }()
	return s, nil
}

// close stops the server, waiting a few seconds for responses in flight.
func (s *server) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		s.http.Close()
	}
	<-s.done // http.ErrServerClosed: the figures are taken by now
}

// meter counts the response body bytes the server writes, and notes how it
// served them, by path, since the last reset.
type meter struct {
	h    http.Handler
	link *link

	mu     sync.Mutex
	served map[string]Served
}

func (m *meter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cw := &countingWriter{ResponseWriter: w, link: m.link}
	m.h.ServeHTTP(cw, r)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.served == nil {
		m.served = make(map[string]Served)
	}
	s := m.served[r.URL.Path]
	s.Path = r.URL.Path
	s.Encoding = w.Header().Get("Content-Encoding")
	s.Bytes += cw.bytes
	m.served[r.URL.Path] = s
}

// reset starts counting afresh.
func (m *meter) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.served = nil
}

// read returns the responses finished since the last reset, by path.
func (m *meter) read() []Served {
	m.mu.Lock()
	defer m.mu.Unlock()
	served := make([]Served, 0, len(m.served))
	for _, s := range m.served {
		served = append(served, s)
	}
	slices.SortFunc(served, func(a, b Served) int { return strings.Compare(a.Path, b.Path) })
	return served
}

type countingWriter struct {
	http.ResponseWriter
	bytes int64
	link  *link
}

func (w *countingWriter) Write(b []byte) (int, error) {
	written := 0
	for len(b) > 0 {
		chunk := b[:min(len(b), linkChunk)]
		w.link.pass(len(chunk))
		n, err := w.ResponseWriter.Write(chunk)
		written += n
		w.bytes += int64(n)
		if err != nil {
			return written, err
		}
		b = b[n:]
	}
	return written, nil
}

// linkChunk is how much a response writes at a time: on a limited link,
// each chunk waits for its turn.
const linkChunk = 16 << 10

// link is a shared link of limited bandwidth: the bytes of every response
// pass it in turn, none faster than the limit allows.
type link struct {
	mu             sync.Mutex
	bytesPerSecond float64 // 0: no limit
	free           time.Time
}

// limit sets the bandwidth; 0 lifts the limit.
func (l *link) limit(bytesPerSecond float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bytesPerSecond = bytesPerSecond
	l.free = time.Time{}
}

// pass waits until n more bytes may go.
func (l *link) pass(n int) {
	l.mu.Lock()
	if l.bytesPerSecond == 0 {
		l.mu.Unlock()
		return
	}
	now := time.Now()
	if l.free.Before(now) {
		l.free = now
	}
	l.free = l.free.Add(time.Duration(float64(n) / l.bytesPerSecond * float64(time.Second)))
	wait := l.free.Sub(now)
	l.mu.Unlock()
	time.Sleep(wait)
}
