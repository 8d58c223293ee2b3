// Package assets provides the pinned npm packages pyworker serves:
// pyodide@314.0.7 (Pyodide), @micropython/micropython-webassembly-pyscript@1.27.0
// (MicroPython), smol-toml@1.9.1 (the TOML parser of PyScript configs) and
// @xterm/xterm@6.0.0 (the terminal of PyScript's `terminal` attribute),
// each fetched once into its own per-user cache folder and verified against
// a manifest embedded in the binary.
//
// A Package's Fetch gets its files with `npm pack` when npm is on PATH (the
// user's npm configuration decides the registry) and checks the tarball
// against the pinned sha512 integrity; otherwise it downloads each file
// from the package's CDN folder. Either way every file is checked against
// the embedded manifest (size and SHA-256) before the folder is published:
// the files go into a temporary folder next to the final one, a
// completeness marker is written last, and the folder is renamed into
// place. Ready only looks for that marker, so it is cheap.
package assets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Package is one pinned npm package: Pyodide, MicroPython, smol-toml or xterm.js.
type Package struct {
	Name    string // the npm package name
	Version string // the pinned version
	// Stem starts the cache folder's name, <Stem>-<Version>, and names the
	// package in progress lines and errors.
	Stem string

	integrity string // the npm tarball's, "sha512-<base64>"
	cdn       string // the default CDN folder of the per-file path
	files     []File // the manifest: the files kept, sorted by name
}

// File is one manifest entry: a file name inside the asset folder, its size
// in bytes and its SHA-256 (lower-case hex).
type File struct {
	Name   string
	Size   int64
	SHA256 string
}

// Files returns the embedded manifest of the package: the files that Dir
// holds once fetched.
func (pkg *Package) Files() []File {
	return append([]File(nil), pkg.files...)
}

// label names the package and version in messages: "pyodide 314.0.7".
func (pkg *Package) label() string { return pkg.Stem + " " + pkg.Version }

// folder is the name of the package's folder in the cache root.
func (pkg *Package) folder() string { return pkg.Stem + "-" + pkg.Version }

const (
	// cacheEnv overrides the cache root.
	cacheEnv = "PYWORKER_CACHE"
	// MarkerName is the completeness marker (in each package's folder), written after every file has
	// been verified and before the folder is renamed into place.
	MarkerName = ".complete"
	// tmpTag marks temporary folders in the cache root:
	// ".<stem>-<version>.tmp-<pid>-<random>". The pid lets a later run
	// tell a folder left by a killed process from one in use.
	tmpTag = ".tmp-"
	// staleAge is how old a temporary folder must be to be removed even
	// when its owner's pid looks alive (pids are reused).
	staleAge = 24 * time.Hour
)

// CacheRoot is $PYWORKER_CACHE if set, else os.UserCacheDir()/pyworker.
func CacheRoot() (string, error) {
	if root := os.Getenv(cacheEnv); root != "" {
		return root, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder (set %s): %w", cacheEnv, err)
	}
	return filepath.Join(base, "pyworker"), nil
}

// Dir returns the folder where the package lives once fetched:
// $PYWORKER_CACHE if set, else os.UserCacheDir()/pyworker, followed by
// /<Stem>-<Version> (pyodide-314.0.7, micropython-1.27.0). It does not
// create anything.
func (pkg *Package) Dir() (string, error) {
	root, err := CacheRoot()
	if err != nil {
		return "", fmt.Errorf("%s assets: %w", pkg.label(), err)
	}
	return filepath.Join(root, pkg.folder()), nil
}

// Dir is Pyodide.Dir: the interpreter's folder, whose parent is the cache
// root (the end-to-end tests and the benchmark read it).
func Dir() (string, error) { return Pyodide.Dir() }

// CompressedDir is where the compressed variants of both packages' files
// are kept, beside their folders (see fileserver.Options.CacheDir). The
// packages share it safely: a variant is named by the SHA-256 of the
// content it compresses, so two files share one only when their bytes are
// the same.
func CompressedDir() (string, error) {
	root, err := CacheRoot()
	if err != nil {
		return "", fmt.Errorf("compressed assets: %w", err)
	}
	return filepath.Join(root, "compressed"), nil
}

// Ready reports whether Dir holds a complete, verified copy. It checks the
// completeness marker and the size of each file, not their hashes.
func (pkg *Package) Ready() bool {
	dir, err := pkg.Dir()
	if err != nil {
		return false
	}
	return pkg.readyAt(dir)
}

// markerText is the content of the completeness marker. It names the
// package, its version and a digest of the manifest, so a folder filled
// under a different manifest is not taken as complete.
func (pkg *Package) markerText() string {
	h := sha256.New()
	for _, f := range pkg.files {
		fmt.Fprintf(h, "%s %d %s\n", f.Name, f.Size, f.SHA256)
	}
	return pkg.Name + " " + pkg.Version + "\nmanifest sha256:" + hex.EncodeToString(h.Sum(nil)) + "\n"
}

func (pkg *Package) readyAt(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, MarkerName))
	if err != nil || string(b) != pkg.markerText() {
		return false
	}
	for _, f := range pkg.files {
		fi, err := os.Stat(filepath.Join(dir, f.Name))
		if err != nil || !fi.Mode().IsRegular() || fi.Size() != f.Size {
			return false
		}
	}
	return true
}
