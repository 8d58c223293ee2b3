// Putting a fetched copy in place: complete or not at all, and what an
// interrupted fetch left behind cleaned up.

package assets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// install renames the complete folder tmp to dir. If another fetch got
// there first with a complete copy, tmp is left for the caller to discard.
// An incomplete folder at dir (none of ours: ours are complete before the
// rename) is moved aside and removed.
func (pkg *Package) install(tmp, dir string) error {
	var err error
	for range 3 {
		if err = os.Rename(tmp, dir); err == nil {
			syncDir(filepath.Dir(dir))
			return nil
		}
		if pkg.readyAt(dir) {
			return nil // the other fetch won; its copy is as good as ours
		}
		if _, serr := os.Lstat(dir); errors.Is(serr, fs.ErrNotExist) {
			continue // dir vanished meanwhile (moved aside by another fetch); retry
		}
		trash := tmp + "-old" // unique: tmp's name is
		if rerr := os.Rename(dir, trash); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			return fmt.Errorf("moving aside the incomplete %s: %w", dir, rerr)
		}
		defer os.RemoveAll(trash)
	}
	return fmt.Errorf("installing into %s: %w", dir, err)
}

// tmpPrefix starts the name of a temporary folder owned by this process.
func (pkg *Package) tmpPrefix() string {
	return "." + pkg.folder() + tmpTag + strconv.Itoa(os.Getpid()) + "-"
}

// removeStaleTemps removes temporary folders in parent left by processes
// that no longer run (or older than staleAge), whichever pinned package
// (and version) they were for. Folders of live fetches, including other
// fetches in this process, are left alone.
func removeStaleTemps(parent string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		i := strings.Index(name, tmpTag)
		if i < 0 || !slices.ContainsFunc(packages, func(pkg *Package) bool {
			return strings.HasPrefix(name, "."+pkg.Stem+"-")
		}) {
			continue
		}
		rest := name[i+len(tmpTag):]
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		stale := !ok || err != nil || pid <= 0 || !processAlive(pid)
		if !stale {
			if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleAge {
				stale = true
			}
		}
		if stale {
			os.RemoveAll(filepath.Join(parent, name))
		}
	}
}

// emptyDir removes everything inside dir.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// writeSynced writes a small file and flushes it to disk.
func writeSynced(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir flushes a folder's entries (best effort; not all systems allow it).
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}
