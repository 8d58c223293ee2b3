// Package dotfiles keeps what a folder's dotfiles hold (an environment file
// with its secrets, a repository with its remotes and history, an editor's
// settings) out of what pyworker serves and builds from a user's folder.
//
// A path is private when one of its segments starts with a dot, except
// ".well-known", which the web reserves for files meant to be fetched
// (security.txt, assetlinks.json). Private is the rule; Hide applies it to an
// fs.FS; Left lists what a build leaves out by it.
package dotfiles

import (
	"io/fs"
	"slices"
	"strings"
)

// WellKnown is the one dot-folder that is public.
const WellKnown = ".well-known"

// Private says whether the slash-separated path (a URL path, with or without
// its leading slash, or an fs.FS name) names a dotfile or lies in a
// dot-folder. "." (an fs.FS's root) and ".." are not names of their own.
func Private(path string) bool {
	for _, segment := range strings.Split(path, "/") {
		if strings.HasPrefix(segment, ".") && segment != "." && segment != ".." && segment != WellKnown {
			return true
		}
	}
	return false
}

// Hide is fsys without its private names: opening one fails as a name that
// does not exist would, and no folder lists one.
func Hide(fsys fs.FS) fs.FS { return hidden{fsys} }

type hidden struct{ fsys fs.FS }

func (h hidden) Open(name string) (fs.File, error) {
	if Private(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	f, err := h.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	// Only a folder is wrapped: a file keeps what it implements beyond
	// fs.File (Seek, ReadAt), which serving it may use.
	if folder, ok := f.(fs.ReadDirFile); ok {
		if info, err := f.Stat(); err == nil && info.IsDir() {
			return hiddenFolder{folder}, nil
		}
	}
	return f, nil
}

func (h hidden) ReadDir(name string) ([]fs.DirEntry, error) {
	if Private(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	entries, err := fs.ReadDir(h.fsys, name)
	return slices.DeleteFunc(entries, isPrivate), err
}

// hiddenFolder is an open folder that lists no private name.
type hiddenFolder struct{ fs.ReadDirFile }

func (f hiddenFolder) ReadDir(n int) ([]fs.DirEntry, error) {
	for {
		entries, err := f.ReadDirFile.ReadDir(n)
		entries = slices.DeleteFunc(entries, isPrivate)
		// With n > 0, an empty batch means the end: read on past one that held only private names.
		if len(entries) > 0 || err != nil || n <= 0 {
			return entries, err
		}
	}
}

func isPrivate(e fs.DirEntry) bool { return Private(e.Name()) }

// Left lists the private names at the top of fsys's hidden trees, sorted:
// ".env", ".git/" (a folder, with all it holds), "app/.secret".
func Left(fsys fs.FS) ([]string, error) {
	var left []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || name == "." || !Private(d.Name()) {
			return err
		}
		if d.IsDir() {
			left = append(left, name+"/")
			return fs.SkipDir
		}
		left = append(left, name)
		return nil
	})
	return left, err
}
