// Package assets provides the pinned Pyodide interpreter assets (the npm
// package pyodide@314.0.7), fetched once into a per-user cache folder and
// verified against a manifest embedded in the binary.
//
// Fetch gets the files with `npm pack` when npm is on PATH (the user's npm
// configuration decides the registry) and checks the tarball against the
// pinned sha512 integrity; otherwise it downloads each file from a Pyodide
// CDN folder. Either way every file is checked against the embedded
// manifest (size and SHA-256) before the folder is published: the files go
// into a temporary folder next to the final one, a completeness marker is
// written last, and the folder is renamed into place. Ready only looks for
// that marker, so it is cheap.
package assets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// PyodideVersion is the pinned version of the npm package pyodide.
const PyodideVersion = "314.0.7"

// CDNURL is the Pyodide CDN folder for the pinned version: the default base
// for the per-file CDN fallback, and the folder pages may point at instead
// of a local copy.
const CDNURL = "https://cdn.jsdelivr.net/pyodide/v" + PyodideVersion + "/full/"

// File is one manifest entry: a file name inside the asset folder, its size
// in bytes and its SHA-256 (lower-case hex).
type File struct {
	Name   string
	Size   int64
	SHA256 string
}

// Files returns the embedded manifest of the pinned package: the files that
// Dir holds once fetched.
func Files() []File {
	return append([]File(nil), manifest...)
}

const (
	// cacheEnv overrides the cache root.
	cacheEnv = "PYWORKER_CACHE"
	// folderName is the asset folder inside the cache root.
	folderName = "pyodide-" + PyodideVersion
	// markerName is the completeness marker, written after every file has
	// been verified and before the folder is renamed into place.
	markerName = ".complete"
	// tmpTag marks temporary folders in the cache root:
	// ".pyodide-<version>.tmp-<pid>-<random>". The pid lets a later run
	// tell a folder left by a killed process from one in use.
	tmpTag = ".tmp-"
	// staleAge is how old a temporary folder must be to be removed even
	// when its owner's pid looks alive (pids are reused).
	staleAge = 24 * time.Hour
)

// Dir returns the folder where the assets live once fetched:
// $PYWORKER_CACHE if set, else os.UserCacheDir()/pyworker, followed by
// /pyodide-314.0.7. It does not create anything.
func Dir() (string, error) {
	root := os.Getenv(cacheEnv)
	if root == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("pyodide assets: no cache folder (set %s): %w", cacheEnv, err)
		}
		root = filepath.Join(base, "pyworker")
	}
	return filepath.Join(root, folderName), nil
}

// CompressedDir is where the compressed variants of the assets are kept,
// beside Dir (see fileserver.Options.CacheDir).
func CompressedDir() (string, error) {
	dir, err := Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(dir), "compressed"), nil
}

// Ready reports whether Dir holds a complete, verified copy. It checks the
// completeness marker and the size of each file, not their hashes.
func Ready() bool {
	dir, err := Dir()
	if err != nil {
		return false
	}
	return readyAt(dir)
}

// markerText is the content of the completeness marker. It names the
// version and a digest of the manifest, so a folder filled under a
// different manifest is not taken as complete.
var markerText = func() string {
	h := sha256.New()
	for _, f := range manifest {
		fmt.Fprintf(h, "%s %d %s\n", f.Name, f.Size, f.SHA256)
	}
	return "pyodide " + PyodideVersion + "\nmanifest sha256:" + hex.EncodeToString(h.Sum(nil)) + "\n"
}()

func readyAt(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, markerName))
	if err != nil || string(b) != markerText {
		return false
	}
	for _, f := range manifest {
		fi, err := os.Stat(filepath.Join(dir, f.Name))
		if err != nil || !fi.Mode().IsRegular() || fi.Size() != f.Size {
			return false
		}
	}
	return true
}

// Source chooses how Fetch gets the files.
type Source int

const (
	// SourceAuto uses npm when it is on PATH and falls back to the CDN
	// when npm is missing or fails.
	SourceAuto Source = iota
	// SourceNPM uses npm only.
	SourceNPM
	// SourceCDN downloads each file from the CDN only.
	SourceCDN
)

func (s Source) String() string {
	switch s {
	case SourceAuto:
		return "auto"
	case SourceNPM:
		return "npm"
	case SourceCDN:
		return "cdn"
	}
	return "Source(" + strconv.Itoa(int(s)) + ")"
}

// FetchOptions tunes Fetch. The zero value is the normal setting.
type FetchOptions struct {
	// Progress receives short human-readable progress lines; nil is silent.
	Progress io.Writer
	// CDN is the base URL for the per-file CDN path; "" means CDNURL.
	CDN string
	// Source chooses npm or the CDN; the zero value is SourceAuto.
	Source Source
}

