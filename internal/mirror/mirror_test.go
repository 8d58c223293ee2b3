package mirror

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pyworker/pyworker/internal/fileserver"
)

// The packages of the tests' lock file: name → file content. "tampered"'s
// lock entry names other bytes than the upstream serves.
var contents = map[string]string{
	"alpha":    "alpha's wheel",
	"beta":     "beta's wheel, which alpha depends on",
	"gamma":    "gamma's zip",
	"tampered": "what the lock file was made from",
}

func fileName(name string) string {
	if name == "gamma" {
		return "gamma-1.0.zip"
	}
	return name + "-1.0-py3-none-any.whl"
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// pyodideFolder is a Pyodide folder holding a lock file of the packages
// and a file of its own, but none of the packages' files.
func pyodideFolder(t *testing.T) fstest.MapFS {
	t.Helper()
	packages := map[string]any{}
	for name, content := range contents {
		depends := []string{}
		if name == "alpha" {
			depends = []string{"beta"}
		}
		packages[name] = map[string]any{
			"name": name, "version": "1.0", "file_name": fileName(name), "sha256": sha(content),
			"depends": depends, "imports": []string{name + "_module"},
		}
	}
	packages["elsewhere"] = map[string]any{"name": "elsewhere", "file_name": "https://example.invalid/elsewhere.whl", "sha256": sha("x")}
	lock, err := json.Marshal(map[string]any{"info": map[string]any{}, "packages": packages})
	if err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{
		LockFile:      {Data: lock},
		"pyodide.mjs": {Data: []byte("export {}")},
	}
}

// upstream serves the packages' files (tampered's changed) and counts requests by path.
type upstream struct {
	*httptest.Server
	hits sync.Map // path → *atomic.Int64
	gate chan struct{}
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := u.hits.LoadOrStore(r.URL.Path, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		if u.gate != nil {
			<-u.gate
		}
		for name, content := range contents {
			if r.URL.Path == "/full/"+fileName(name) {
				if name == "tampered" {
					content = "changed after the lock file was made"
				}
				io.WriteString(w, content)
				return
			}
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) count(name string) int64 {
	n, ok := u.hits.Load("/full/" + fileName(name))
	if !ok {
		return 0
	}
	return n.(*atomic.Int64).Load()
}

type served struct {
	status int
	body   string
}

func get(t *testing.T, h http.Handler, path string) served {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return served{rec.Code, rec.Body.String()}
}

func newMirror(t *testing.T, from, store string, log io.Writer) (*Mirror, http.Handler) {
	t.Helper()
	m, err := Open(pyodideFolder(t), Options{From: from, Store: store, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	return m, m.Handler(fileserver.New(m.FS(), fileserver.Options{Immutable: true}))
}

// storeFiles lists every file under store, temporary ones included.
func storeFiles(t *testing.T, store string) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(store, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(store, path)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	return files
}

func TestFetchedOnceThenServedFromTheStore(t *testing.T) {
	up := newUpstream(t)
	store := t.TempDir()
	_, h := newMirror(t, up.URL+"/full/", store, nil)
	for range 3 {
		if got := get(t, h, "/"+fileName("gamma")); got.status != http.StatusOK || got.body != contents["gamma"] {
			t.Fatalf("gamma: %+v", got)
		}
	}
	if n := up.count("gamma"); n != 1 {
		t.Errorf("the upstream was asked %d times for gamma, want 1", n)
	}
	if got, want := storeFiles(t, store), []string{sha(contents["gamma"]) + "/" + fileName("gamma")}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("the store holds %v, want %v", got, want)
	}
	// The folder's own files, and names the lock file does not have, are the folder's.
	if got := get(t, h, "/pyodide.mjs"); got.status != http.StatusOK || got.body != "export {}" {
		t.Errorf("pyodide.mjs: %+v", got)
	}
	if got := get(t, h, "/numpy-2.0-py3-none-any.whl"); got.status != http.StatusNotFound {
		t.Errorf("a file the lock file does not name: %+v", got)
	}
}

func TestConcurrentRequestsFetchOnce(t *testing.T) {
	up := newUpstream(t)
	up.gate = make(chan struct{})
	_, h := newMirror(t, up.URL+"/full", t.TempDir(), nil)
	var wg sync.WaitGroup
	results := make([]served, 8)
	for i := range results {
		wg.Go(func() { results[i] = get(t, h, "/"+fileName("alpha")) })
	}
	for up.count("alpha") == 0 {
		time.Sleep(time.Millisecond) // until the first has reached the upstream
	}
	time.Sleep(50 * time.Millisecond) // and the others are waiting, for it or for the upstream

	close(up.gate)
	wg.Wait()
	for i, got := range results {
		if got.status != http.StatusOK || got.body != contents["alpha"] {
			t.Errorf("request %d: %+v", i, got)
		}
	}
	if n := up.count("alpha"); n != 1 {
		t.Errorf("the upstream was asked %d times, want 1", n)
	}
}

func TestMismatchRefusedNotKept(t *testing.T) {
	up := newUpstream(t)
	store := t.TempDir()
	var log bytes.Buffer
	_, h := newMirror(t, up.URL+"/full/", store, &log)
	got := get(t, h, "/"+fileName("tampered"))
	if got.status != http.StatusBadGateway || !strings.Contains(got.body, "package tampered") || !strings.Contains(got.body, "does not match the lock file's sha256") {
		t.Errorf("tampered: %+v", got)
	}
	if !strings.Contains(log.String(), "package tampered") {
		t.Errorf("the log does not name the package: %q", log.String())
	}
	if files := storeFiles(t, store); len(files) != 0 {
		t.Errorf("the store keeps %v", files)
	}
}

func TestBrokenDownloadLeavesNothing(t *testing.T) {
	cut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		io.WriteString(w, "the first bytes only")
	}))
	t.Cleanup(cut.Close)
	store := t.TempDir()
	_, h := newMirror(t, cut.URL, store, nil)
	got := get(t, h, "/"+fileName("beta"))
	if got.status != http.StatusBadGateway || !strings.Contains(got.body, "broke off") {
		t.Errorf("a cut download: %+v", got)
	}
	if files := storeFiles(t, store); len(files) != 0 {
		t.Errorf("the store keeps %v", files)
	}
}

func TestUnreachableOrOffSaysHowToFetchAhead(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	_, h := newMirror(t, gone.URL, t.TempDir(), nil)
	got := get(t, h, "/"+fileName("alpha"))
	if got.status != http.StatusBadGateway || !strings.Contains(got.body, "package alpha has not been fetched") ||
		!strings.Contains(got.body, gone.URL+"/"+fileName("alpha")) || !strings.Contains(got.body, "pyworker fetch --packages alpha") {
		t.Errorf("unreachable: %+v", got)
	}
	_, h = newMirror(t, Off, t.TempDir(), nil)
	got = get(t, h, "/"+fileName("alpha"))
	if got.status != http.StatusNotFound || !strings.Contains(got.body, "fetching packages is off") || !strings.Contains(got.body, "pyworker fetch --packages alpha") {
		t.Errorf("off: %+v", got)
	}
}

// Fetch gets a closure ahead, from a folder upstream; the store then serves
// with fetching off.
func TestFetchAheadThenOffline(t *testing.T) {
	folder := t.TempDir()
	for _, name := range []string{"alpha", "beta"} {
		if err := os.WriteFile(filepath.Join(folder, fileName(name)), []byte(contents[name]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	store := t.TempDir()
	m, _ := newMirror(t, folder, store, nil)
	var progress bytes.Buffer
	if err := m.Fetch(context.Background(), []string{"ALPHA"}, &progress); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), "alpha 1.0") || !strings.Contains(progress.String(), "beta 1.0") {
		t.Errorf("progress: %q", progress.String())
	}
	_, offline := newMirror(t, Off, store, nil)
	for _, name := range []string{"alpha", "beta"} {
		if got := get(t, offline, "/"+fileName(name)); got.status != http.StatusOK || got.body != contents[name] {
			t.Errorf("%s offline: %+v", name, got)
		}
	}
	err := m.Fetch(context.Background(), []string{"gamma"}, nil)
	if err == nil || !strings.Contains(err.Error(), "package gamma") {
		t.Errorf("a package the folder lacks: %v", err)
	}
}

func TestClosure(t *testing.T) {
	m, _ := newMirror(t, Off, t.TempDir(), nil)
	names := func(pkgs []Package) string {
		var out []string
		for _, p := range pkgs {
			out = append(out, p.Name)
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		ask  []string
		want string
	}{
		{[]string{"alpha"}, "alpha beta"},
		{[]string{"gamma_module", "Beta"}, "beta gamma"},
		{[]string{"all"}, "alpha beta gamma tampered"}, // not "elsewhere": its file is not beside the lock file
	} {
		got, err := m.Lock().Closure(c.ask)
		if err != nil || names(got) != c.want {
			t.Errorf("Closure(%v) = %q, %v; want %q", c.ask, names(got), err, c.want)
		}
	}
	if _, err := m.Lock().Closure([]string{"alpha", "nonesuch"}); err == nil || !strings.Contains(err.Error(), "no package nonesuch") {
		t.Errorf("an unknown name: %v", err)
	}
}

func TestOpenRefusesABadUpstream(t *testing.T) {
	if _, err := Open(pyodideFolder(t), Options{From: "/surely/not/a/folder", Store: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "/surely/not/a/folder") {
		t.Errorf("a missing folder: %v", err)
	}
}
