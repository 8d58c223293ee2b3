// Package pack packs a Python project folder into a deterministic zip: the
// same files make the same bytes, whenever and wherever they are packed (by
// the same pyworker build), so a zip's hash names its content.
//
// What goes in: every regular file under the folder, by its slash-separated
// path, in sorted order, with a fixed time (1980-01-01 00:00 UTC) and mode
// (0644), deflated. What stays out:
//
//   - hidden files and folders, whose name starts with "." (.git, .venv,
//     .env, .DS_Store): tools' state, and sometimes secrets, never the app;
//   - __pycache__ folders and *.pyc files, which Python makes again;
//   - virtual environments under any name (a folder holding pyvenv.cfg).
//
// The folder is read through os.Root, so nothing outside it is ever read. A
// symlink to a file inside the folder is packed as that file, under the
// link's name; a symlink leading out of the folder, or to a folder (which
// pack does not follow), is an error naming it rather than a silent gap.
package pack

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// modified is every entry's time: the zip format's earliest, so that
// touching a file does not change the zip.
var modified = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Zip writes the project in dir to w as a zip.
func Zip(w io.Writer, dir string) error {
	root, err := openFolder(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	files, err := list(root, dir, nil)
	if err != nil {
		return err
	}
	return write(w, root, dir, files)
}

// WriteFile packs dir into the zip file name. It writes a temporary file
// beside name and renames it into place, so a failure leaves name as it was.
// When name lies inside dir, the zip leaves it out (and the temporary file,
// which is hidden).
func WriteFile(name, dir string) (err error) {
	var self os.FileInfo // the previous output, if any: not to be packed into the next
	if info, err := os.Stat(name); err == nil {
		self = info
	}
	root, err := openFolder(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	files, err := list(root, dir, self)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp, root, dir, files); err != nil {
		return err
	}
	// CreateTemp makes the file private; a zip is for serving.
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// openFolder opens dir as an os.Root, with errors that name it.
func openFolder(dir string) (*os.Root, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("pack: %s: %w", dir, bare(err))
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("pack: %s: not a folder", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("pack: %s: %w", dir, bare(err))
	}
	return root, nil
}

// file is one entry of the zip. Comparing two lists of them is the cheap
// way to tell whether the folder changed (see Handler).
type file struct {
	name    string // slash-separated, relative to the folder
	size    int64
	modTime int64 // Unix nanoseconds
}

// list returns the files to pack from root, sorted by name. Whatever is the
// same file as skip (the output, when it lies inside) is left out.
func list(root *os.Root, dir string, skip os.FileInfo) ([]file, error) {
	var files []file
	err := fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("pack: %s: %s: %w", dir, name, bare(err))
		}
		if name == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if d.Name() == "__pycache__" {
				return fs.SkipDir
			}
			if _, err := root.Lstat(path.Join(name, "pyvenv.cfg")); err == nil {
				return fs.SkipDir
			}
			return nil
		}
		if path.Ext(name) == ".pyc" {
			return nil
		}
		// Stat follows a symlink, and os.Root refuses one that leads out.
		info, err := root.Stat(name)
		if err != nil {
			return fmt.Errorf("pack: %s: %s: %w", dir, name, bare(err))
		}
		switch {
		case info.IsDir():
			return fmt.Errorf("pack: %s: %s: a symlink to a folder, which pack does not follow", dir, name)
		case !info.Mode().IsRegular():
			return fmt.Errorf("pack: %s: %s: not a regular file", dir, name)
		case skip != nil && os.SameFile(info, skip):
			return nil
		}
		files = append(files, file{name: name, size: info.Size(), modTime: info.ModTime().UnixNano()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	// WalkDir's order is not the paths' order: it puts "a/b" before "a-b".
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.name, b.name) })
	return files, nil
}

// write writes files, read from root, to w as a zip.
func write(w io.Writer, root *os.Root, dir string, files []file) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		header := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: modified}
		header.SetMode(0o644)
		entry, err := zw.CreateHeader(header)
		if err != nil {
			return err
		}
		if err := copyFile(entry, root, f.name); err != nil {
			return fmt.Errorf("pack: %s: %s: %w", dir, f.name, bare(err))
		}
	}
	return zw.Close()
}

func copyFile(w io.Writer, root *os.Root, name string) error {
	f, err := root.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// bare drops a PathError's operation and path ("statat data/link: "), which
// pack's own messages already say better.
func bare(err error) error {
	if pathErr, ok := errors.AsType[*fs.PathError](err); ok {
		return pathErr.Err
	}
	return err
}
