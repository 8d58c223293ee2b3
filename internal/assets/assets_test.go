package assets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The tests serve the real Pyodide files from a 127.0.0.1 server. They take
// those files from a copy that is already fetched: $PYWORKER_TEST_ASSETS
// (an asset folder, or a cache root holding pyodide-314.0.7), else the
// cache Dir names before any test changes the environment. The tests
// themselves reach nothing beyond 127.0.0.1.
const testAssetsEnv = "PYWORKER_TEST_ASSETS"

var realDir string // Dir() as the environment gave it, captured in TestMain

func TestMain(m *testing.M) {
	realDir, _ = Dir()
	os.Exit(m.Run())
}

var source struct {
	once  sync.Once
	dir   string
	files map[string][]byte
	err   error
}

// sourceFiles returns the real asset bytes by manifest name, or fails the
// test telling how to get them.
func sourceFiles(t *testing.T) map[string][]byte {
	t.Helper()
	source.once.Do(func() {
		var tried []string
		if v := os.Getenv(testAssetsEnv); v != "" {
			tried = append(tried, filepath.Join(v, folderName), v)
		} else if realDir != "" {
			tried = append(tried, realDir)
		}
		for _, d := range tried {
			if readyAt(d) {
				source.dir = d
				break
			}
		}
		if source.dir == "" {
			source.err = errors.New("no complete fetched Pyodide " + PyodideVersion + " assets in " + strings.Join(tried, " or ") +
				": run `go run ./cmd/pyworker fetch` first (or set " + testAssetsEnv + " to a fetched asset folder)")
			return
		}
		if err := verifyDir(source.dir, manifest); err != nil {
			source.err = errors.New("the fetched assets in " + source.dir + " are damaged (" + err.Error() +
				"): delete that folder and run `go run ./cmd/pyworker fetch` again")
			return
		}
		source.files = make(map[string][]byte)
		for _, f := range manifest {
			b, err := os.ReadFile(filepath.Join(source.dir, f.Name))
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
		name := strings.TrimPrefix(r.URL.Path, "/pyodide/")
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

func (s *cdnServer) base() string { return s.URL + "/pyodide/" }

// checkComplete asserts that Dir is complete and holds exactly the files.
func checkComplete(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	if !Ready() {
		t.Fatalf("Ready() = false after a successful fetch")
	}
	if err := verifyDir(dir, manifest); err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s differs from the served file (err %v)", name, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(manifest)+1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("asset folder holds %v, want the %d manifest files and %s", names, len(manifest), markerName)
	}
	checkNoTemps(t, filepath.Dir(dir))
	return dir
}

// checkNothingComplete asserts that a failed fetch left neither a folder
// that looks complete nor its temporary folder.
func checkNothingComplete(t *testing.T, root string) {
	t.Helper()
	if Ready() {
		t.Fatal("Ready() = true after a failed fetch")
	}
	if _, err := os.Lstat(filepath.Join(root, folderName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a failed fetch left %s (stat err %v)", folderName, err)
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

func TestFiles(t *testing.T) {
	files := Files()
	if len(files) != 7 {
		t.Fatalf("manifest has %d files, want 7", len(files))
	}
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.Name] || f.Size <= 0 || len(f.SHA256) != 64 || strings.ContainsAny(f.Name, `/\`) {
			t.Fatalf("bad manifest entry %+v", f)
		}
		seen[f.Name] = true
		if strings.HasSuffix(f.Name, ".map") || strings.HasPrefix(f.Name, "console") {
			t.Fatalf("manifest holds %s, which is not needed at run time", f.Name)
		}
	}
	for _, need := range []string{"pyodide.mjs", "pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"} {
		if !seen[need] {
			t.Fatalf("manifest lacks %s", need)
		}
	}
	files[0].Name = "changed"
	if Files()[0].Name == "changed" {
		t.Fatal("Files() returns the manifest itself, not a copy")
	}
}

func TestDir(t *testing.T) {
	t.Setenv(cacheEnv, "/some/where")
	if d, err := Dir(); err != nil || d != filepath.Join("/some/where", "pyodide-"+PyodideVersion) {
		t.Fatalf("Dir() = %q, %v", d, err)
	}
	t.Setenv(cacheEnv, "")
	base := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", base) // what os.UserCacheDir reads on Linux
	t.Setenv("HOME", base)           // and on macOS, below Library/Caches
	want, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if d, err := Dir(); err != nil || d != filepath.Join(want, "pyworker", "pyodide-"+PyodideVersion) {
		t.Fatalf("Dir() = %q, %v", d, err)
	}
}

func TestFetchCDN(t *testing.T) {
	files := sourceFiles(t)
	newCache(t)
	srv := newCDN(t, files, nil)
	if Ready() {
		t.Fatal("Ready() = true in an empty cache")
	}
	var progress bytes.Buffer
	dir, err := Fetch(context.Background(), FetchOptions{Progress: &progress, CDN: srv.base(), Source: SourceCDN})
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := Dir(); dir != want {
		t.Fatalf("Fetch returned %q, Dir() is %q", dir, want)
	}
	checkComplete(t, files)
	if n := srv.hits.Load(); n != int64(len(manifest)) {
		t.Fatalf("server got %d requests, want %d", n, len(manifest))
	}
	out := progress.String()
	for _, want := range []string{"fetching pyodide " + PyodideVersion, "downloading 100% (13.6 MB of 13.6 MB)", "verified 7 files, ready in " + dir} {
		if !strings.Contains(out, want) {
			t.Errorf("progress lacks %q:\n%s", want, out)
		}
	}
	if lines := strings.Count(out, "\n"); lines > 15 {
		t.Errorf("progress is too chatty (%d lines):\n%s", lines, out)
	}

	// Already complete: a second Fetch returns at once, without network.
	srv.Close()
	progress.Reset()
	start := time.Now()
	dir2, err := Fetch(context.Background(), FetchOptions{Progress: &progress, CDN: srv.base(), Source: SourceCDN})
	if err != nil || dir2 != dir {
		t.Fatalf("second Fetch = %q, %v", dir2, err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("second Fetch took %v", d)
	}
	if progress.Len() != 0 {
		t.Fatalf("second Fetch printed %q", progress.String())
	}
}

func TestFetchAutoWithoutNPM(t *testing.T) {
	files := sourceFiles(t)
	newCache(t)
	t.Setenv("PATH", t.TempDir()) // no npm there
	srv := newCDN(t, files, nil)
	var progress bytes.Buffer
	if _, err := Fetch(context.Background(), FetchOptions{Progress: &progress, CDN: srv.base()}); err != nil {
		t.Fatal(err)
	}
	checkComplete(t, files)
	if !strings.Contains(progress.String(), "npm not found") {
		t.Errorf("progress does not say npm is missing:\n%s", progress.String())
	}
	// Forcing npm without npm is an error, not a silent CDN fetch.
	newCache(t)
	if _, err := Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceNPM}); err == nil || !strings.Contains(err.Error(), "npm") {
		t.Fatalf("Fetch(SourceNPM) without npm = %v", err)
	}
}

func TestFetchRefusesBadFiles(t *testing.T) {
	files := sourceFiles(t)
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	want := map[string]File{}
	for _, f := range manifest {
		want[f.Name] = f
	}

	tampered := bytes.Clone(files["pyodide-lock.json"])
	tampered[len(tampered)/2] ^= 0x20
	page := []byte("<html><body>404 — this page does not exist</body></html>")
	longer := append(bytes.Clone(files["pyodide.mjs"]), "//extra"...)

	cases := []struct {
		name, file string
		body       []byte // what the server sends for file
		status     int
	}{
		{"tampered bytes", "pyodide-lock.json", tampered, http.StatusOK},
		{"404", "python_stdlib.zip", page, http.StatusNotFound},
		{"404 page with status 200", "pyodide.asm.wasm", page, http.StatusOK},
		{"too long", "pyodide.mjs", longer, http.StatusOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := newCache(t)
			srv := newCDN(t, files, func(w http.ResponseWriter, r *http.Request, name string) bool {
				if name != c.file {
					return false
				}
				w.WriteHeader(c.status)
				w.Write(c.body)
				return true
			})
			_, err := Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceCDN})
			if err == nil {
				t.Fatal("Fetch accepted a bad file")
			}
			msg := err.Error()
			gotHash := sum(c.body)
			if len(c.body) > int(want[c.file].Size) {
				gotHash = sum(c.body[:want[c.file].Size+1])
			}
			for _, part := range []string{c.file, "expected sha256 " + want[c.file].SHA256, "got sha256 " + gotHash} {
				if !strings.Contains(msg, part) {
					t.Errorf("error lacks %q: %s", part, msg)
				}
			}
			if c.status == http.StatusNotFound && !strings.Contains(msg, "404") {
				t.Errorf("error does not mention the 404: %s", msg)
			}
			checkNothingComplete(t, root)
		})
	}
}

func TestFetchCancelled(t *testing.T) {
	files := sourceFiles(t)
	root := newCache(t)
	started := make(chan struct{})
	var once sync.Once
	srv := newCDN(t, files, func(w http.ResponseWriter, r *http.Request, name string) bool {
		if name != "pyodide.asm.wasm" {
			return false
		}
		b := files[name]
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b[:1<<20])
		w.(http.Flusher).Flush()
		once.Do(func() { close(started) })
		<-r.Context().Done() // stall until the client gives up
		return true
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-started
		cancel()
	}()
	_, err := Fetch(ctx, FetchOptions{CDN: srv.base(), Source: SourceCDN})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Fetch after cancel = %v, want context.Canceled", err)
	}
	checkNothingComplete(t, root)
}

func TestFetchConcurrent(t *testing.T) {
	files := sourceFiles(t)
	newCache(t)
	srv := newCDN(t, files, nil)
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	dirs := make([]string, n)
	for i := range n {
		wg.Go(func() {
			dirs[i], errs[i] = Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceCDN})
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || dirs[i] != dirs[0] {
			t.Fatalf("fetch %d = %q, %v", i, dirs[i], errs[i])
		}
	}
	checkComplete(t, files)
}

func TestFetchCleansStaleTemps(t *testing.T) {
	files := sourceFiles(t)
	root := newCache(t)
	// A half-done folder of a killed process (a pid that cannot exist),
	// made to look complete, and one of a live fetch in this process.
	stale := filepath.Join(root, "."+folderName+tmpTag+strconv.Itoa(1<<30)+"-123")
	live := filepath.Join(root, tmpPrefix()+"456")
	for _, d := range []string{stale, live} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(d, markerName), []byte(markerText), 0o644)
		os.WriteFile(filepath.Join(d, "pyodide.mjs"), []byte("half"), 0o644)
	}
	srv := newCDN(t, files, nil)
	if _, err := Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceCDN}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("stale temporary folder kept (stat err %v)", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Fatalf("a live fetch's temporary folder was removed: %v", err)
	}
	os.RemoveAll(live)
	checkComplete(t, files)
}

func TestFetchReplacesIncompleteDir(t *testing.T) {
	files := sourceFiles(t)
	root := newCache(t)
	dir := filepath.Join(root, folderName)
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "pyodide.mjs"), []byte("half"), 0o644)
	srv := newCDN(t, files, nil)
	if _, err := Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceCDN}); err != nil {
		t.Fatal(err)
	}
	checkComplete(t, files)
}

func TestReadyChecksMarkerAndSizes(t *testing.T) {
	files := sourceFiles(t)
	newCache(t)
	srv := newCDN(t, files, nil)
	dir, err := Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceCDN})
	if err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(dir, markerName)
	os.WriteFile(marker, []byte("pyodide 0.0.1\n"), 0o644)
	if Ready() {
		t.Fatal("Ready() = true with a marker from another manifest")
	}
	os.WriteFile(marker, []byte(markerText), 0o644)
	if !Ready() {
		t.Fatal("Ready() = false with the right marker")
	}
	os.Truncate(filepath.Join(dir, "python_stdlib.zip"), 10)
	if Ready() {
		t.Fatal("Ready() = true with a truncated file")
	}
}
