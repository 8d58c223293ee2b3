// Package e2e proves pyworker in real headless browsers: a real server, real
// workers, real Pyodide. The suite runs once per engine (internal/browser):
// those named in $PYWORKER_ENGINES, else every one installed. On each, the
// tests share one browser and, where a test does not need a fresh
// interpreter, one warm worker (the page's asyncRun worker). They drive a
// page only by evaluating JavaScript in it, and expect of each engine what
// its running browser offers (browser.Find: JSPI, shared memory).
package e2e

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyworker/pyworker/internal/browser"
	"github.com/pyworker/pyworker/internal/bundle"
	"github.com/pyworker/pyworker/internal/mirror"
	"github.com/pyworker/pyworker/internal/site"
)

var (
	// testURL serves testdata/ at / and pyworker at /pyworker/, testdata/app packed at /app.zip,
	// and the interpreter with a file broken at /faulty/ (see withFaultyAssets).
	// Every server also serves the tests' page scripts at /scripts/ (see withScripts).
	testURL string
	// unisolatedURL serves testdata/ without the cross-origin isolation headers.
	unisolatedURL string
	// serviceWorkerURL serves testdata/ without the headers, offering the service worker's channel.
	serviceWorkerURL string
	// playgroundURL serves the playground, as `pyworker serve` does.
	playgroundURL string
	// engine is the engine under test, with what its browser, running as running, offers.
	engine  browser.Found
	running browser.Browser
	// scripts are testdata/scripts/*.ts bundled, by name (NAME.js): see bundleScripts.
	scripts map[string][]byte
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	root, err := os.OpenRoot("testdata")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// No package upstream and an empty store: tests reach nothing outside,
	// and find no package fetched on this machine before.
	store, err := os.MkdirTemp("", "pyworker-e2e-packages-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(store)
	scripts, err = bundleScripts()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	for _, s := range []struct {
		url *string
		cfg site.Config
	}{
		{&testURL, site.Config{App: root.FS(), Packs: map[string]string{"/app.zip": "testdata/app"}}},
		{&unisolatedURL, site.Config{App: root.FS(), Isolation: "off"}},
		{&serviceWorkerURL, site.Config{App: root.FS(), Isolation: "service-worker"}},
		{&playgroundURL, site.Config{}},
	} {
		s.cfg.PackagesFrom, s.cfg.PackageStore = mirror.Off, store
		h, err := site.New(s.cfg)
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err, "(run `go run ./cmd/pyworker fetch` first)")
			return 1
		}
		if s.url == &testURL {
			h = withFaultyAssets(h)
		}
		h = withScripts(asPyScriptPages(h))
		srv := httptest.NewServer(h) // 127.0.0.1 only
		defer srv.Close()
		*s.url = srv.URL
	}
	engines, err := enginesToRun()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	code := 0
	for _, e := range engines {
		fmt.Printf("e2e: the suite on %s: %s\n", e.Name, e.About)
		if runOn(m, e) != 0 {
			code = 1
		}
	}
	return code
}

// enginesToRun are those named by $PYWORKER_ENGINES (comma-separated), else
// every engine installed here; those not installed are named, with why.
func enginesToRun() ([]browser.Engine, error) {
	var run []browser.Engine
	if names := os.Getenv("PYWORKER_ENGINES"); names != "" {
		for _, name := range strings.Split(names, ",") {
			e, err := browser.Lookup(name)
			if err != nil {
				return nil, fmt.Errorf("PYWORKER_ENGINES: %w", err)
			}
			run = append(run, e)
		}
		return run, nil
	}
	for _, e := range browser.Engines {
		if err := e.Installed(); err != nil {
			fmt.Printf("e2e: not on %s: %v\n", e.Name, err)
			continue
		}
		run = append(run, e)
	}
	if len(run) == 0 {
		return nil, fmt.Errorf("no browser is installed: see the README")
	}
	return run, nil
}

// runOn runs the suite on one engine, with a browser and a warm page of its own.
func runOn(m *testing.M, e browser.Engine) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	started, err := e.Start(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer started.Close()
	offers, err := browser.Find(ctx, started)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: what the browser offers:", err)
		return 1
	}
	engine = browser.Found{Engine: e, Offers: offers}
	fmt.Printf("e2e: %s is %s; the suite expects what it offers\n", e.Name, offers)
	running = started
	sharedOnce, sharedTab = sync.Once{}, nil
	if only := subsets[e.Name]; only != "" && flag.Lookup("test.run").Value.String() == "" {
		fmt.Printf("e2e: on %s, only the tests whose path depends on what sets it apart\n", e.Name)
		flag.Set("test.run", only)
		defer flag.Set("test.run", "")
	}
	return m.Run()
}

// subsets name, for an engine that differs from another only in one thing,
// the tests whose path depends on that thing (the rest would retrace the
// other engine's steps, and the suite must stay well inside CI's time).
// webkit-nosab is webkit without SharedArrayBuffer, which only isolated
// pages have: the tests on an isolated page whose path depends on shared
// memory (channels, interrupts, big arrays, the request lane, the
// playground). Pages without isolation lack it on both.
var subsets = map[string]string{
	"webkit-nosab": "^(TestChannels|TestTerminateDuringSyncCall|TestDeadlock|TestIsolatedWithoutSharedArrayBuffer|TestIsolateScript|" +
		"TestInterrupt|TestInterruptAtOnce|TestInterruptDuringInput|TestInterruptDuringSleep|TestBigArray.*|TestTypedArrayContext|" +
		"TestOutputStreams|TestHungCallReplaced|TestPlaygroundInteractive|TestWorkerFromFile|" +
		"TestAsyncEventHandler|TestBinaryViewsCross|TestInputWithoutStdin|TestCallOrder|TestManyCallsInFlight|" +
		"TestMicroPythonSync|TestMicroPythonRunsPyScriptWorker|TestMicroPythonPageObjects|" +
		"TestPyScriptCommonUseCase|TestPyScriptNamedWorker|TestPyScriptSyncHello|TestPyScriptServiceWorkerAttribute|TestStaticBuild)$",
}

