package e2e

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/assets"
	"github.com/pyworker/pyworker/internal/site"
)

// install_imports loads a package of the lock file by its import name (the
// package's own name differs, as beautifulsoup4's does from bs4); a name in
// neither the lock file nor PyPI's reach (micropip is not in the npm package,
// so it cannot load here), a package whose file is missing and one whose
// file does not match the lock file's sha256 each fail naming it and why, in
// the same words on every engine. A run's own imports of a
// lock-file package still load before it runs.
func TestInstallImports(t *testing.T) {
	dir := pyodideCopy(t)
	tampered := writeWheel(t, dir, "tampered-package", "tamperedpkg", "changed after the lock file was made")
	tampered["sha256"] = strings.Repeat("0", 64)
	addToLockFile(t, dir,
		writeWheel(t, dir, "tiny-package", "tinypkg", "hi"),
		writeWheel(t, dir, "auto-package", "autopkg", "hi from autopkg"),
		tampered,
	)
	srv := serveTestdata(t, site.Config{Pyodide: dir})
	tab := newTab(t)
	navigate(t, tab, srv.URL+"/")

	got := call[[]any](t, tab, "install.installImports")
	if want := `[["tinypkg"],"hi",[]]`; jsonOf(t, got[0]) != want {
		t.Errorf("install_imports of tinypkg: got %s, want %s", jsonOf(t, got[0]), want)
	}
	outcomes, _ := got[1].([]any)
	if len(outcomes) != 4 {
		t.Fatalf("install_imports of what cannot be installed: got %s", jsonOf(t, got[1]))
	}
	for i, want := range []struct {
		typ, name string
		message   []string
	}{
		{"ModuleNotFoundError", "surely_not_a_package", []string{"cannot install 'surely_not_a_package': it is not in Pyodide's lock file, and micropip (to look on PyPI) is not there: pyworker could not load its package 'micropip' from " + srv.URL + "/pyworker/pyodide/micropip-0.11.1-py3-none-any.whl: the server answered 404 Not Found; Pyodide said: The following error occurred while loading micropip: "}},
		{"ModuleNotFoundError", "numpy", []string{"cannot install 'numpy': it is in Pyodide's lock file, but pyworker could not load its package 'numpy' from " + srv.URL + "/pyworker/pyodide/numpy-", ".whl: the server answered 404 Not Found; Pyodide said: The following error occurred while loading numpy: "}},
		{"ModuleNotFoundError", "tamperedpkg", []string{"cannot install 'tamperedpkg': it is in Pyodide's lock file, but pyworker could not load its package 'tampered-package' from " + srv.URL + "/pyworker/pyodide/tampered_package-1.0.0-py3-none-any.whl: the server has the file, so it does not match the lock file's sha256 or its download broke off; Pyodide said: The following error occurred while loading tampered-package: "}},
		{"SyntaxError", "", []string{"'(' was never closed", "line 2"}},
	} {
		outcome, _ := outcomes[i].([]any)
		if len(outcome) != 3 {
			t.Errorf("outcome %d: got %s, want an error", i, jsonOf(t, outcomes[i]))
			continue
		}
		name, _ := outcome[1].(string)
		message, _ := outcome[2].(string)
		if outcome[0] != want.typ || name != want.name || !containsAll(message, want.message) {
			t.Errorf("outcome %d: got %s, want a %s naming %q, saying %q", i, jsonOf(t, outcome), want.typ, want.name, want.message)
		}
	}
	if got[2] != "hi from autopkg" {
		t.Errorf("a run importing autopkg: got %s, want it loaded before the run", jsonOf(t, got[2]))
	}
}

func containsAll(s string, parts []string) bool {
	for _, part := range parts {
		if !strings.Contains(s, part) {
			return false
		}
	}
	return true
}

// writeWheel writes into dir a pure-Python wheel of project whose package
// `module` has hello() returning greeting; it returns the wheel's lock-file entry.
func writeWheel(t *testing.T, dir, project, module, greeting string) map[string]any {
	t.Helper()
	distInfo := strings.ReplaceAll(project, "-", "_") + "-1.0.0.dist-info"
	files := [][2]string{
		{module + "/__init__.py", fmt.Sprintf("def hello():\n    return %q\n", greeting)},
		{distInfo + "/METADATA", "Metadata-Version: 2.1\nName: " + project + "\nVersion: 1.0.0\n"},
		{distInfo + "/WHEEL", "Wheel-Version: 1.0\nGenerator: pyworker-e2e\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
	}
	var record strings.Builder
	for _, f := range files {
		sum := sha256.Sum256([]byte(f[1]))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", f[0], base64.RawURLEncoding.EncodeToString(sum[:]), len(f[1]))
	}
	record.WriteString(distInfo + "/RECORD,,\n")
	files = append(files, [2]string{distInfo + "/RECORD", record.String()})

	var wheel bytes.Buffer
	zw := zip.NewWriter(&wheel)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	fileName := strings.ReplaceAll(project, "-", "_") + "-1.0.0-py3-none-any.whl"
	if err := os.WriteFile(filepath.Join(dir, fileName), wheel.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(wheel.Bytes())
	return map[string]any{
		"name": project, "version": "1.0.0", "file_name": fileName, "install_dir": "site",
		"sha256": hex.EncodeToString(sum[:]), "package_type": "package",
		"imports": []string{module}, "depends": []string{},
	}
}

// addToLockFile adds packages to the pyodide-lock.json in dir.
func addToLockFile(t *testing.T, dir string, packages ...map[string]any) {
	t.Helper()
	path := filepath.Join(dir, "pyodide-lock.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lock map[string]any
	if err := json.Unmarshal(data, &lock); err != nil {
		t.Fatal(err)
	}
	entries := lock["packages"].(map[string]any)
	for _, p := range packages {
		entries[p["name"].(string)] = p
	}
	if data, err = json.Marshal(lock); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pyodideCopy is a copy of the pinned Pyodide folder, for a test to change.
func pyodideCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cache, err := assets.Dir()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(dir, os.DirFS(cache)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// serveTestdata serves testdata as cfg says, on 127.0.0.1, until the test ends.
func serveTestdata(t *testing.T, cfg site.Config) *httptest.Server {
	t.Helper()
	app, err := os.OpenRoot("testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	cfg.App = app.FS()
	h, err := site.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(withScripts(h))
	t.Cleanup(srv.Close)
	return srv
}
