package pyworker

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/pyworker/pyworker/internal/assets"
	"github.com/pyworker/pyworker/internal/fileserver"
	"github.com/pyworker/pyworker/internal/snapshot"
)

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

// prepareAssets is Prepare without the snapshot.
func prepareAssets(ctx context.Context, progress io.Writer) (string, error) {
	dir, err := prepare(ctx, assets.Pyodide, progress)
	if err != nil {
		return "", err
	}
	for _, pkg := range []*assets.Package{assets.MicroPython, assets.TOML, assets.XTerm} {
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
