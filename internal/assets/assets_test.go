package assets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFiles(t *testing.T) {
	files := Pyodide.Files()
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
	if Pyodide.Files()[0].Name == "changed" {
		t.Fatal("Files() returns the manifest itself, not a copy")
	}
}

func TestDir(t *testing.T) {
	t.Setenv(cacheEnv, "/some/where")
	if d, err := Pyodide.Dir(); err != nil || d != filepath.Join("/some/where", "pyodide-"+PyodideVersion) {
		t.Fatalf("Pyodide.Dir() = %q, %v", d, err)
	}
	if d, err := Dir(); err != nil || d != filepath.Join("/some/where", "pyodide-"+PyodideVersion) {
		t.Fatalf("Dir() = %q, %v", d, err)
	}
	if d, err := MicroPython.Dir(); err != nil || d != filepath.Join("/some/where", "micropython-1.27.0") {
		t.Fatalf("MicroPython.Dir() = %q, %v", d, err)
	}
	if d, err := CompressedDir(); err != nil || d != filepath.Join("/some/where", "compressed") {
		t.Fatalf("CompressedDir() = %q, %v", d, err)
	}
	t.Setenv(cacheEnv, "")
	base := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", base) // what os.UserCacheDir reads on Linux
	t.Setenv("HOME", base)           // and on macOS, below Library/Caches
	want, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if d, err := Pyodide.Dir(); err != nil || d != filepath.Join(want, "pyworker", "pyodide-"+PyodideVersion) {
		t.Fatalf("Dir() = %q, %v", d, err)
	}
}

func TestFetchCDN(t *testing.T) {
	files := sourceFiles(t, Pyodide)
	newCache(t)
	srv := newCDN(t, files, nil)
	if Pyodide.Ready() {
		t.Fatal("Ready() = true in an empty cache")
	}
	var progress bytes.Buffer
	dir, err := Pyodide.Fetch(context.Background(), FetchOptions{Progress: &progress, CDN: srv.base(), Source: SourceCDN})
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := Pyodide.Dir(); dir != want {
		t.Fatalf("Fetch returned %q, Dir() is %q", dir, want)
	}
	checkComplete(t, Pyodide, files)
	if n := srv.hits.Load(); n != int64(len(Pyodide.files)) {
		t.Fatalf("server got %d requests, want %d", n, len(Pyodide.files))
	}
	out := progress.String()
	for _, want := range []string{"fetching pyodide " + PyodideVersion, "downloading 100% (13.6 MB of 13.6 MB)", "verified 7 files of pyodide " + PyodideVersion + ", ready in " + dir} {
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
	dir2, err := Pyodide.Fetch(context.Background(), FetchOptions{Progress: &progress, CDN: srv.base(), Source: SourceCDN})
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
	files := sourceFiles(t, Pyodide)
	newCache(t)
	t.Setenv("PATH", t.TempDir()) // no npm there
	srv := newCDN(t, files, nil)
	var progress bytes.Buffer
	if _, err := Pyodide.Fetch(context.Background(), FetchOptions{Progress: &progress, CDN: srv.base()}); err != nil {
		t.Fatal(err)
	}
	checkComplete(t, Pyodide, files)
	if !strings.Contains(progress.String(), "npm not found") {
		t.Errorf("progress does not say npm is missing:\n%s", progress.String())
	}
	// Forcing npm without npm is an error, not a silent CDN fetch.
	newCache(t)
	if _, err := Pyodide.Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceNPM}); err == nil || !strings.Contains(err.Error(), "npm") {
		t.Fatalf("Fetch(SourceNPM) without npm = %v", err)
	}
}

func TestFetchRefusesBadFiles(t *testing.T) {
	files := sourceFiles(t, Pyodide)
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	want := map[string]File{}
	for _, f := range Pyodide.files {
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
			_, err := Pyodide.Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceCDN})
			if err == nil {
				t.Fatal("Fetch accepted a bad file")
			}
			msg := err.Error()
			gotHash := sum(c.body)
			if len(c.body) > int(want[c.file].Size) {
				gotHash = sum(c.body[:want[c.file].Size+1])
			}
			for _, part := range []string{"pyodide " + PyodideVersion + " assets: ", c.file, "expected sha256 " + want[c.file].SHA256, "got sha256 " + gotHash} {
				if !strings.Contains(msg, part) {
					t.Errorf("error lacks %q: %s", part, msg)
				}
			}
			if c.status == http.StatusNotFound && !strings.Contains(msg, "404") {
				t.Errorf("error does not mention the 404: %s", msg)
			}
			checkNothingComplete(t, Pyodide, root)
		})
	}
}

