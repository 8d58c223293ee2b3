package pyworker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/pyworker/pyworker/internal/mirror"
	"github.com/pyworker/pyworker/internal/static"
)

// A build takes the lock-file packages of the modules the app imports (by
// module, not package name) and those asked for, with what they depend on;
// the standard library's and the app's own modules are no package.
func TestPackagesFor(t *testing.T) {
	lock := &mirror.Lock{Packages: map[string]mirror.Package{
		"pyyaml":     {Name: "pyyaml", Imports: []string{"yaml"}},
		"matplotlib": {Name: "matplotlib", Imports: []string{"matplotlib", "pylab"}, Depends: []string{"numpy"}},
		"numpy":      {Name: "numpy", Imports: []string{"numpy"}},
		"regex":      {Name: "regex", Imports: []string{"regex"}},
	}}
	var names []string
	pkgs, err := packagesFor(lock, []string{"json", "yaml", "pylab", "my_module"}, []string{"Regex"})
	for _, p := range pkgs {
		names = append(names, p.Name)
	}
	if want := []string{"matplotlib", "numpy", "pyyaml", "regex"}; err != nil || !slices.Equal(names, want) {
		t.Errorf("got %v, %v; want %v", names, err, want)
	}
	if _, err := packagesFor(lock, nil, []string{"nonesuch"}); err == nil {
		t.Error("an unknown package asked for was not refused")
	}
}

// A build adds the lock-file packages the app's Python imports, fetched
// through the mirror and checked, to the Pyodide folder it writes.
func TestBuildAddsImportedPackages(t *testing.T) {
	wheel := []byte("tinypkg's wheel")
	sum := sha256.Sum256(wheel)
	lock, _ := json.Marshal(map[string]any{"packages": map[string]any{
		"tiny-package": map[string]any{"name": "tiny-package", "version": "1.0", "file_name": "tiny_package-1.0-py3-none-any.whl",
			"sha256": hex.EncodeToString(sum[:]), "imports": []string{"tinypkg"}, "depends": []string{}},
	}})
	upstream := t.TempDir()
	if err := os.WriteFile(filepath.Join(upstream, "tiny_package-1.0-py3-none-any.whl"), wheel, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := mirror.Open(fstest.MapFS{mirror.LockFile: {Data: lock}}, mirror.Options{From: upstream, Store: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	pyodide := folder{name: "pyodide", files: m.FS(), version: "1", mirror: m}
	files := static.Files{}
	app := fstest.MapFS{"main.py": {Data: []byte("import json\nimport tinypkg\n")}}
	if err := addPackages(context.Background(), files, pyodide, BuildOptions{App: app}, nil); err != nil {
		t.Fatal(err)
	}
	read, ok := files["pyworker/pyodide/v1/tiny_package-1.0-py3-none-any.whl"]
	if len(files) != 1 || !ok {
		t.Fatalf("added %v", slices.Collect(maps.Keys(files)))
	}
	if got, err := read(); err != nil || string(got) != string(wheel) {
		t.Errorf("the wheel: %q, %v", got, err)
	}
}
