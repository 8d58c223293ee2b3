// Package testfiles writes the folders that tests serve, build and pack.
package testfiles

import (
	"os"
	"path/filepath"
	"testing"
)

// Folder writes files (slash-separated path → content) into a new folder,
// removed when the test ends, and returns its path.
func Folder(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		name = filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
