package runtime

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/bundle"
)

// TestUnits runs the unit tests of what needs no browser (test/*.test.ts) in
// Node's test runner, each bundled with what it imports by esbuild.
func TestUnits(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("the runtime's unit tests need Node.js on the PATH")
	}
	tests, err := filepath.Glob("test/*.test.ts")
	if err != nil || len(tests) == 0 {
		t.Fatalf("no unit tests found in test/ (%v)", err)
	}
	entries := map[string]string{}
	for _, file := range tests {
		entries[strings.TrimSuffix(filepath.Base(file), ".ts")+".js"] = file
	}
	built, err := bundle.Build(os.DirFS("."), bundle.Options{Entries: entries})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"type": "module"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--test"}
	for name, js := range built {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, js, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, path)
	}
	out, err := exec.Command(node, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("node --test: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestPythonUnits runs the unit tests of the Python module's
// interpreter-neutral parts (python/tests) in this machine's CPython.
func TestPythonUnits(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("the Python module's unit tests need python3 on the PATH")
	}
	// -B: no __pycache__ left in the tree.
	out, err := exec.Command(python, "-B", "-m", "unittest", "discover", "-s", "python/tests", "-v").CombinedOutput()
	if err != nil {
		t.Fatalf("python3 -m unittest: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
