package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/mirror"
	"github.com/pyworker/pyworker/internal/site"
)

// The server fetches a lock-file package from its upstream on first use,
// checked against the lock file's sha256 and kept: Python imports it with
// nothing configured. A package fetched ahead (as `pyworker fetch
// --packages` does) and one fetched before both load once the upstream is
// gone; a tampered one and one the gone upstream cannot give each fail
// naming the package and why.
func TestPackageMirror(t *testing.T) {
	dir := pyodideCopy(t)
	upstreamDir := t.TempDir()
	tampered := writeWheel(t, upstreamDir, "mirror-tampered", "mirrortampered", "changed after the lock file was made")
	tampered["sha256"] = strings.Repeat("0", 64)
	addToLockFile(t, dir,
		writeWheel(t, upstreamDir, "mirrored-package", "mirroredpkg", "hi from the mirror"),
		writeWheel(t, upstreamDir, "ahead-package", "aheadpkg", "hi from ahead"),
		writeWheel(t, upstreamDir, "unreached-package", "unreachedpkg", "never served"),
		tampered,
	)
	upstream := httptest.NewServer(http.FileServer(http.Dir(upstreamDir))) // 127.0.0.1 only
	t.Cleanup(upstream.Close)
	store := t.TempDir()

	ahead, err := mirror.Open(os.DirFS(dir), mirror.Options{From: upstream.URL, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	if err := ahead.Fetch(context.Background(), []string{"ahead-package"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(upstreamDir, "ahead_package-1.0.0-py3-none-any.whl")); err != nil {
		t.Fatal(err)
	}

	srv := serveTestdata(t, site.Config{Pyodide: dir, PackagesFrom: upstream.URL, PackageStore: store})
	tab := newTab(t)
	navigate(t, tab, srv.URL+"/")

	run := func(names ...string) []any {
		t.Helper()
		return call[[]any](t, tab, "install.installEach", names)
	}
	wheel := func(project string) string {
		return srv.URL + "/pyworker/pyodide/" + strings.ReplaceAll(project, "-", "_") + "-1.0.0-py3-none-any.whl"
	}
	check := func(got any, want ...string) {
		t.Helper()
		outcome, _ := got.([]any)
		if len(outcome) != 3 || outcome[0] != "ModuleNotFoundError" {
			t.Errorf("got %s, want a ModuleNotFoundError", jsonOf(t, got))
			return
		}
		if message, _ := outcome[2].(string); !containsAll(message, want) {
			t.Errorf("got %q, want it to say %q", message, want)
		}
	}

	got := run("mirroredpkg", "aheadpkg", "mirrortampered")
	if len(got) != 3 || got[0] != "hi from the mirror" || got[1] != "hi from ahead" {
		t.Fatalf("first worker: got %s", jsonOf(t, got))
	}
	check(got[2], "could not load its package 'mirror-tampered' from "+wheel("mirror-tampered")+": the server answered 502 Bad Gateway (pyworker: package mirror-tampered: "+upstream.URL+"/mirror_tampered-1.0.0-py3-none-any.whl does not match the lock file's sha256")

	upstream.Close()
	got = run("mirroredpkg", "unreachedpkg")
	if len(got) != 2 || got[0] != "hi from the mirror" {
		t.Fatalf("with the upstream gone: got %s", jsonOf(t, got))
	}
	check(got[1], "could not load its package 'unreached-package' from "+wheel("unreached-package")+": the server answered 502 Bad Gateway (pyworker: package unreached-package has not been fetched, and "+upstream.URL+"/unreached_package-1.0.0-py3-none-any.whl could not be: ", "fetch it ahead with: pyworker fetch --packages unreached-package)")

	kept, err := filepath.Glob(filepath.Join(store, "*", "*.whl"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, path := range kept {
		names = append(names, filepath.Base(path))
	}
	slices.Sort(names)
	if want := "ahead_package-1.0.0-py3-none-any.whl mirrored_package-1.0.0-py3-none-any.whl"; strings.Join(names, " ") != want {
		t.Errorf("the store keeps %v, want %s", names, want)
	}
}
