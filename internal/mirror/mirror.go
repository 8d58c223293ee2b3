// Package mirror keeps the packages of a Pyodide lock file for the server:
// each file the lock file names is fetched once from an upstream (a folder
// URL, the official CDN's by default, or a local folder), checked against the
// lock file's sha256 before a byte of it is stored or served, and kept in a
// folder by that hash, from which it is served ever after.
//
// A file that does not match is refused and logged with its package's name;
// concurrent requests for one file fetch it once; a fetch cut short leaves
// only a temporary file, never one that looks complete.
package mirror

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pyworker/pyworker/internal/fileserver"
)

// Off is the upstream that turns fetching off: only what was fetched before is served.
const Off = "none"

// Options configures Open.
type Options struct {
	// From is the upstream: the URL of a folder holding the lock file's
	// files (http or https), a local folder, or Off.
	From string
	// Store is the folder the fetched files are kept in, each as
	// <sha256>/<file name>; created when first needed.
	Store string
	// Log, if not nil, gets a line for each file refused or fetched.
	Log io.Writer
}

// Mirror serves the lock-file packages of one Pyodide folder.
type Mirror struct {
	base   fs.FS
	lock   *Lock
	byFile map[string]Package
	opts   Options

	mu       sync.Mutex
	inflight map[string]*flight
	// failed remembers a failure a short while, so that the request that
	// asks why a package did not load gets the same answer at once.
	failed map[string]failure
}

type flight struct {
	done chan struct{}
	err  error
}

type failure struct {
	err error
	at  time.Time
}

// failureMemory is how long a failed fetch is answered from memory.
const failureMemory = 10 * time.Second

// fetchTimeout bounds one file's fetch from the upstream (the biggest
// packages are tens of MB).
const fetchTimeout = 10 * time.Minute

// Open reads the lock file of the Pyodide folder base; the mirror then
// serves base's files, and the lock file's from the store or the upstream.
func Open(base fs.FS, opts Options) (*Mirror, error) {
	if opts.From == "" || opts.Store == "" {
		return nil, errors.New("mirror: an upstream and a store are needed")
	}
	if opts.From != Off && !isURL(opts.From) {
		if info, err := os.Stat(opts.From); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("packages from %s: not a URL, a folder or %q", opts.From, Off)
		}
	}
	lock, err := ReadLock(base)
	if err != nil {
		return nil, err
	}
	byFile := make(map[string]Package, len(lock.Packages))
	for _, pkg := range lock.Packages {
		byFile[pkg.FileName] = pkg
	}
	return &Mirror{base: base, lock: lock, byFile: byFile, opts: opts, inflight: map[string]*flight{}, failed: map[string]failure{}}, nil
}

// Lock is the lock file the mirror serves.
func (m *Mirror) Lock() *Lock { return m.lock }

