// The tests' shared helpers: the real files, a fresh cache, a local CDN,
// and checks of what a fetch left.

package assets

import (
	"bytes"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// The tests serve the real package files from a 127.0.0.1 server. They take
// those files from a copy that is already fetched: $PYWORKER_TEST_ASSETS
// (a cache root holding pyodide-314.0.7 and micropython-1.27.0, or one
// package's asset folder), else the cache root before any test changes the
// environment. The tests themselves reach nothing beyond 127.0.0.1.
const testAssetsEnv = "PYWORKER_TEST_ASSETS"

var realRoot string // CacheRoot() as the environment gave it, captured in TestMain

func TestMain(m *testing.M) {
	realRoot, _ = CacheRoot()
	os.Exit(m.Run())
}

// sourceCopy is one package's real files, read once.
type sourceCopy struct {
	once  sync.Once
	files map[string][]byte
	err   error
}

var sources = map[*Package]*sourceCopy{Pyodide: {}, MicroPython: {}, TOML: {}, XTerm: {}}

// sourceFiles returns the real bytes of pkg's files by manifest name, or
// fails the test telling how to get them.
func sourceFiles(t *testing.T, pkg *Package) map[string][]byte {
	t.Helper()
	source := sources[pkg]
	source.once.Do(func() {
		var tried []string
		if v := os.Getenv(testAssetsEnv); v != "" {
			tried = append(tried, filepath.Join(v, pkg.folder()), v)
		} else if realRoot != "" {
			tried = append(tried, filepath.Join(realRoot, pkg.folder()))
		}
		dir := ""
		for _, d := range tried {
			if pkg.readyAt(d) {
				dir = d
				break
			}
		}
		if dir == "" {
			source.err = errors.New("no complete fetched " + pkg.label() + " assets in " + strings.Join(tried, " or ") +
				": run `go run ./cmd/pyworker fetch` first (or set " + testAssetsEnv + " to a fetched cache root)")
			return
		}
		if err := verifyDir(dir, pkg.files); err != nil {
			source.err = errors.New("the fetched assets in " + dir + " are damaged (" + err.Error() +
				"): delete that folder and run `go run ./cmd/pyworker fetch` again")
			return
		}
		source.files = make(map[string][]byte)
		for _, f := range pkg.files {
			b, err := os.ReadFile(filepath.Join(dir, f.Name))
			if err != nil {
				source.err = err
				return
			}
			source.files[f.Name] = b
		}
	})
	if source.err != nil {
		t.Fatal(source.err)
	}
	return source.files
}

// newCache points PYWORKER_CACHE at a fresh folder and returns it.
func newCache(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	t.Setenv(cacheEnv, root)
	return root
}

// cdnServer serves files by name from 127.0.0.1; special answers a name
// differently when it returns true.
type cdnServer struct {
	*httptest.Server
	hits atomic.Int64
}

func newCDN(t *testing.T, files map[string][]byte, special func(w http.ResponseWriter, r *http.Request, name string) bool) *cdnServer {
	t.Helper()
	s := &cdnServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		name := strings.TrimPrefix(r.URL.Path, "/cdn/")
		if special != nil && special(w, r, name) {
			return
		}
		b, ok := files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	}))
	t.Cleanup(s.Close)
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Fatalf("test server is not on 127.0.0.1: %s", s.URL)
	}
	return s
}

func (s *cdnServer) base() string { return s.URL + "/cdn/" }

// checkComplete asserts that pkg's Dir is complete and holds exactly the files.
func checkComplete(t *testing.T, pkg *Package, files map[string][]byte) string {
	t.Helper()
	dir, err := pkg.Dir()
	if err != nil {
		t.Fatal(err)
	}
	if !pkg.Ready() {
		t.Fatalf("Ready() = false after a successful fetch")
	}
	if err := verifyDir(dir, pkg.files); err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s differs from the served file (err %v)", name, err)
		}
	}
	var names []string // every file in the folder, by its path from it
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if len(names) != len(pkg.files)+1 {
		t.Fatalf("asset folder holds %v, want the %d manifest files and %s", names, len(pkg.files), MarkerName)
	}
	checkNoTemps(t, filepath.Dir(dir))
	return dir
}

// checkNothingComplete asserts that a failed fetch left neither a folder
// that looks complete nor its temporary folder.
func checkNothingComplete(t *testing.T, pkg *Package, root string) {
	t.Helper()
	if pkg.Ready() {
		t.Fatal("Ready() = true after a failed fetch")
	}
	if _, err := os.Lstat(filepath.Join(root, pkg.folder())); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a failed fetch left %s (stat err %v)", pkg.folder(), err)
	}
	checkNoTemps(t, root)
}

func checkNoTemps(t *testing.T, root string) {
	t.Helper()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), tmpTag) {
			t.Fatalf("temporary folder %s left behind", e.Name())
		}
	}
}
