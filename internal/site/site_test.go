package site

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"

	"github.com/pyworker/pyworker/internal/assets"
)

func serve(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err, "(run `go run ./cmd/pyworker fetch` first)")
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string, header ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

var isolationHeaders = map[string]string{
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Embedder-Policy": "require-corp",
	"Cross-Origin-Resource-Policy": "cross-origin",
}

func TestIsolationHeaders(t *testing.T) {
	app := fstest.MapFS{"index.html": {Data: []byte("<p>app</p>")}}
	on := serve(t, Config{App: app, Isolation: "headers"})
	off := serve(t, Config{App: app, Isolation: "off"})
	for _, path := range []string{"/", "/missing", "/pyworker/pyworker.js", "/pyworker/worker.js", "/pyworker/pyodide/pyodide.asm.wasm", "/pyworker/micropython/micropython.wasm", "/pyworker/nope"} {
		res := get(t, on.URL+path)
		for k, v := range isolationHeaders {
			if got := res.Header.Get(k); got != v {
				t.Errorf("%s (%d): %s = %q, want %q", path, res.StatusCode, k, got, v)
			}
		}
		res = get(t, off.URL+path)
		for k := range isolationHeaders {
			if got := res.Header.Get(k); got != "" {
				t.Errorf("isolation off, %s: %s = %q", path, k, got)
			}
		}
	}
	if _, err := New(Config{App: app, Isolation: "sometimes"}); err == nil || !strings.Contains(err.Error(), "sometimes") {
		t.Errorf("unknown isolation: err = %v", err)
	}
}

func TestRuntimeAndAssets(t *testing.T) {
	srv := serve(t, Config{})
	for _, tc := range []struct {
		path, contentType, cacheControl, contains string
	}{
		{"/", "text/html; charset=utf-8", "no-cache", "pyworker playground"},
		{"/app.js", "text/javascript; charset=utf-8", "no-cache", "createWorker"},
		{"/pyworker/pyworker.js", "text/javascript; charset=utf-8", "no-cache", "asyncRun"},
		{"/pyworker/worker.js", "text/javascript; charset=utf-8", "no-cache", "def _run("},
		{"/pyworker/pyworker.d.ts", "", "no-cache", "export declare const asyncRun: AsyncRun;"},
		// The pinned packages are kept for good in the folders of their versions, which the runtime loads,
		// and revalidated in the plain folders: a new version of pyworker may pin new ones.
		{"/pyworker/pyodide/v" + assets.PyodideVersion + "/pyodide.asm.wasm", "application/wasm", "public, max-age=31536000, immutable", "\x00asm"},
		{"/pyworker/pyodide/v" + assets.PyodideVersion + "/pyodide.mjs", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "loadPyodide"},
		{"/pyworker/pyodide/pyodide-lock.json", "application/json", "no-cache", `"packages"`},
		{"/pyworker/micropython/v" + assets.MicroPython.Version + "/micropython.mjs", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "loadMicroPython"},
		{"/pyworker/micropython/micropython.mjs", "text/javascript; charset=utf-8", "no-cache", "loadMicroPython"},
		{"/pyworker/toml/v" + assets.TOML.Version + "/dist/index.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "export { parse"},
		{"/pyworker/xterm/v" + assets.XTerm.Version + "/lib/xterm.mjs", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "Terminal"},
		{"/pyworker/xterm/v" + assets.XTerm.Version + "/css/xterm.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable", ".xterm"},
	} {
		res := get(t, srv.URL+tc.path)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || (tc.contentType != "" && res.Header.Get("Content-Type") != tc.contentType) ||
			res.Header.Get("Cache-Control") != tc.cacheControl || !strings.Contains(string(body), tc.contains) {
			t.Errorf("%s: %d %q %q, body has %q: %v", tc.path, res.StatusCode, res.Header.Get("Content-Type"),
				res.Header.Get("Cache-Control"), tc.contains, strings.Contains(string(body), tc.contains))
		}
	}
	// The bundled runtime points at the self-hosted assets, in the folders of their versions.
	body, _ := io.ReadAll(get(t, srv.URL+"/pyworker/pyworker.js").Body)
	for _, folder := range []string{"pyodide/v" + assets.PyodideVersion + "/", "micropython/v" + assets.MicroPython.Version + "/", "toml/v" + assets.TOML.Version + "/dist/index.js", "xterm/v" + assets.XTerm.Version + "/"} {
		if !strings.Contains(string(body), `"`+folder+`"`) {
			t.Errorf("pyworker.js does not name the self-hosted %s", folder)
		}
	}
}

func TestCompressionAndCaching(t *testing.T) {
	srv := serve(t, Config{})
	url := srv.URL + "/pyworker/pyodide/v" + assets.PyodideVersion + "/pyodide.asm.wasm"
	plain, _ := io.ReadAll(get(t, url).Body)
	res := get(t, url, "Accept-Encoding", "gzip, br")
	if res.Header.Get("Content-Encoding") != "br" || res.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("wasm with Accept-Encoding br: %v", res.Header)
	}
	unpacked, err := io.ReadAll(brotli.NewReader(res.Body))
	if err != nil || string(unpacked) != string(plain) {
		t.Fatalf("brotli body does not decode to the file (err %v)", err)
	}
	if res.ContentLength >= int64(len(plain))/2 {
		t.Errorf("brotli wasm is %d bytes of %d", res.ContentLength, len(plain))
	}
	etag := res.Header.Get("Etag")
	if again := get(t, url, "Accept-Encoding", "br", "If-None-Match", etag); again.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: got %d, want 304", again.StatusCode)
	}
	partial := get(t, url, "Range", "bytes=0-3")
	if b, _ := io.ReadAll(partial.Body); partial.StatusCode != http.StatusPartialContent || string(b) != "\x00asm" {
		t.Errorf("Range: got %d %q", partial.StatusCode, b)
	}
}

