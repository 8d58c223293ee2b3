package fileserver

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// Memory returns a read-only fs.FS (also fs.ReadFileFS and fs.StatFS) of
// files, keyed by fs.ValidPath names such as "a/b.js", all with modification
// time modTime. Directories are implied by the names.
//
// The map is copied but not the contents: do not modify them afterwards.
// Memory panics if a name is invalid or is both a file and a directory.
func Memory(files map[string][]byte, modTime time.Time) fs.FS {
	m := &memFS{
		files:   make(map[string][]byte, len(files)),
		dirs:    map[string][]fs.DirEntry{".": nil},
		modTime: modTime,
	}
	for name, data := range files {
		if !fs.ValidPath(name) || name == "." {
			panic(fmt.Sprintf("fileserver.Memory: invalid file name %q", name))
		}
		m.files[name] = data
	}
	// Register each file in its directory, and each new directory in its
	// parent, up to the first directory already known.
	for name := range m.files {
		for child := name; ; {
			dir := path.Dir(child)
			_, known := m.dirs[dir]
			m.dirs[dir] = append(m.dirs[dir], m.info(child))
			if known {
				break
			}
			child = dir
		}
	}
	for dir, entries := range m.dirs {
		if _, ok := m.files[dir]; ok {
			panic(fmt.Sprintf("fileserver.Memory: %q is both a file and a directory", dir))
		}
		slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	}
	return m
}

type memFS struct {
	files   map[string][]byte
	dirs    map[string][]fs.DirEntry
	modTime time.Time
}

// info describes name, which must exist.
func (m *memFS) info(name string) *memInfo {
	data, isFile := m.files[name]
	return &memInfo{name: path.Base(name), size: int64(len(data)), dir: !isFile, modTime: m.modTime}
}

func (m *memFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if data, ok := m.files[name]; ok {
		return &memFile{info: m.info(name), Reader: bytes.NewReader(data)}, nil
	}
	if entries, ok := m.dirs[name]; ok {
		return &memDir{path: name, info: m.info(name), entries: entries}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (m *memFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	if _, ok := m.files[name]; !ok {
		if _, ok := m.dirs[name]; !ok {
			return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
		}
	}
	return m.info(name), nil
}

func (m *memFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	data, ok := m.files[name]
	if !ok {
		if _, ok := m.dirs[name]; ok {
			return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
		}
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrNotExist}
	}
	return append([]byte{}, data...), nil // the caller may modify it
}

// memInfo is both the fs.FileInfo and the fs.DirEntry of a file or directory.
type memInfo struct {
	name    string
	size    int64
	dir     bool
	modTime time.Time
}

func (i *memInfo) Name() string               { return i.name }
func (i *memInfo) Size() int64                { return i.size }
func (i *memInfo) ModTime() time.Time         { return i.modTime }
func (i *memInfo) IsDir() bool                { return i.dir }
func (i *memInfo) Sys() any                   { return nil }
func (i *memInfo) Type() fs.FileMode          { return i.Mode().Type() }
func (i *memInfo) Info() (fs.FileInfo, error) { return i, nil }
func (i *memInfo) String() string             { return fs.FormatFileInfo(i) }

func (i *memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}

// memFile is an open file: a bytes.Reader (Read, Seek, ReadAt) with Stat.
type memFile struct {
	info *memInfo
	*bytes.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

// memDir is an open directory.
type memDir struct {
	path    string
	info    *memInfo
	entries []fs.DirEntry
	offset  int
}

func (d *memDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *memDir) Close() error               { return nil }

func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.path, Err: fs.ErrInvalid}
}

func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.offset:]
	if n <= 0 {
		d.offset = len(d.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(n, len(rest))]
	d.offset += len(rest)
	return slices.Clone(rest), nil
}
