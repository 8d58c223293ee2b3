package bench

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A baseline is the folder `pyworker build` wrote, or its pyworker/ folder;
// anything else is refused, saying what to give.
func TestOpenBaseline(t *testing.T) {
	site := t.TempDir()
	folder := filepath.Join(site, "pyworker")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "pyworker.js"), []byte("// the baseline's runtime\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{site, folder} {
		files, err := openBaseline(dir, nil)
		if err != nil {
			t.Fatalf("openBaseline(%s): %v", dir, err)
		}
		if _, err := files.Open("pyworker.js"); err != nil {
			t.Errorf("openBaseline(%s) has no pyworker.js: %v", dir, err)
		}
	}
	_, err := openBaseline(t.TempDir(), nil)
	if err == nil || !strings.Contains(err.Error(), "pyworker build -o") {
		t.Errorf("a folder without pyworker.js: got %v, want an error saying to give what pyworker build wrote", err)
	}
}

// The baseline's server serves the benchmark's pages and, at /pyworker/,
// the baseline's files, isolated as this build's are.
func TestBaselineServer(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pyworker.js"), []byte("// the baseline's runtime\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := openBaseline(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := startServer("headers", "", files)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.close()
	get := func(path string) (*http.Response, string) {
		resp, err := http.Get(srv.url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(body)
	}
	resp, body := get("/pyworker/pyworker.js")
	if resp.StatusCode != http.StatusOK || body != "// the baseline's runtime\n" {
		t.Errorf("/pyworker/pyworker.js: %s %q, want the baseline's file", resp.Status, body)
	}
	if got := resp.Header.Get("Cross-Origin-Embedder-Policy"); got != "require-corp" {
		t.Errorf("the baseline's files are served with Cross-Origin-Embedder-Policy %q, want require-corp", got)
	}
	if resp, body := get("/harness.js"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "export function install") {
		t.Errorf("/harness.js beside the baseline: %s, want the benchmark's harness", resp.Status)
	}
}