// syncURL serves the test page so that the engine under test gives its
// workers a synchronous channel: isolated, with shared memory; else without
// the headers, for JSPI; else with the service worker's channel.
func syncURL() string {
	switch {
	case engine.SharedMemory:
		return testURL
	case engine.JSPI:
		return unisolatedURL
	}
	return serviceWorkerURL
}

// openSyncPage opens the test page at syncURL in a new tab, closed when the test ends.
func openSyncPage(t *testing.T) browser.Tab {
	t.Helper()
	page := newTab(t)
	navigate(t, page, syncURL()+"/")
	return page
}

// openPage opens the test page in a new tab, closed when the test ends.
func openPage(t *testing.T) browser.Tab {
	t.Helper()
	page := newTab(t)
	navigate(t, page, testURL+"/")
	return page
}

// newTab opens an empty tab, closed when the test ends.
func newTab(t *testing.T) browser.Tab {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	page, err := running.NewTab(ctx)
	if err != nil {
		t.Fatalf("opening a tab in %s: %v", engine.Name, err)
	}
	t.Cleanup(func() { page.Close() })
	return page
}

// navigate opens url in the tab; a test page's (testdata's index) once it has its pyworker.
func navigate(t *testing.T, page browser.Tab, url string) {
	t.Helper()
	goTo(t, page, url)
	if strings.HasSuffix(url, "/") && !strings.HasPrefix(url, playgroundURL) {
		waitLoaded(t, page)
	}
}

// goTo opens url in the tab and waits for its load event.
func goTo(t *testing.T, page browser.Tab, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if err := page.Navigate(ctx, url); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
}

// waitLoaded waits until the test page has set window.loaded (it has its pyworker).
func waitLoaded(t *testing.T, page browser.Tab) {
	t.Helper()
	evaluate[bool](t, page, `new Promise(r => { const w = () => window.loaded ? r(true) : setTimeout(w, 10); w(); })`)
}

// The warm page: one tab per engine, kept for the run, whose asyncRun worker has started.
var (
	sharedOnce sync.Once
	sharedTab  browser.Tab
)

// warmPage is the warm page, in front.
func warmPage(t *testing.T) browser.Tab {
	t.Helper()
	sharedOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		page, err := running.NewTab(ctx)
		if err == nil {
			err = page.Navigate(ctx, testURL+"/")
		}
		if err != nil {
			t.Fatal(err)
		}
		sharedTab = page
		waitLoaded(t, page)
		evaluate[int](t, page, `pyworker.asyncRun("1+1").then(r => r.results)`)
	})
	if sharedTab == nil {
		t.Fatal("the shared page did not start")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := sharedTab.Front(ctx); err != nil {
		t.Fatal(err)
	}
	return sharedTab
}

// evaluate runs a JavaScript expression in the page, awaits it if it is a
// promise, and returns its value decoded (as JSON) as T.
func evaluate[T any](t *testing.T, page browser.Tab, expression string) T {
	t.Helper()
	v, err := tryEvaluate[T](page, expression)
	if err != nil {
		t.Fatalf("evaluating %s: %v", expression, err)
	}
	return v
}

// tryEvaluate is evaluate, its error returned.
func tryEvaluate[T any](page browser.Tab, expression string) (T, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var v T
	err := page.Evaluate(ctx, expression, &v)
	return v, err
}

// call runs fn, "MODULE.FUNCTION", an async function exported by
// testdata/scripts/MODULE.ts, in the page with args (sent as JSON), and
// returns its result decoded (as JSON) as T.
func call[T any](t *testing.T, page browser.Tab, fn string, args ...any) T {
	t.Helper()
	module, name, ok := strings.Cut(fn, ".")
	if !ok {
		t.Fatalf("call %q: want MODULE.FUNCTION", fn)
	}
	if args == nil {
		args = []any{}
	}
	return evaluate[T](t, page, fmt.Sprintf(`import("/scripts/%s.js").then((m) => m.%s(...%s))`, module, name, jsonOf(t, args)))
}

// bundleScripts bundles each testdata/scripts/NAME.ts (with the Python it
// imports as text) into NAME.js; its imports of /pyworker/pyworker.js stay
// imports, so that a script drives the page's own pyworker.
func bundleScripts() (map[string][]byte, error) {
	dir := os.DirFS("testdata/scripts")
	names, err := fs.Glob(dir, "*.ts")
	if err != nil {
		return nil, err
	}
	entries := make(map[string]string, len(names))
	for _, name := range names {
		entries[strings.TrimSuffix(name, ".ts")+".js"] = name
	}
	return bundle.Build(dir, bundle.Options{Entries: entries})
}

// withScripts serves site, and the bundled scripts at /scripts/NAME.js.
func withScripts(site http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, "/scripts/")
		script, found := scripts[name]
		if !ok || !found {
			site.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(script)
	})
}

// collectGarbage has the page's JavaScript heap collected now.
func collectGarbage(t *testing.T, page browser.Tab) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := page.CollectGarbage(ctx); err != nil {
		t.Fatalf("collecting the page's garbage: %v", err)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
