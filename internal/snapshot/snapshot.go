// Package snapshot makes and keeps the Pyodide memory snapshot pyworker's
// workers start from (see runtime/src/worker/snapshot.ts): the heap of a Pyodide
// that has started and imported pyworker's Python module, made by a real
// worker in a headless Chromium and kept in the asset cache, one per Pyodide
// build and version of the runtime.
//
// It is made ahead of time (`pyworker fetch`, or a server's first start)
// because only then can a first visit use it: a page that made its own would
// pay a plain start first.
package snapshot

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/pyworker/pyworker/internal/browser"
	"github.com/pyworker/pyworker/runtime"
)

// Snapshot is a snapshot kept in the cache.
type Snapshot struct {
	// Path is its file, named by its SHA-256.
	Path    string
	SHA256  string
	BuildID string
}

// FileName is the name it is served by: content-addressed, so that it can be cached for good.
func (s Snapshot) FileName() string { return s.SHA256 + ".snapshot" }

// BuildID reads Pyodide's build id from its pyodide.mjs, in pyodideDir.
func BuildID(pyodideDir string) (string, error) {
	mjs, err := os.ReadFile(filepath.Join(pyodideDir, "pyodide.mjs"))
	if err != nil {
		return "", err
	}
	m := buildIDPattern.FindSubmatch(mjs)
	if m == nil {
		return "", fmt.Errorf("no BUILD_ID in %s: not a Pyodide pyworker knows", filepath.Join(pyodideDir, "pyodide.mjs"))
	}
	return string(m[1]), nil
}

var buildIDPattern = regexp.MustCompile(`BUILD_ID:"([0-9a-f]{64})"`)

// folder is where the snapshot for a build and this runtime is kept, under cacheDir.
func folder(cacheDir, buildID string) string {
	key := sha256.Sum256([]byte(buildID + "\x00" + runtime.SourceHash()))
	return filepath.Join(cacheDir, "snapshots", hex.EncodeToString(key[:8]))
}

// Find returns the kept snapshot for Pyodide build buildID and this
// runtime, or false when there is none.
func Find(cacheDir, buildID string) (Snapshot, bool) {
	dir := folder(cacheDir, buildID)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Snapshot{}, false
	}
	for _, e := range entries {
		sum, ok := strings.CutSuffix(e.Name(), ".snapshot")
		if !ok || len(sum) != 64 {
			continue
		}
		now := time.Now()
		os.Chtimes(dir, now, now) // used now: Prune keeps it
		return Snapshot{Path: filepath.Join(dir, e.Name()), SHA256: sum, BuildID: buildID}, true
	}
	return Snapshot{}, false
}

// Open checks the snapshot file at path, made for Pyodide build buildID.
func Open(path, buildID string) (Snapshot, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Snapshot{}, err
	}
	if err := Check(data, buildID); err != nil {
		return Snapshot{}, err
	}
	sum := sha256.Sum256(data)
	return Snapshot{Path: path, SHA256: hex.EncodeToString(sum[:]), BuildID: buildID}, nil
}

// Ensure returns the kept snapshot, making it first if there is none:
// handler then gives what serves the runtime and Pyodide at /pyworker/
// (without a snapshot) to a headless Chromium. Progress lines go to
// progress, if not nil.
func Ensure(ctx context.Context, cacheDir, pyodideDir string, handler func() (http.Handler, error), progress io.Writer) (Snapshot, error) {
	buildID, err := BuildID(pyodideDir)
	if err != nil {
		return Snapshot{}, err
	}
	if s, ok := Find(cacheDir, buildID); ok {
		return s, nil
	}
	if progress != nil {
		fmt.Fprintln(progress, "making the Pyodide memory snapshot pages start from (headless Chromium)")
	}
	h, err := handler()
	if err != nil {
		return Snapshot{}, err
	}
	data, err := Make(ctx, h)
	if err != nil {
		return Snapshot{}, err
	}
	if err := Check(data, buildID); err != nil {
		return Snapshot{}, fmt.Errorf("the snapshot made: %w", err)
	}
	return keep(folder(cacheDir, buildID), buildID, data)
}

