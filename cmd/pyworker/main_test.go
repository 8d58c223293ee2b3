package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pyworker/pyworker/internal/testfiles"
)

// bin is the real binary, built once for the tests.
var bin string

func TestMain(m *testing.M) {
	tmp, err := os.MkdirTemp("", "pyworker-test")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(tmp, "pyworker")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(tmp)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// The real binary: serve DIR on a free port, log requests, stop on Ctrl-C.
func TestServeCommand(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>my app</p>"), 0o644)
	os.WriteFile(filepath.Join(filepath.Dir(dir), "secret.txt"), []byte("secret"), 0o644)
	project := t.TempDir()
	os.WriteFile(filepath.Join(project, "main.py"), []byte("print('hi')\n"), 0o644)

	// Flags after DIR count too.
	cmd, url, stderr := startServe(t, "--addr", "127.0.0.1:0", "-v", dir, "--pack", "/app.zip="+project)
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "<p>my app</p>" || res.Header.Get("Cross-Origin-Embedder-Policy") != "require-corp" {
		t.Errorf("GET /: %q %v", body, res.Header)
	}
	if res, err := http.Get(url + "../secret.txt"); err == nil && res.StatusCode == 200 {
		t.Error("served a file outside DIR")
	}
	if res, err := http.Get(url + "pyworker/pyworker.js"); err != nil || res.StatusCode != 200 {
		t.Errorf("runtime: %v %v", res, err)
	}
	if res, err := http.Get(url + "app.zip"); err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" {
		t.Errorf("--pack: %v %v", res, err)
	}

	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	logs, _ := io.ReadAll(stderr)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after Ctrl-C: %v\n%s", err, logs)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on Ctrl-C")
	}
	for _, want := range []string{"GET / 200", "GET /pyworker/pyworker.js 200", "GET /app.zip 200", "shutting down"} {
		if !strings.Contains(string(logs), want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

// startServe starts `pyworker serve` with args, killed when the test ends,
// and returns it, the URL it serves and its standard error.
func startServe(t *testing.T, args ...string) (*exec.Cmd, string, io.Reader) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "pyworker serving on http://127.0.0.1:") {
		t.Fatalf("first line %q, %v", line, err)
	}
	return cmd, strings.TrimSpace(strings.TrimPrefix(line, "pyworker serving on ")), stderr
}

// craftedApp is an app folder with secrets beside its pages: dotfiles,
// dot-folders at the top and below, and a .well-known/ file that is public.
func craftedApp(t *testing.T) string {
	t.Helper()
	return testfiles.Folder(t, map[string]string{
		"index.html": "<!doctype html><head><title>app</title></head>", "main.py": "import json\n",
		".env": "API_TOKEN=secret", ".git/config": "[core]\n\trepositoryformatversion = 0", ".git/objects/ab/cd": "blob",
		"app/.secret": "token", ".venv/lib/site.py": "import numpy\n", ".well-known/security.txt": "Contact: mailto:someone@example.org",
	})
}

