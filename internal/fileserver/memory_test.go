package fileserver

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"
)

func TestMemory(t *testing.T) {
	mod := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	fsys := Memory(map[string][]byte{
		"a.txt":             []byte("a"),
		"dir/b.txt":         []byte("bb"),
		"dir/sub/c.txt":     []byte("ccc"),
		"dir/sub/empty.txt": nil,
		"z/y/x/w.txt":       []byte("w"),
	}, mod)
	if err := fstest.TestFS(fsys, "a.txt", "dir/b.txt", "dir/sub/c.txt", "dir/sub/empty.txt", "z/y/x/w.txt"); err != nil {
		t.Fatal(err)
	}

	info, err := fs.Stat(fsys, "dir/sub/c.txt")
	if err != nil || info.Size() != 3 || !info.ModTime().Equal(mod) || info.IsDir() || info.Name() != "c.txt" {
		t.Errorf("Stat file: %v %v", info, err)
	}
	if info, err := fs.Stat(fsys, "dir/sub"); err != nil || !info.IsDir() {
		t.Errorf("Stat dir: %v %v", info, err)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil || len(entries) != 3 || entries[0].Name() != "a.txt" || !entries[1].IsDir() {
		t.Errorf("ReadDir(.): %v %v", entries, err)
	}

	data, _ := fs.ReadFile(fsys, "a.txt")
	data[0] = 'X'
	if again, _ := fs.ReadFile(fsys, "a.txt"); string(again) != "a" {
		t.Errorf("ReadFile does not return a copy")
	}
	for _, name := range []string{"missing", "dir/missing", "a.txt/x"} {
		if _, err := fsys.Open(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q): %v, want ErrNotExist", name, err)
		}
	}
	for _, name := range []string{"/a.txt", "../a.txt", "dir/../a.txt", "dir/"} {
		if _, err := fsys.Open(name); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Open(%q): %v, want ErrInvalid", name, err)
		}
	}
	if _, err := fs.ReadFile(fsys, "dir"); err == nil {
		t.Errorf("ReadFile of a directory succeeded")
	}

	// An empty tree is fine.
	if err := fstest.TestFS(Memory(nil, time.Time{})); err != nil {
		t.Error(err)
	}
}

func TestMemoryPanics(t *testing.T) {
	for _, files := range []map[string][]byte{
		{"/abs": nil},
		{"../up": nil},
		{"a//b": nil},
		{".": nil},
		{"a": nil, "a/b": nil}, // a is both a file and a directory
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Memory(%v) did not panic", files)
				}
			}()
			Memory(files, time.Time{})
		}()
	}
}