func isURL(s string) bool { return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") }

// FS is the Pyodide folder with the lock file's files that are kept added to it.
func (m *Mirror) FS() fs.FS { return overlay{m} }

type overlay struct{ m *Mirror }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.m.base.Open(name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	pkg, ok := o.m.byFile[name]
	if !ok {
		return nil, err
	}
	return os.Open(o.m.stored(pkg))
}

// Handler serves files (a file server over FS) after fetching a lock-file
// file that is neither in the folder nor kept yet. A file that cannot be had
// is answered with why, in plain text: 502 when the upstream failed or sent
// a file that does not match, 404 when fetching is off.
func (m *Mirror) Handler(files http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, err := fileserver.CleanPath(r.URL.Path)
		if pkg, ok := m.byFile[name]; err == nil && ok && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			if err := m.Get(r.Context(), pkg); err != nil {
				status := http.StatusBadGateway
				if m.opts.From == Off {
					status = http.StatusNotFound
				}
				http.Error(w, err.Error(), status)
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}

// stored is where pkg's file is kept.
func (m *Mirror) stored(pkg Package) string {
	return filepath.Join(m.opts.Store, strings.ToLower(pkg.SHA256), pkg.FileName)
}

// Has reports whether pkg's file is in the folder or kept.
func (m *Mirror) Has(pkg Package) bool {
	if _, err := fs.Stat(m.base, pkg.FileName); err == nil {
		return true
	}
	_, err := os.Stat(m.stored(pkg))
	return err == nil
}

// Get makes sure pkg's file is in the folder or kept, fetching it if need
// be; a fetch another request began is waited for, not begun again.
func (m *Mirror) Get(ctx context.Context, pkg Package) error {
	if m.Has(pkg) {
		return nil
	}
	m.mu.Lock()
	if f, ok := m.failed[pkg.FileName]; ok && time.Since(f.at) < failureMemory {
		m.mu.Unlock()
		return f.err
	}
	f, ok := m.inflight[pkg.FileName]
	if !ok {
		f = &flight{done: make(chan struct{})}
		m.inflight[pkg.FileName] = f
		// The fetch outlives the request that began it: others may wait on it.
		go m.fetch(context.WithoutCancel(ctx), pkg, f)
	}
	m.mu.Unlock()
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (m *Mirror) fetch(ctx context.Context, pkg Package, f *flight) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	f.err = m.fetchFile(ctx, pkg)
	m.mu.Lock()
	delete(m.inflight, pkg.FileName)
	if f.err != nil {
		m.failed[pkg.FileName] = failure{f.err, time.Now()}
	}
	m.mu.Unlock()
	close(f.done)
}

// fetchFile copies pkg's file from the upstream into the store, checked.
func (m *Mirror) fetchFile(ctx context.Context, pkg Package) error {
	ahead := fmt.Sprintf("fetch it ahead with: pyworker fetch --packages %s", pkg.Name)
	if m.opts.From == Off {
		return fmt.Errorf("pyworker: package %s (%s) has not been fetched, and fetching packages is off (--packages-from %s); %s", pkg.Name, pkg.FileName, Off, ahead)
	}
	from, body, err := m.upstream(ctx, pkg.FileName)
	if err != nil {
		return fmt.Errorf("pyworker: package %s has not been fetched, and %s could not be: %v; %s", pkg.Name, from, err, ahead)
	}
	defer body.Close()
	if err := os.MkdirAll(m.opts.Store, 0o755); err != nil {
		return fmt.Errorf("pyworker: the package store: %w", err)
	}
	tmp, err := os.CreateTemp(m.opts.Store, ".tmp-*")
	if err != nil {
		return fmt.Errorf("pyworker: the package store: %w", err)
	}
	defer os.Remove(tmp.Name()) // gone once renamed
	defer tmp.Close()
	sum := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, sum), body)
	if err != nil {
		return fmt.Errorf("pyworker: package %s: reading %s broke off after %d bytes: %v; %s", pkg.Name, from, n, err, ahead)
	}
	if got := hex.EncodeToString(sum.Sum(nil)); got != strings.ToLower(pkg.SHA256) {
		err := fmt.Errorf("pyworker: package %s: %s does not match the lock file's sha256 (it has %s, the lock file says %s): refused", pkg.Name, from, got, pkg.SHA256)
		m.logf("%v", err)
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("pyworker: the package store: %w", err)
	}
	target := m.stored(pkg)
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return fmt.Errorf("pyworker: the package store: %w", err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("pyworker: the package store: %w", err)
	}
	m.logf("pyworker: package %s: fetched %s (%d bytes), sha256 checked", pkg.Name, from, n)
	return nil
}

// upstream opens name at the upstream, and says where that is.
func (m *Mirror) upstream(ctx context.Context, name string) (string, io.ReadCloser, error) {
	if !isURL(m.opts.From) {
		where := filepath.Join(m.opts.From, name)
		f, err := os.Open(where)
		return where, f, err
	}
	url := strings.TrimSuffix(m.opts.From, "/") + "/" + name
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return url, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return url, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return url, nil, fmt.Errorf("the upstream answered %s", resp.Status)
	}
	return url, resp.Body, nil
}

func (m *Mirror) logf(format string, args ...any) {
	if m.opts.Log != nil {
		fmt.Fprintf(m.opts.Log, format+"\n", args...)
	}
}