// Fetch makes the pinned copy available in Dir and returns Dir. When the
// copy is already complete it returns at once without touching the
// network. A failed or cancelled fetch leaves no folder that looks
// complete and removes its temporary folder.
func Fetch(ctx context.Context, opts FetchOptions) (string, error) {
	dir, err := Dir()
	if err != nil {
		return "", err
	}
	if readyAt(dir) {
		return dir, nil
	}
	p := &printer{w: opts.Progress}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("pyodide assets: %w", err)
	}
	removeStaleTemps(parent)

	tmp, err := os.MkdirTemp(parent, tmpPrefix())
	if err != nil {
		return "", fmt.Errorf("pyodide assets: %w", err)
	}
	// Removing tmp is a no-op once it has been renamed into place.
	defer os.RemoveAll(tmp)
	// MkdirTemp makes the folder 0700; the published folder is a normal one.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", fmt.Errorf("pyodide assets: %w", err)
	}

	if err := fill(ctx, tmp, opts, p); err != nil {
		return "", err
	}
	if err := verifyDir(tmp, manifest); err != nil {
		return "", err
	}
	if err := writeSynced(filepath.Join(tmp, markerName), []byte(markerText)); err != nil {
		return "", fmt.Errorf("pyodide assets: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := install(tmp, dir); err != nil {
		return "", err
	}
	p.printf("verified %d files, ready in %s", len(manifest), dir)
	return dir, nil
}

// fill puts the manifest files into the empty folder tmp.
func fill(ctx context.Context, tmp string, opts FetchOptions, p *printer) error {
	cdn := opts.CDN
	if cdn == "" {
		cdn = CDNURL
	}
	switch opts.Source {
	case SourceCDN:
		return fetchCDN(ctx, tmp, cdn, manifest, p)
	case SourceNPM:
		npm, err := exec.LookPath("npm")
		if err != nil {
			return fmt.Errorf("pyodide assets: npm not found on PATH: %w", err)
		}
		return fetchNPM(ctx, npm, tmp, p)
	case SourceAuto:
		npm, err := exec.LookPath("npm")
		if err != nil {
			p.printf("npm not found on PATH, using the CDN")
			return fetchCDN(ctx, tmp, cdn, manifest, p)
		}
		npmErr := fetchNPM(ctx, npm, tmp, p)
		if npmErr == nil || ctx.Err() != nil {
			return npmErr
		}
		p.printf("npm failed (%v), falling back to the CDN", npmErr)
		if err := emptyDir(tmp); err != nil {
			return fmt.Errorf("pyodide assets: %w", err)
		}
		if err := fetchCDN(ctx, tmp, cdn, manifest, p); err != nil {
			return fmt.Errorf("%w (after npm failed: %v)", err, npmErr)
		}
		return nil
	}
	return fmt.Errorf("pyodide assets: unknown source %v", opts.Source)
}

// verifyDir checks that dir holds each manifest file with the right size
// and SHA-256, reading them back from disk.
func verifyDir(dir string, files []File) error {
	for _, f := range files {
		fh, err := os.Open(filepath.Join(dir, f.Name))
		if err != nil {
			return fmt.Errorf("pyodide assets: %w", err)
		}
		h := sha256.New()
		n, err := io.Copy(h, fh)
		fh.Close()
		if err != nil {
			return fmt.Errorf("pyodide assets: reading %s: %w", f.Name, err)
		}
		if err := checkFile(f, n, h.Sum(nil)); err != nil {
			return err
		}
	}
	return nil
}

// checkFile compares what was received for f with the manifest.
// writeFile writes manifest file f into dir from r, checking its size and
// sha256 as it goes; at most one byte past the expected size is read.
func writeFile(ctx context.Context, dir string, f File, r io.Reader, m *meter) error {
	name := filepath.Join(dir, filepath.FromSlash(f.Name))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("pyodide assets: %w", err)
	}
	out, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("pyodide assets: %w", err)
	}
	defer out.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h, meterWriter{ctx, m}), io.LimitReader(r, f.Size+1))
	if err != nil {
		return fmt.Errorf("pyodide asset %s: %w", f.Name, err)
	}
	if err := checkFile(f, n, h.Sum(nil)); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return fmt.Errorf("pyodide assets: %w", err)
	}
	return out.Close()
}

func checkFile(f File, size int64, sum []byte) error {
	got := hex.EncodeToString(sum)
	if size != f.Size || got != f.SHA256 {
		return fmt.Errorf("pyodide asset %s does not match the pinned manifest: expected sha256 %s (%d bytes), got sha256 %s (%d bytes)",
			f.Name, f.SHA256, f.Size, got, size)
	}
	return nil
}

// install renames the complete folder tmp to dir. If another fetch got
// there first with a complete copy, tmp is left for the caller to discard.
