package pack

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pyworker/pyworker/internal/testfiles"
)

func zipBytes(t *testing.T, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Zip(&buf, dir); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// entries returns the zip's entries by name, in their order, with contents.
func entries(t *testing.T, data []byte) (names []string, contents map[string]string) {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	contents = map[string]string{}
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
		contents[f.Name] = string(b)
		if f.Method != zip.Deflate || f.Mode() != 0o644 || !f.Modified.Equal(modified) {
			t.Errorf("%s: method %d, mode %v, time %v", f.Name, f.Method, f.Mode(), f.Modified)
		}
	}
	return names, contents
}

func TestZipIsDeterministic(t *testing.T) {
	dir := testfiles.Folder(t, map[string]string{
		"main.py":         "print('hi')\n",
		"pkg/__init__.py": "",
		"pkg/util.py":     "def f(): return 1\n",
		"data/table.csv":  strings.Repeat("a,b,c\n", 1000),
	})
	first := zipBytes(t, dir)
	if again := zipBytes(t, dir); !bytes.Equal(first, again) {
		t.Fatal("packing twice gave different bytes")
	}
	// Times and modes are not content.
	later := time.Now().Add(time.Hour)
	filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err == nil {
			os.Chtimes(name, later, later)
		}
		return err
	})
	os.Chmod(filepath.Join(dir, "main.py"), 0o755)
	if touched := zipBytes(t, dir); !bytes.Equal(first, touched) {
		t.Fatal("touching the files changed the zip")
	}
}

func TestZipEntries(t *testing.T) {
	dir := testfiles.Folder(t, map[string]string{
		"main.py":                              "main",
		"a-b.py":                               "dash",
		"a/b.py":                               "slash",
		"pkg/__init__.py":                      "init",
		"pkg/data.json":                        "{}",
		"pkg/__pycache__/data.cpython-313.pyc": "bytecode",
		"stale.pyc":                            "bytecode",
		".env":                                 "SECRET=1",
		".git/HEAD":                            "ref",
		".venv/pyvenv.cfg":                     "home = /usr/bin",
		"venv/pyvenv.cfg":                      "home = /usr/bin",
		"venv/lib/site.py":                     "site",
		"pkg/.hidden/x.py":                     "hidden",
	})
	// A symlink that stays inside is packed as its target, by its own name.
	if err := os.Symlink("main.py", filepath.Join(dir, "link.py")); err != nil {
		t.Fatal(err)
	}
	names, contents := entries(t, zipBytes(t, dir))
	want := []string{"a-b.py", "a/b.py", "link.py", "main.py", "pkg/__init__.py", "pkg/data.json"}
	if !slices.Equal(names, want) {
		t.Fatalf("entries %q, want %q", names, want)
	}
	if contents["a/b.py"] != "slash" || contents["link.py"] != "main" {
		t.Errorf("contents: %q", contents)
	}
}

func TestZipRefusesSymlinksOut(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("secret"), 0o644)
	for _, tc := range []struct{ link, target, says string }{
		{"pkg/leak.txt", filepath.Join("..", "..", filepath.Base(outside), "secret.txt"), "escapes"},
		{"pkg/abs.txt", filepath.Join(outside, "secret.txt"), "escapes"},
		{"pkg/inside", ".", "symlink to a folder"},
	} {
		dir := testfiles.Folder(t, map[string]string{"main.py": "", "pkg/x.py": ""})
		if err := os.Symlink(tc.target, filepath.Join(dir, filepath.FromSlash(tc.link))); err != nil {
			t.Fatal(err)
		}
		err := Zip(io.Discard, dir)
		if err == nil || !strings.Contains(err.Error(), tc.link) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s -> %s: err = %v, want one naming it (%q)", tc.link, tc.target, err, tc.says)
		}
	}
}

func TestZipNeedsAFolder(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nothing")
	if err := Zip(io.Discard, missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing folder: err = %v", err)
	}
	file := filepath.Join(testfiles.Folder(t, map[string]string{"main.py": ""}), "main.py")
	if err := Zip(io.Discard, file); err == nil || !strings.Contains(err.Error(), file+": not a folder") {
		t.Errorf("a file: err = %v", err)
	}
}

func TestWriteFile(t *testing.T) {
	dir := testfiles.Folder(t, map[string]string{"main.py": "main"})
	want := zipBytes(t, dir)

	// Packing a folder into itself, twice: the zip never holds itself, and
	// the temporary file is gone.
	inside := filepath.Join(dir, "app.zip")
	for range 2 {
		if err := WriteFile(inside, dir); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(inside); !bytes.Equal(got, want) {
			t.Fatal("the zip written inside the folder is not the folder's zip")
		}
	}
	if info, _ := os.Stat(inside); info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode())
	}
	if left, _ := os.ReadDir(dir); len(left) != 2 {
		t.Errorf("the folder holds %v, want main.py and app.zip", left)
	}

	// A failure leaves the previous zip as it was, and no temporary file.
	os.Symlink(filepath.Join("..", "..", "etc", "passwd"), filepath.Join(dir, "leak"))
	if err := WriteFile(inside, dir); err == nil || !strings.Contains(err.Error(), "leak") {
		t.Fatalf("err = %v, want one naming leak", err)
	}
	if got, _ := os.ReadFile(inside); !bytes.Equal(got, want) {
		t.Error("a failed pack changed the previous zip")
	}
	if left, _ := os.ReadDir(dir); len(left) != 3 {
		t.Errorf("the folder holds %v after a failure", left)
	}
}