// serve hides the folder's dotfiles however the path is spelled, but not
// .well-known/ nor the runtime; --dotfiles allow serves them, and says so.
func TestServeDotfiles(t *testing.T) {
	dir := craftedApp(t)
	_, url, _ := startServe(t, "--addr", "127.0.0.1:0", "--pyodide", "https://cdn.example.org/pyodide/", dir)
	status := func(url string) int {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	hidden := []string{".env", ".git/config", ".git/", "app/.secret", ".venv/lib/site.py", "%2egit/config", "%2Eenv", "app/%2esecret"}
	for _, path := range hidden {
		if got := status(url + path); got != http.StatusNotFound {
			t.Errorf("GET /%s: %d, want 404", path, got)
		}
	}
	for _, path := range []string{"", ".well-known/security.txt", "main.py", "pyworker/pyworker.js"} {
		if got := status(url + path); got != http.StatusOK {
			t.Errorf("GET /%s: %d, want 200", path, got)
		}
	}
	cmd, url, stderr := startServe(t, "--addr", "127.0.0.1:0", "--pyodide", "https://cdn.example.org/pyodide/", "--dotfiles", "allow", dir)
	for _, path := range []string{".env", ".git/config", "app/.secret"} {
		if got := status(url + path); got != http.StatusOK {
			t.Errorf("--dotfiles allow, GET /%s: %d, want 200", path, got)
		}
	}
	cmd.Process.Kill()
	if said, _ := io.ReadAll(stderr); !strings.Contains(string(said), "--dotfiles allow: the folder's dotfiles and dot-folders (.env, .git/) are served") {
		t.Errorf("--dotfiles allow, serve said: %s", said)
	}
	if _, stderr, err := run("serve", "--dotfiles", "sometimes", dir); err == nil || !strings.Contains(stderr, `want hide or allow, not "sometimes"`) {
		t.Errorf("--dotfiles sometimes: %v\n%s", err, stderr)
	}
}

// run runs the binary and returns its stdout, stderr and error.
func run(args ...string) (stdout, stderr string, err error) {
	var out, errOut strings.Builder
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

func TestPackCommand(t *testing.T) {
	project := t.TempDir()
	os.MkdirAll(filepath.Join(project, "pkg", "__pycache__"), 0o755)
	os.WriteFile(filepath.Join(project, "main.py"), []byte("import pkg\n"), 0o644)
	os.WriteFile(filepath.Join(project, "pkg", "__init__.py"), []byte("x = 1\n"), 0o644)
	os.WriteFile(filepath.Join(project, "pkg", "__pycache__", "__init__.cpython-313.pyc"), []byte("bytecode"), 0o644)

	// DIR before -o, as people write it.
	out := filepath.Join(t.TempDir(), "app.zip")
	if stdout, stderr, err := run("pack", project, "-o", out); err != nil || strings.TrimSpace(stdout) != out {
		t.Fatalf("pack: %v %q\n%s", err, stdout, stderr)
	}
	r, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name)
	}
	r.Close()
	if strings.Join(names, " ") != "main.py pkg/__init__.py" {
		t.Errorf("entries %q", names)
	}
	// The same zip when written into the folder itself, however often.
	want, _ := os.ReadFile(out)
	inside := filepath.Join(project, "app.zip")
	for range 2 {
		if _, stderr, err := run("pack", "-o", inside, project); err != nil {
			t.Fatalf("pack into DIR: %v\n%s", err, stderr)
		}
		if got, _ := os.ReadFile(inside); !bytes.Equal(got, want) {
			t.Fatal("the zip written inside DIR differs")
		}
	}

	// A failure says why and leaves the previous zip alone.
	os.Symlink(filepath.Join("..", "..", "..", "etc", "passwd"), filepath.Join(project, "pkg", "leak"))
	if _, stderr, err := run("pack", project, "-o", out); err == nil || !strings.Contains(stderr, "pkg/leak") {
		t.Errorf("symlink out: %v %q", err, stderr)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, want) {
		t.Error("a failed pack changed the previous zip")
	}
	if left, _ := os.ReadDir(filepath.Dir(out)); len(left) != 1 {
		t.Errorf("a failed pack left %v", left)
	}
	missing := filepath.Join(t.TempDir(), "nothing")
	if _, stderr, err := run("pack", missing, "-o", out); err == nil || !strings.Contains(stderr, missing) {
		t.Errorf("missing DIR: %v %q", err, stderr)
	}
}

// Bad --pack values stop serve before it listens.
func TestServePackErrors(t *testing.T) {
	cdn := "https://cdn.example.test/pyodide" // no need for the cached Pyodide
	missing := filepath.Join(t.TempDir(), "nothing")
	for _, tc := range []struct{ value, says string }{
		{"app.zip", "want URLPATH=DIR"},
		{"/app.zip=", "want URLPATH=DIR"},
		{"/app.zip=" + missing, missing + ": no such file"},
		{"app.zip=" + t.TempDir(), `"app.zip"`},
	} {
		stdout, stderr, err := run("serve", "--addr", "127.0.0.1:0", "--pyodide", cdn, "--pack", tc.value)
		if err == nil || !strings.Contains(stderr, tc.says) || stdout != "" {
			t.Errorf("--pack %s: %v %q %q, want %q", tc.value, err, stdout, stderr, tc.says)
		}
	}
}

