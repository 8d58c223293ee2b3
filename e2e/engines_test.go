package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pyworker/pyworker/internal/chrome"
	"github.com/pyworker/pyworker/internal/firefox"
	"github.com/pyworker/pyworker/internal/webkit"
)

// browserTab is a page of the engine under test. The suite drives it only by
// evaluating JavaScript and reading the values back (as JSON), so that the
// same tests run on every engine.
type browserTab interface {
	navigate(ctx context.Context, url string) error
	evaluate(ctx context.Context, expression string, out any) error
	// front makes the tab the one shown, where an engine slows the timers of the others.
	front(ctx context.Context) error
	// collectGarbage has the page's JavaScript heap collected now; not every engine lets a test ask.
	collectGarbage(ctx context.Context) error
	close()
}

// engine is a browser: started once for the suite, it opens tabs.
type engine interface {
	newTab(ctx context.Context) (browserTab, error)
	stop()
}

// engines names the engines the suite can run on, with how to start each.
var engines = map[string]func(ctx context.Context) (engine, error){
	"chromium": func(ctx context.Context) (engine, error) {
		browser, stop, err := chrome.Start(ctx)
		return &chromium{browser: browser, stopBrowser: stop}, err
	},
	"firefox": func(ctx context.Context) (engine, error) {
		browser, err := firefox.Start(ctx)
		return &gecko{browser: browser}, err
	},
	"webkit": func(ctx context.Context) (engine, error) {
		return &webkitGTK{options: webkit.Options{SharedMemory: true}}, nil
	},
}

// enginesToRun are those named by $PYWORKER_ENGINES (comma-separated), by default Chromium.
func enginesToRun() ([]string, error) {
	names := strings.Split(os.Getenv("PYWORKER_ENGINES"), ",")
	if names[0] == "" {
		names = []string{"chromium"}
	}
	for _, name := range names {
		if engines[name] == nil {
			return nil, fmt.Errorf("unknown engine %q in PYWORKER_ENGINES: want chromium, firefox or webkit", name)
		}
	}
	return names, nil
}

// asJSON wraps an expression so that its awaited value comes back as JSON text ("null" for undefined).
func asJSON(expression string) string {
	return "(async () => JSON.stringify(await (" + expression + ")) ?? \"null\")()"
}

// Chromium, through chromedp.
type chromium struct {
	browser     context.Context
	stopBrowser context.CancelFunc
}

func (c *chromium) newTab(context.Context) (browserTab, error) {
	tabCtx, cancel := chromedp.NewContext(c.browser)
	if err := chromedp.Do(tabCtx); err != nil {
		cancel()
		return nil, err
	}
	return &chromiumTab{ctx: tabCtx, cancel: cancel}, nil
}

func (c *chromium) stop() { c.stopBrowser() }

type chromiumTab struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// within is the tab's context, ended with ctx.
func (c *chromiumTab) within(ctx context.Context) (context.Context, context.CancelFunc) {
	tabCtx, cancel := context.WithCancel(c.ctx)
	stop := context.AfterFunc(ctx, cancel)
	return tabCtx, func() {
		stop()
		cancel()
	}
}

func (c *chromiumTab) navigate(ctx context.Context, url string) error {
	tabCtx, done := c.within(ctx)
	defer done()
	return chromedp.Do(tabCtx, chromedp.Navigate(url))
}

func (c *chromiumTab) evaluate(ctx context.Context, expression string, out any) error {
	tabCtx, done := c.within(ctx)
	defer done()
	text, err := chromedp.Run(tabCtx, chromedp.Evaluate[string](asJSON(expression), chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(text), out)
}

func (c *chromiumTab) front(ctx context.Context) error {
	tabCtx, done := c.within(ctx)
	defer done()
	return chromedp.Do(tabCtx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.BringToFront, cdp.Empty{})
		return err
	}))
}

func (c *chromiumTab) collectGarbage(ctx context.Context) error {
	tabCtx, done := c.within(ctx)
	defer done()
	return chromedp.Do(tabCtx, chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		return cdp.Call(ctx, tg, heapprofiler.CollectGarbage, cdp.Empty{})
	}))
}

func (c *chromiumTab) close() { c.cancel() }

// Firefox, through WebDriver BiDi (internal/firefox).
type gecko struct{ browser *firefox.Browser }

func (g *gecko) newTab(ctx context.Context) (browserTab, error) {
	t, err := g.browser.NewTab(ctx)
	return &geckoTab{t}, err
}

func (g *gecko) stop() { g.browser.Close() }

type geckoTab struct{ tab *firefox.Tab }

func (g *geckoTab) navigate(ctx context.Context, url string) error { return g.tab.Navigate(ctx, url) }
func (g *geckoTab) evaluate(ctx context.Context, expression string, out any) error {
	return g.tab.Evaluate(ctx, expression, out)
}
func (g *geckoTab) front(ctx context.Context) error { return g.tab.Activate(ctx) }
func (g *geckoTab) collectGarbage(context.Context) error {
	return fmt.Errorf("Firefox's WebDriver BiDi cannot collect a page's garbage on demand")
}
func (g *geckoTab) close() { g.tab.Close(context.Background()) }

// WebKitGTK, through WebKitWebDriver (internal/webkit): a session, and so a
// MiniBrowser, for each tab.
type webkitGTK struct{ options webkit.Options }

func (w *webkitGTK) newTab(ctx context.Context) (browserTab, error) {
	browser, err := webkit.Start(ctx, w.options)
	return &webkitTab{browser}, err
}

func (w *webkitGTK) stop() {}

type webkitTab struct{ browser *webkit.Browser }

func (w *webkitTab) navigate(ctx context.Context, url string) error {
	return w.browser.Navigate(ctx, url)
}
func (w *webkitTab) evaluate(ctx context.Context, expression string, out any) error {
	return w.browser.Evaluate(ctx, expression, out)
}
func (w *webkitTab) front(context.Context) error { return nil } // one window a session
func (w *webkitTab) collectGarbage(context.Context) error {
	return fmt.Errorf("WebKit's WebDriver cannot collect a page's garbage on demand")
}
func (w *webkitTab) close() { w.browser.Close() }
