// Package chromium drives headless Chromium through chromedp (the DevTools
// protocol), with the flags this closed network needs: a tab, navigate,
// evaluate and await a promise, bring to front, collect garbage.
package chromium

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Path finds the browser: $PYWORKER_CHROMIUM, else chromium or google-chrome on PATH.
func Path() (string, error) {
	if p := os.Getenv("PYWORKER_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("PYWORKER_CHROMIUM: %w", err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Chromium found: install Debian's chromium package or set PYWORKER_CHROMIUM")
}

// Browser is one headless Chromium with a fresh profile.
type Browser struct {
	ctx     context.Context
	stop    context.CancelFunc
	version string // the browser's product and version ("Chrome/156.0.8078.129")
}

// Start launches the browser; Close ends it and removes its profile.
func Start(ctx context.Context) (*Browser, error) {
	path, err := Path()
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "pyworker-chromium-")
	if err != nil {
		return nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Keep background tabs and timers at full speed: tests run tabs side by side.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.WindowSize(1200, 900),
	}
	// The browser lives as long as Close allows, not as long as ctx.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	stop := func() {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(browserCtx) }()
	select {
	case err = <-started:
	case <-ctx.Done():
		err = ctx.Err()
	}
	var version browser.GetVersionResult
	if err == nil {
		version, err = cdp.Call(ctx, chromedp.FromContext(browserCtx).Browser, browser.GetVersion, cdp.Empty{})
	}
	if err != nil {
		stop()
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	return &Browser{ctx: browserCtx, stop: stop, version: version.Product}, nil
}

// Version is the browser's product and version, as it reports them.
func (b *Browser) Version() string { return b.version }

// PID is the browser's main process.
func (b *Browser) PID() int { return chromedp.FromContext(b.ctx).Browser.Process().Pid }

// Close ends the browser.
func (b *Browser) Close() error {
	b.stop()
	return nil
}

// Tab is one page target.
type Tab struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// NewTab opens a tab.
func (b *Browser) NewTab(ctx context.Context) (*Tab, error) {
	tabCtx, cancel := chromedp.NewContext(b.ctx)
	// The tab lives as long as the context of its first action: tabCtx itself,
	// closed early if ctx ends first.
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	if err := chromedp.Do(tabCtx); err != nil {
		cancel()
		return nil, err
	}
	return &Tab{ctx: tabCtx, cancel: cancel}, nil
}

// within is the tab's context, ended with ctx.
func (t *Tab) within(ctx context.Context) (context.Context, context.CancelFunc) {
	tabCtx, cancel := context.WithCancel(t.ctx)
	stop := context.AfterFunc(ctx, cancel)
	return tabCtx, func() {
		stop()
		cancel()
	}
}

// Navigate loads url and waits for its load event.
func (t *Tab) Navigate(ctx context.Context, url string) error {
	within, done := t.within(ctx)
	defer done()
	return chromedp.Do(within, chromedp.Navigate(url))
}

// Evaluate runs a JavaScript expression in the page, awaits it if it is a
// promise, and decodes its value, as JSON, into out.
func (t *Tab) Evaluate(ctx context.Context, expression string, out any) error {
	within, done := t.within(ctx)
	defer done()
	// The value crosses as JSON text, as with the other engines ("null" for undefined).
	wrapped := "(async () => JSON.stringify(await (" + expression + ")) ?? \"null\")()"
	text, err := chromedp.Run(within, chromedp.Evaluate[string](wrapped, chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(text), out)
}

// Front makes the tab the one shown: Chromium slows the timers of the others.
func (t *Tab) Front(ctx context.Context) error { return t.call(ctx, page.BringToFront) }

// CollectGarbage has the page's JavaScript heap collected now.
func (t *Tab) CollectGarbage(ctx context.Context) error {
	return t.call(ctx, heapprofiler.CollectGarbage)
}

// call sends one DevTools command, without parameters or result, to the tab.
func (t *Tab) call(ctx context.Context, command cdp.Command[cdp.Empty, cdp.Empty]) error {
	within, done := t.within(ctx)
	defer done()
	return chromedp.Do(within, chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		return cdp.Call(ctx, tg, command, cdp.Empty{})
	}))
}

// Close closes the tab.
func (t *Tab) Close() error {
	t.cancel()
	return nil
}
