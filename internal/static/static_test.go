package static

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestModulesImported(t *testing.T) {
	source := `
import numpy as np, os.path
from matplotlib import pyplot
from . import sibling
from .local import thing
    import scipy.linalg  # indented, in a function
x = "import not_a_module"
# import commented_out
import json; import pandas
`
	got := ModulesImported(source)
	want := []string{"numpy", "os", "matplotlib", "scipy", "json"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestImportsOfFilesAndTags(t *testing.T) {
	app := fstest.MapFS{
		"main.py": {Data: []byte("import numpy\n")},
		"index.html": {Data: []byte(`<script type="mpy">import js</script>
<script type="py" worker name="w">
    from pandas import DataFrame
</script>
<script type="module">import x from "./x.js"</script>
<py-script>import regex</py-script>`)},
		"notes.txt": {Data: []byte("import nothing_here\n")},
	}
	got, err := Imports(app)
	if want := []string{"js", "numpy", "pandas", "regex"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("got %v, %v; want %v", got, err, want)
	}
}

func TestIsolateTagFirstInTheHead(t *testing.T) {
	tag := IsolateTag("docs/guide/index.html", "pyworker/isolate.js", "pyworker-sw.js")
	if want := `<script src="../../pyworker/isolate.js" data-service-worker="../../pyworker-sw.js"></script>`; tag != want {
		t.Errorf("tag %s, want %s", tag, want)
	}
	for page, want := range map[string]string{
		`<!doctype html><HTML><Head lang="en"><script src="a.js"></script></head>`: `<!doctype html><HTML><Head lang="en">TAG<script src="a.js"></script></head>`,
		`<!DOCTYPE html><p>no head</p>`:                                            `<!DOCTYPE html>TAG<p>no head</p>`,
		`<p>nothing</p>`:                                                           `TAG<p>nothing</p>`,
		`<head><script src="/pyworker/isolate.js"></script></head>`:                `<head><script src="/pyworker/isolate.js"></script></head>`,
	} {
		if got := string(WithTag([]byte(page), "TAG", "pyworker/isolate.js")); got != want {
			t.Errorf("WithTag(%s) = %s, want %s", page, got, want)
		}
	}
}

func TestWriteVariantsAndReplace(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	if err := os.MkdirAll(filepath.Join(out, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("print('compressible')\n", 200)
	files := Files{
		"main.py":      func() ([]byte, error) { return []byte(big), nil },
		"tiny.txt":     func() ([]byte, error) { return []byte("hi"), nil },
		"img/logo.png": func() ([]byte, error) { return []byte(strings.Repeat("x", 5000)), nil },
		"_headers":     func() ([]byte, error) { return Headers([]string{"pyworker/pyodide/"}), nil },
	}
	if err := Write(out, files, t.TempDir(), nil); err != nil {
		t.Fatal(err)
	}
	var got []string
	filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, path)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	// The old folder is gone; a PNG and a small file get no variants.
	if want := []string{"_headers", "img/logo.png", "main.py", "main.py.br", "main.py.gz", "tiny.txt"}; !slices.Equal(got, want) {
		t.Errorf("wrote %v, want %v", got, want)
	}
	headers, _ := os.ReadFile(filepath.Join(out, "_headers"))
	for _, want := range []string{"/*\n  Cross-Origin-Opener-Policy: same-origin\n  Cross-Origin-Embedder-Policy: require-corp\n", "/pyworker/pyodide/*\n  Cache-Control: public, max-age=31536000, immutable\n"} {
		if !strings.Contains(string(headers), want) {
			t.Errorf("_headers lacks %q:\n%s", want, headers)
		}
	}

	// A failed write leaves the folder as it was, and no temporary folder.
	err := Write(out, Files{"a.txt": func() ([]byte, error) { return nil, errors.New("unreadable") }}, "", nil)
	if err == nil || !strings.Contains(err.Error(), "a.txt: unreadable") {
		t.Errorf("a file that cannot be read: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "main.py")); err != nil {
		t.Errorf("the folder after a failed write: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("beside the folder: %v", entries)
	}
	if err := Write(out, Files{"../escape": func() ([]byte, error) { return nil, nil }}, "", nil); err == nil {
		t.Error("a path outside the site was written")
	}
}

func TestWithHeaders(t *testing.T) {
	h, err := WithHeaders(Headers([]string{"pyworker/pyodide/"}), http.NotFoundHandler())
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string][2]string{
		"/index.html":                 {"require-corp", ""},
		"/pyworker/pyodide/v1/a.wasm": {"require-corp", "public, max-age=31536000, immutable"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if got := [2]string{rec.Header().Get("Cross-Origin-Embedder-Policy"), rec.Header().Get("Cache-Control")}; got != want {
			t.Errorf("%s: got %q, want %q", path, got, want)
		}
	}
	if _, err := WithHeaders([]byte("/*\n  no colon here\n"), http.NotFoundHandler()); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a broken _headers: %v", err)
	}
}