func TestFetchCancelled(t *testing.T) {
	files := sourceFiles(t, Pyodide)
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
	_, err := Pyodide.Fetch(ctx, FetchOptions{CDN: srv.base(), Source: SourceCDN})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Fetch after cancel = %v, want context.Canceled", err)
	}
	checkNothingComplete(t, Pyodide, root)
}

func TestFetchConcurrent(t *testing.T) {
	files := sourceFiles(t, Pyodide)
	newCache(t)
	srv := newCDN(t, files, nil)
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	dirs := make([]string, n)
	for i := range n {
		wg.Go(func() {
			dirs[i], errs[i] = Pyodide.Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceCDN})
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || dirs[i] != dirs[0] {
			t.Fatalf("fetch %d = %q, %v", i, dirs[i], errs[i])
		}
	}
	checkComplete(t, Pyodide, files)
}

func TestFetchCleansStaleTemps(t *testing.T) {
	files := sourceFiles(t, Pyodide)
	root := newCache(t)
	// Half-done folders of a killed process (a pid that cannot exist),
	// made to look complete, of either package and of an older version,
	// and one of a live fetch in this process.
	dead := tmpTag + strconv.Itoa(1<<30) + "-123"
	stale := filepath.Join(root, "."+Pyodide.folder()+dead)
	staleOthers := []string{filepath.Join(root, "."+MicroPython.folder()+dead), filepath.Join(root, ".pyodide-0.27.0"+dead)}
	live := filepath.Join(root, Pyodide.tmpPrefix()+"456")
	foreign := filepath.Join(root, ".pyscript-core-0.7.31"+dead) // not a pinned package's
	for _, d := range append([]string{stale, live, foreign}, staleOthers...) {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(d, MarkerName), []byte(Pyodide.markerText()), 0o644)
		os.WriteFile(filepath.Join(d, "pyodide.mjs"), []byte("half"), 0o644)
	}
	srv := newCDN(t, files, nil)
	if _, err := Pyodide.Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceCDN}); err != nil {
		t.Fatal(err)
	}
	for _, d := range append(staleOthers, stale) {
		if _, err := os.Stat(d); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("stale temporary folder %s kept (stat err %v)", filepath.Base(d), err)
		}
	}
	if _, err := os.Stat(live); err != nil {
		t.Fatalf("a live fetch's temporary folder was removed: %v", err)
	}
	if _, err := os.Stat(foreign); err != nil {
		t.Fatalf("another program's temporary folder was removed: %v", err)
	}
	os.RemoveAll(live)
	os.RemoveAll(foreign)
	checkComplete(t, Pyodide, files)
}

func TestFetchReplacesIncompleteDir(t *testing.T) {
	files := sourceFiles(t, Pyodide)
	root := newCache(t)
	dir := filepath.Join(root, Pyodide.folder())
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "pyodide.mjs"), []byte("half"), 0o644)
	srv := newCDN(t, files, nil)
	if _, err := Pyodide.Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceCDN}); err != nil {
		t.Fatal(err)
	}
	checkComplete(t, Pyodide, files)
}

func TestReadyChecksMarkerAndSizes(t *testing.T) {
	files := sourceFiles(t, Pyodide)
	newCache(t)
	srv := newCDN(t, files, nil)
	dir, err := Pyodide.Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceCDN})
	if err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(dir, MarkerName)
	os.WriteFile(marker, []byte("pyodide 0.0.1\n"), 0o644)
	if Pyodide.Ready() {
		t.Fatal("Ready() = true with a marker from another manifest")
	}
	os.WriteFile(marker, []byte(Pyodide.markerText()), 0o644)
	if !Pyodide.Ready() {
		t.Fatal("Ready() = false with the right marker")
	}
	os.Truncate(filepath.Join(dir, "python_stdlib.zip"), 10)
	if Pyodide.Ready() {
		t.Fatal("Ready() = true with a truncated file")
	}
}
