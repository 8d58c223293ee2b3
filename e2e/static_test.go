package e2e

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyworker/pyworker"
	"github.com/pyworker/pyworker/internal/static"
)

// `pyworker build` makes a folder that works on a static server that sends
// no special headers (the page isolates itself through the service worker
// at the root) and on one that applies `_headers` as Netlify does (isolated
// with no service worker); both give the page asyncRun, a sync call and an
// export. The same app builds to the same bytes.
func TestStaticBuild(t *testing.T) {
	app := os.DirFS("testdata/static-app")
	out, again := filepath.Join(t.TempDir(), "site"), filepath.Join(t.TempDir(), "site")
	for _, dir := range []string{out, again} {
		if err := pyworker.Build(context.Background(), dir, pyworker.BuildOptions{App: app}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := treeOf(t, out), treeOf(t, again); a != b {
		t.Errorf("two builds of one app differ:\n%s\nagainst\n%s", a, b)
	}

	// controlled: whether the page came through the service worker at the root.
	want := func(controlled bool) staticCalls {
		return staticCalls{Sum: 2.0, Greeting: "Hello, static!", Channel: pageChannels(true)[0], Isolated: true, Controlled: controlled}
	}

	t.Run("plain static server", func(t *testing.T) {
		srv := httptest.NewServer(withScripts(http.FileServer(http.Dir(out)))) // 127.0.0.1 only
		t.Cleanup(srv.Close)
		tab := newTab(t)
		openSelfIsolating(t, tab, srv.URL+"/")
		if got := call[staticCalls](t, tab, "static.calls"); got != want(true) {
			t.Errorf("got %+v, want %+v", got, want(true))
		}
	})
	t.Run("server applying _headers", func(t *testing.T) {
		srv := httptest.NewServer(withScripts(withHeadersFile(t, out)))
		t.Cleanup(srv.Close)
		tab := newTab(t)
		navigate(t, tab, srv.URL+"/")
		if got := call[staticCalls](t, tab, "static.calls"); got != want(false) {
			t.Errorf("got %+v, want %+v", got, want(false))
		}
	})
}

// staticCalls is what static.calls saw on a built app's page.
type staticCalls struct {
	Sum                  float64
	Greeting, Channel    string
	Isolated, Controlled bool
}

// treeOf lists every file under dir with its size and a digest of its bytes.
func treeOf(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		sum := sha256.Sum256(data)
		fmt.Fprintf(&b, "%s %d %x\n", rel, len(data), sum)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// withHeadersFile serves dir's files with its `_headers` applied.
func withHeadersFile(t *testing.T, dir string) http.Handler {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "_headers"))
	if err != nil {
		t.Fatal(err)
	}
	h, err := static.WithHeaders(data, http.FileServer(http.Dir(dir)))
	if err != nil {
		t.Fatal(err)
	}
	return h
}
