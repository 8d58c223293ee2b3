// Package e2e proves pyworker in real headless Chromium: a real server, real
// workers, real Pyodide. The tests share one browser and, where a test does
// not need a fresh interpreter, one warm worker (the page's asyncRun worker).
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pyworker/pyworker/internal/chrome"
	"github.com/pyworker/pyworker/internal/site"
)

var (
	// testURL serves testdata/ at / and pyworker at /pyworker/, testdata/app packed at /app.zip,
	// and the interpreter with a file broken at /faulty/ (see withFaultyAssets).
	testURL string
	// unisolatedURL serves testdata/ without the cross-origin isolation headers.
	unisolatedURL string
	// serviceWorkerURL serves testdata/ without the headers, offering the service worker's channel.
	serviceWorkerURL string
	// playgroundURL serves the playground, as `pyworker serve` does.
	playgroundURL string
	browser       context.Context
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
	for _, s := range []struct {
		url *string
		cfg site.Config
	}{
		{&testURL, site.Config{App: root.FS(), Packs: map[string]string{"/app.zip": "testdata/app"}}},
		{&unisolatedURL, site.Config{App: root.FS(), Isolation: "off"}},
		{&serviceWorkerURL, site.Config{App: root.FS(), Isolation: "service-worker"}},
		{&playgroundURL, site.Config{}},
	} {
		h, err := site.New(s.cfg)
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err, "(run `go run ./cmd/pyworker fetch` first)")
			return 1
		}
		if s.url == &testURL {
			h = withFaultyAssets(h)
		}
		srv := httptest.NewServer(h) // 127.0.0.1 only
		defer srv.Close()
		*s.url = srv.URL
	}
	ctx, cancel, err := chrome.Start(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer cancel()
	browser = ctx
	return m.Run()
}

// openPage opens the test page in a new tab, closed when the test ends.
func openPage(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	navigate(t, ctx, testURL+"/")
	return ctx
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	if strings.HasSuffix(url, "/") && !strings.HasPrefix(url, playgroundURL) {
		waitLoaded(t, ctx)
	}
}

// waitLoaded waits until the test page has set window.loaded (it has its pyworker).
func waitLoaded(t *testing.T, ctx context.Context) {
	t.Helper()
	evaluate[bool](t, ctx, `new Promise(r => { const w = () => window.loaded ? r(true) : setTimeout(w, 10); w(); })`)
}

var (
	sharedOnce sync.Once
	sharedTab  context.Context
)

// warmPage is one tab, kept for the whole run, whose asyncRun worker has started.
func warmPage(t *testing.T) context.Context {
	t.Helper()
	sharedOnce.Do(func() {
		ctx, _ := chromedp.NewContext(browser)
		if err := chromedp.Do(ctx, chromedp.Navigate(testURL+"/")); err != nil {
			t.Fatal(err)
		}
		sharedTab = ctx
		waitLoaded(t, ctx)
		evaluate[int](t, ctx, `pyworker.asyncRun("1+1").then(r => r.results)`)
	})
	if sharedTab == nil {
		t.Fatal("the shared page did not start")
	}
	if err := chromedp.Do(sharedTab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.BringToFront, cdp.Empty{})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	return sharedTab
}

// evaluate runs a JavaScript expression in the page, awaits it if it is a
// promise, and returns its value decoded as T.
func evaluate[T any](t *testing.T, ctx context.Context, expression string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expression, err)
	}
	return v
}

// collectGarbage has the page's JavaScript heap collected now.
func collectGarbage(t *testing.T, tab context.Context) {
	t.Helper()
	err := chromedp.Do(tab, chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		return cdp.Call(ctx, tg, heapprofiler.CollectGarbage, cdp.Empty{})
	}))
	if err != nil {
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
