package dotfiles

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/pyworker/pyworker/internal/testfiles"
)

func TestPrivate(t *testing.T) {
	for path, want := range map[string]bool{
		"/.env": true, ".env": true, "/.git/config": true, ".git": true, "/app/.secret": true,
		"/app/.hidden/page.html": true, "/.well-known/.secret": true, "/.env/": true, "/a/b/.c/d": true,
		"/": false, ".": false, "": false, "/index.html": false, "/app/main.py": false,
		"/.well-known/security.txt": false, ".well-known": false, "/app.v2/x.js": false, "/a/b./c": false,
	} {
		if got := Private(path); got != want {
			t.Errorf("Private(%q) = %v, want %v", path, got, want)
		}
	}
}

// A real folder on disk, as serve and build read it: through os.Root.
func crafted(t *testing.T) fs.FS {
	t.Helper()
	dir := testfiles.Folder(t, map[string]string{
		".env":                      "SECRET=1",
		".git/config":               "[core]",
		".git/objects/ab/cdef":      "blob",
		"index.html":                "<p>hi",
		"app/main.py":               "print(1)",
		"app/.secret":               "token",
		"app/.cache/x/y.txt":        "cached",
		".well-known/security.txt":  "Contact: mailto:someone@example.org",
		".well-known/.private-note": "note",
	})
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return root.FS()
}

// Hide leaves every public file readable and lists, opens and reads no private one.
func TestHide(t *testing.T) {
	fsys := Hide(crafted(t))
	if err := fstest.TestFS(fsys, "index.html", "app/main.py", ".well-known/security.txt"); err != nil {
		t.Fatal(err)
	}
	var walked []string
	if err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if !d.IsDir() {
			walked = append(walked, name)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{".well-known/security.txt", "app/main.py", "index.html"}; !slices.Equal(walked, want) {
		t.Errorf("walked %v, want %v", walked, want)
	}
	for _, name := range []string{".env", ".git/config", ".git", "app/.secret", "app/.cache/x/y.txt", ".well-known/.private-note"} {
		if _, err := fsys.Open(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q): %v, want it not to exist", name, err)
		}
		if _, err := fs.ReadFile(fsys, name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ReadFile(%q): %v, want it not to exist", name, err)
		}
	}
	// A folder read in batches skips a batch that held only private names.
	folder, err := fsys.Open("app")
	if err != nil {
		t.Fatal(err)
	}
	defer folder.Close()
	var listed []string
	for {
		entries, err := folder.(fs.ReadDirFile).ReadDir(1)
		for _, e := range entries {
			listed = append(listed, e.Name())
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(listed, []string{"main.py"}) {
		t.Errorf("app listed one at a time: %v, want [main.py]", listed)
	}
	// A file keeps Seek, which serving it needs for ranges.
	f, err := fsys.Open("index.html")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, ok := f.(io.Seeker); !ok {
		t.Errorf("an opened file is a %T, which cannot seek", f)
	}
}

func TestLeft(t *testing.T) {
	left, err := Left(crafted(t))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{".env", ".git/", ".well-known/.private-note", "app/.cache/", "app/.secret"}; !slices.Equal(left, want) {
		t.Errorf("Left: %v, want %v", left, want)
	}
}