// Prune removes the snapshots in cacheDir kept for other builds or
// runtimes that have not been made or found (Find) for maxAge (another pyworker on
// the machine may still want a newer one), with their compressed variants
// in compressedDir (named by the first 32 hex digits of their SHA-256).
func Prune(cacheDir, compressedDir, buildID string, maxAge time.Duration) error {
	root := filepath.Join(cacheDir, "snapshots")
	entries, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	current := filepath.Base(folder(cacheDir, buildID))
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || e.Name() == current || time.Since(info.ModTime()) < maxAge {
			continue
		}
		dir := filepath.Join(root, e.Name())
		files, _ := os.ReadDir(dir)
		for _, f := range files {
			if sum, ok := strings.CutSuffix(f.Name(), ".snapshot"); ok && len(sum) == 64 {
				variants, _ := filepath.Glob(filepath.Join(compressedDir, sum[:32]+".*"))
				for _, v := range variants {
					os.Remove(v)
				}
			}
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	return nil
}

// Check says why data is not a snapshot made by Pyodide build buildID, or nil.
func Check(data []byte, buildID string) error {
	const magic, header = 0x706e7300, 48
	if len(data) < header || binary.LittleEndian.Uint32(data) != magic {
		return errors.New("it does not start as a Pyodide snapshot does")
	}
	var id []byte
	for i := 16; i < 48; i += 4 {
		id = binary.BigEndian.AppendUint32(id, binary.LittleEndian.Uint32(data[i:]))
	}
	if got := hex.EncodeToString(id); got != buildID {
		return fmt.Errorf("it was made by Pyodide build %s, not %s", got, buildID)
	}
	return nil
}

// keep writes data into dir under its content's name, whole or not at all.
func keep(dir, buildID string, data []byte) (Snapshot, error) {
	sum := sha256.Sum256(data)
	s := Snapshot{SHA256: hex.EncodeToString(sum[:]), BuildID: buildID}
	s.Path = filepath.Join(dir, s.FileName())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Snapshot{}, err
	}
	tmp, err := os.CreateTemp(dir, "*.tmp")
	if err != nil {
		return Snapshot{}, err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.Path)
	}
	if err != nil {
		return Snapshot{}, fmt.Errorf("keeping the snapshot: %w", err)
	}
	return s, nil
}

//go:embed make.html
var makePage []byte

// Make has a pyworker worker make a snapshot in a headless Chromium, on a
// private server (127.0.0.1) of h, and returns it.
func Make(ctx context.Context, h http.Handler) ([]byte, error) {
	engine, err := browser.Lookup("chromium")
	if err != nil {
		return nil, err
	}
	if err := engine.Installed(); err != nil {
		return nil, fmt.Errorf("making a snapshot needs a headless Chromium: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	made := make(chan []byte, 1)
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("GET /make-snapshot", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(makePage)
	})
	mux.HandleFunc("POST /snapshot", func(w http.ResponseWriter, r *http.Request) {
		data, err := io.ReadAll(io.LimitReader(r.Body, 1<<30))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		select {
		case made <- data:
		default:
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	server := &http.Server{Handler: mux}
	go server.Serve(ln)
	defer server.Close()

	b, err := engine.Start(ctx)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	tab, err := b.NewTab(ctx)
	if err != nil {
		return nil, err
	}
	if err := tab.Navigate(ctx, "http://"+ln.Addr().String()+"/make-snapshot"); err != nil {
		return nil, err
	}
	var size int
	if err := tab.Evaluate(ctx, "window.made", &size); err != nil {
		return nil, fmt.Errorf("making a snapshot in Chromium: %w", err)
	}
	select {
	case data := <-made:
		if len(data) != size {
			return nil, fmt.Errorf("making a snapshot: %d bytes of %d arrived", len(data), size)
		}
		return data, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