// The pinned MicroPython is served from the cache, like the pinned Pyodide
// (immutable, precompressed), whatever Pyodide is served from.
func TestMicroPython(t *testing.T) {
	dir, err := assets.MicroPython.Dir()
	if err != nil {
		t.Fatal(err)
	}
	cdn := "https://cdn.example.test/pyodide/v314.0.7/full"
	for _, cfg := range []Config{{}, {Pyodide: cdn}} {
		srv := serve(t, cfg)
		want, err := os.ReadFile(filepath.Join(dir, "micropython.wasm"))
		if err != nil {
			t.Fatal(err)
		}
		url := srv.URL + "/pyworker/micropython/v" + assets.MicroPython.Version + "/micropython.wasm"
		res := get(t, url)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/wasm" ||
			res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || string(body) != string(want) {
			t.Errorf("Pyodide %q: micropython.wasm: %d %q %q, %d bytes of %d", cfg.Pyodide, res.StatusCode,
				res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"), len(body), len(want))
		}
		res = get(t, url, "Accept-Encoding", "gzip, br")
		unpacked, err := io.ReadAll(brotli.NewReader(res.Body))
		if res.Header.Get("Content-Encoding") != "br" || err != nil || string(unpacked) != string(want) ||
			res.ContentLength <= 0 || res.ContentLength >= int64(len(want)) {
			t.Errorf("Pyodide %q: micropython.wasm as br: %v, %d bytes, decodes to the file: %v (%v)", cfg.Pyodide,
				res.Header.Get("Content-Encoding"), res.ContentLength, string(unpacked) == string(want), err)
		}
		if res := get(t, srv.URL+"/pyworker/micropython/README.md"); res.StatusCode != http.StatusNotFound {
			t.Errorf("README.md, not kept: %d", res.StatusCode)
		}
	}
}

func TestRefusesPathsOutside(t *testing.T) {
	srv := serve(t, Config{})
	for _, path := range []string{
		"/pyworker/pyodide/../../../../etc/passwd",
		"/pyworker/pyodide/..%2f..%2f..%2fetc%2fpasswd",
		"/pyworker/pyodide/%2e%2e/%2e%2e/compressed",
		"/pyworker/pyodide/pyodide.mjs%00.txt",
		"/pyworker/..%5c..%5cgo.mod",
		"//etc/passwd",
	} {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req.URL.Opaque = path // sent as written, not cleaned by the client
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode == http.StatusOK || strings.Contains(string(body), "root:") {
			t.Errorf("%s: served (%d)", path, res.StatusCode)
		}
	}
}

func TestPyodideFromCDN(t *testing.T) {
	srv := serve(t, Config{Pyodide: "https://cdn.example.test/pyodide/v314.0.7/full"})
	body, _ := io.ReadAll(get(t, srv.URL+"/pyworker/pyworker.js").Body)
	if !strings.Contains(string(body), `"https://cdn.example.test/pyodide/v314.0.7/full/"`) {
		t.Error("pyworker.js does not point at the CDN")
	}
	if res := get(t, srv.URL+"/pyworker/pyodide/pyodide.mjs"); res.StatusCode != http.StatusNotFound {
		t.Errorf("with a CDN the local assets are still served: %d", res.StatusCode)
	}
	if _, err := New(Config{Pyodide: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "not a Pyodide folder") {
		t.Errorf("an empty folder as Pyodide: err = %v", err)
	}
}

// A Pyodide folder of the user's is served as it is: compressed in memory,
// never written to, and not marked immutable.
func TestPyodideFromFolder(t *testing.T) {
	parent := t.TempDir()
	dir := parent + "/mypyodide"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	script := strings.Repeat("export const loadPyodide = () => 'a local copy';\n", 200)
	if err := os.WriteFile(dir+"/pyodide.mjs", []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := serve(t, Config{Pyodide: dir})
	res := get(t, srv.URL+"/pyworker/pyodide/pyodide.mjs", "Accept-Encoding", "br")
	unpacked, err := io.ReadAll(brotli.NewReader(res.Body))
	if err != nil || string(unpacked) != script || res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("local pyodide.mjs: %v %q %v", err, res.Header.Get("Cache-Control"), len(unpacked))
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("serving wrote beside the folder: %v", entries)
	}
}

// A project folder packed as a zip, served like the rest of the site.
func TestPacks(t *testing.T) {
	project := t.TempDir()
	os.WriteFile(project+"/main.py", []byte("print('hi')\n"), 0o644)
	app := fstest.MapFS{"index.html": {Data: []byte("<p>app</p>")}, "app.zip": {Data: []byte("shadowed")}}
	cdn := "https://cdn.example.test/pyodide/v314.0.7/full" // no need for the cached Pyodide
	srv := serve(t, Config{App: app, Pyodide: cdn, Packs: map[string]string{"/app.zip": project}})

	res := get(t, srv.URL+"/app.zip")
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(string(body), "PK") {
		t.Errorf("/app.zip: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	for k, v := range isolationHeaders {
		if got := res.Header.Get(k); got != v {
			t.Errorf("/app.zip: %s = %q, want %q", k, got, v)
		}
	}
	if again := get(t, srv.URL+"/app.zip", "If-None-Match", res.Header.Get("ETag")); again.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", again.StatusCode)
	}
	if body, _ := io.ReadAll(get(t, srv.URL+"/").Body); string(body) != "<p>app</p>" {
		t.Errorf("/ with packs: %q", body)
	}

	for _, tc := range []struct{ urlPath, dir, says string }{
		{"app.zip", project, `"app.zip"`},
		{"/app.zip/", project, `"/app.zip/"`},
		{"/a/../app.zip", project, `"/a/../app.zip"`},
		{"/pyworker/app.zip", project, `"/pyworker/app.zip"`},
		{"/missing.zip", project + "/nothing", project + "/nothing: no such file"},
	} {
		_, err := New(Config{App: app, Pyodide: cdn, Packs: map[string]string{tc.urlPath: tc.dir}})
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("Packs %s=%s: err = %v, want %q", tc.urlPath, tc.dir, err, tc.says)
		}
	}
}
