package pyworker

import (
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/pyworker/pyworker/internal/testfiles"
)

// Files and Handler serve no dotfile of the user's folders (an app's, a
// Pyodide folder given as Options.Pyodide), however the path spells its dot,
// unless AllowDotfiles; .well-known/ and the runtime are served either way.
func TestDotfilesHidden(t *testing.T) {
	secrets := map[string]string{".env": "API_TOKEN=secret", ".git/config": "[core]", "sub/.secret": "token"}
	with := func(files map[string]string) map[string]string {
		maps.Copy(files, secrets)
		return files
	}
	app := testfiles.Folder(t, with(map[string]string{"index.html": "app", ".well-known/security.txt": "Contact: x"}))
	pyodide := testfiles.Folder(t, with(map[string]string{"pyodide.mjs": "export {}", "pyodide-lock.json": `{"packages": {}}`}))
	for _, allow := range []bool{false, true} {
		opts := Options{Pyodide: pyodide, AllowDotfiles: allow}
		runtime, err := Handler(opts)
		if err != nil {
			t.Fatal(err)
		}
		root, err := os.OpenRoot(app)
		if err != nil {
			t.Fatal(err)
		}
		defer root.Close()
		mux := http.NewServeMux()
		mux.Handle("/", Files(root.FS(), opts))
		mux.Handle(Prefix, runtime)
		srv := httptest.NewServer(mux) // 127.0.0.1 only
		defer srv.Close()
		get := func(path string) (int, string) {
			res, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(body)
		}
		for _, prefix := range []string{"/", Prefix + "pyodide/"} {
			for name, content := range secrets {
				status, body := get(prefix + name)
				if allow && (status != http.StatusOK || body != content) || !allow && status != http.StatusNotFound {
					t.Errorf("AllowDotfiles %v, GET %s%s: %d %q", allow, prefix, name, status, body)
				}
			}
			if status, _ := get(prefix + "%2egit/config"); !allow && status != http.StatusNotFound {
				t.Errorf("GET %s%%2egit/config: %d, want 404", prefix, status)
			}
		}
		for _, path := range []string{"/", "/.well-known/security.txt", Prefix + "pyworker.js", Prefix + "pyodide/pyodide.mjs"} {
			if status, _ := get(path); status != http.StatusOK {
				t.Errorf("AllowDotfiles %v, GET %s: %d, want 200", allow, path, status)
			}
		}
	}
}