// fetch -packages checks each file against the lock file before keeping it,
// and names what it cannot fetch; serve refuses an upstream that is not one.
func TestPackagesFlags(t *testing.T) {
	upstream := t.TempDir()
	os.WriteFile(filepath.Join(upstream, "micropip-0.11.1-py3-none-any.whl"), []byte("not micropip"), 0o644)
	_, stderr, err := run("fetch", "-packages", "micropip", "-packages-from", upstream)
	if err == nil || !strings.Contains(stderr, "package micropip: "+filepath.Join(upstream, "micropip-0.11.1-py3-none-any.whl")+" does not match the lock file's sha256") {
		t.Errorf("a tampered package: %v\n%s", err, stderr)
	}
	_, stderr, err = run("fetch", "-packages", "numpy,nonesuch", "-packages-from", upstream)
	if err == nil || !strings.Contains(stderr, "no package nonesuch in Pyodide's lock file") {
		t.Errorf("an unknown package: %v\n%s", err, stderr)
	}
	_, stderr, err = run("serve", "-addr", "127.0.0.1:0", "-packages-from", filepath.Join(upstream, "nonesuch"))
	if err == nil || !strings.Contains(stderr, "packages from "+filepath.Join(upstream, "nonesuch")+": not a URL, a folder or \"none\"") {
		t.Errorf("serve with a missing upstream folder: %v\n%s", err, stderr)
	}
}

// build writes the app with the runtime and the interpreters beside it, and
// refuses an app that would be overwritten.
func TestBuildCommand(t *testing.T) {
	app := t.TempDir()
	os.WriteFile(filepath.Join(app, "index.html"), []byte("<!doctype html><head><title>app</title></head>"), 0o644)
	out := filepath.Join(t.TempDir(), "dist")
	stdout, stderr, err := run("build", app, "-o", out)
	if err != nil || strings.TrimSpace(stdout) != out {
		t.Fatalf("build: %v, %q\n%s", err, stdout, stderr)
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if want := `<head><script src="pyworker/isolate.js" data-service-worker="pyworker-sw.js"></script><title>`; !strings.Contains(string(page), want) {
		t.Errorf("index.html: %s", page)
	}
	for _, name := range []string{"_headers", "pyworker-sw.js", "pyworker/pyworker.js", "pyworker/pyworker.js.br", "pyworker/pyodide/v314.0.7/pyodide.asm.wasm.gz", "pyworker/micropython/v1.27.0/micropython.wasm"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	os.MkdirAll(filepath.Join(app, "pyworker"), 0o755)
	os.WriteFile(filepath.Join(app, "pyworker", "pyworker.js"), []byte("mine"), 0o644)
	if _, stderr, err := run("build", app, "-o", out); err == nil || !strings.Contains(stderr, "the app's pyworker/pyworker.js would be overwritten") {
		t.Errorf("an app with a pyworker folder: %v\n%s", err, stderr)
	}
}

// build leaves the app's dotfiles out, and the imports they hold, saying
// which; --dotfiles allow builds them in.
func TestBuildDotfiles(t *testing.T) {
	app := craftedApp(t)
	// No package is there to fetch: a build that read .venv's `import numpy` fails.
	packagesFrom := t.TempDir()
	out := filepath.Join(t.TempDir(), "dist")
	_, stderr, err := run("build", app, "-o", out, "--packages-from", packagesFrom)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	if want := "dotfiles and dot-folders left out (4): .env, .git/, .venv/, app/.secret; --dotfiles allow builds them in"; !strings.Contains(stderr, want) {
		t.Errorf("build said:\n%s\nwant %q", stderr, want)
	}
	var built []string
	filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if rel, _ := filepath.Rel(out, path); err == nil && strings.HasPrefix(d.Name(), ".") && d.Name() != ".well-known" {
			built = append(built, rel)
		}
		return err
	})
	if len(built) > 0 {
		t.Errorf("the build holds dotfiles: %v", built)
	}
	if _, err := os.Stat(filepath.Join(out, ".well-known", "security.txt")); err != nil {
		t.Errorf(".well-known/security.txt: %v", err)
	}

	os.RemoveAll(filepath.Join(app, ".venv"))
	if _, stderr, err := run("build", app, "-o", out, "--packages-from", packagesFrom, "--dotfiles", "allow"); err != nil || strings.Contains(stderr, "left out") {
		t.Fatalf("build --dotfiles allow: %v\n%s", err, stderr)
	}
	for _, name := range []string{".env", ".git/config", "app/.secret"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(name))); err != nil {
			t.Errorf("--dotfiles allow: %v", err)
		}
	}
}
