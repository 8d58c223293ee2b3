package doctor

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pyworker/pyworker"
	"github.com/pyworker/pyworker/internal/browser"
	"github.com/pyworker/pyworker/internal/static"
	"github.com/pyworker/pyworker/internal/testfiles"
)

// A built app served as Netlify would is good (and, with Chromium here, a
// worker starts on it); the same files with the wasm mistyped cannot work;
// a page with neither headers nor isolate.js works with less.
func TestDeployments(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	app := fstest.MapFS{"index.html": {Data: []byte(`<!doctype html><head><title>app</title></head>
<script type="module">import { createWorker } from "./pyworker/pyworker.js";</script>`)}}
	if err := pyworker.Build(context.Background(), out, pyworker.BuildOptions{App: app}, nil); err != nil {
		t.Fatal(err)
	}
	headers, err := os.ReadFile(filepath.Join(out, "_headers"))
	if err != nil {
		t.Fatal(err)
	}
	files := http.FileServer(http.Dir(out))
	netlify, err := static.WithHeaders(headers, files)
	if err != nil {
		t.Fatal(err)
	}
	good := httptest.NewServer(netlify) // 127.0.0.1 only
	t.Cleanup(good.Close)
	report := Check(context.Background(), good.URL+"/", Options{Browser: true})
	says(t, report, false,
		"ok: the page is cross-origin isolated by its headers (COOP same-origin, COEP require-corp)",
		"ok: no dotfile is published (/.git/config, /.env)",
		"ok: the interpreter ("+good.URL+"/pyworker/pyodide/v"+pyworker.PyodideVersion+"/pyodide.asm.wasm) is served as application/wasm",
		"warning: the interpreter is sent uncompressed")
	if engine, _ := browser.Lookup("chromium"); engine.Installed() == nil {
		says(t, report, false, "ok: in Chromium, a worker answered 1 + 1 in", "on the shared-memory channel (isolated: true)")
	} else {
		says(t, report, false, "warning: no headless Chromium here")
	}

	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/octet-stream")
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(broken.Close)
	says(t, Check(context.Background(), broken.URL+"/", Options{}), true,
		"ok: the page isolates itself through the service worker "+broken.URL+"/pyworker-sw.js",
		`error: the interpreter (`+broken.URL+`/pyworker/pyodide/v`+pyworker.PyodideVersion+`/pyodide.asm.wasm) is served as "application/octet-stream": browsers compile WebAssembly only from application/wasm`)

	os.WriteFile(filepath.Join(out, "plain.html"), []byte(`<script type="module" src="pyworker/pyworker.js"></script>`), 0o644)
	says(t, Check(context.Background(), broken.URL+"/plain.html", Options{}), true,
		`warning: the page is not cross-origin isolated (COOP "", COEP "") and has no isolate.js`)
	says(t, Check(context.Background(), broken.URL+"/missing.html", Options{}), true,
		"error: the page ("+broken.URL+"/missing.html) answers 404 Not Found")
}

// says checks whether the report failed and that it holds each finding
// (severity: words), a finding's words may be split across several wants.
func says(t *testing.T, r *Report, failed bool, wants ...string) {
	t.Helper()
	var lines []string
	for _, f := range r.Findings {
		lines = append(lines, string(f.Severity)+": "+f.What)
	}
	text := strings.Join(lines, "\n")
	if r.Failed() != failed {
		t.Errorf("failed: %v, want %v:\n%s", r.Failed(), failed, text)
	}
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
}

// A deployment that publishes a working folder's .git/config or .env, beside
// the page or at the site's root, cannot stay: doctor fails it, naming each
// file; a host that answers every path with its page publishes nothing.
func TestPublishedSecrets(t *testing.T) {
	dir := testfiles.Folder(t, map[string]string{
		"app/index.html": `<script type="module" src="../pyworker/pyworker.js"></script>`,
		".env":           "API_TOKEN=secret\n",
		".git/config":    "[core]\n\trepositoryformatversion = 0\n[remote \"origin\"]\n",
	})
	exposing := httptest.NewServer(http.FileServer(http.Dir(dir))) // serves dotfiles, as many servers do
	t.Cleanup(exposing.Close)
	says(t, Check(context.Background(), exposing.URL+"/app/", Options{}), true,
		"error: "+exposing.URL+"/.git/config is published (", "error: "+exposing.URL+"/.env is published (17 bytes): anyone can read it")

	page := []byte(`<!doctype html><script type="module" src="pyworker/pyworker.js"></script>`)
	fallback := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(page) // every path, as a single-page app's host does
	}))
	t.Cleanup(fallback.Close)
	report := Check(context.Background(), fallback.URL+"/app/", Options{})
	says(t, report, true, "ok: no dotfile is published (/app/.git/config, /app/.env, /.git/config, /.env)")
	for _, f := range report.Findings {
		if f.Severity == Error && strings.Contains(f.What, "is published") {
			t.Errorf("a page answered for every path was taken for a secret: %s", f.What)
		}
	}
}
