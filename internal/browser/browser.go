// Package browser starts the engines pyworker is tested and measured on
// (Chromium, Firefox, WebKit) and drives their pages the one way the tests
// and the bench need: open a tab, navigate, evaluate JavaScript and read its
// value back as JSON. One driver per engine lives beside it (chromium,
// firefox, webkit); drivertest checks each against its real browser.
package browser

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pyworker/pyworker/internal/browser/chromium"
	"github.com/pyworker/pyworker/internal/browser/firefox"
	"github.com/pyworker/pyworker/internal/browser/webkit"
)

// Tab is a page of a browser.
type Tab interface {
	Navigate(ctx context.Context, url string) error
	// Evaluate runs a JavaScript expression, awaits it if it is a promise, and
	// decodes its value, as JSON, into out; a thrown error is returned with its message.
	Evaluate(ctx context.Context, expression string, out any) error
	// Front makes the tab the one shown, where an engine slows the timers of the others.
	Front(ctx context.Context) error
	// CollectGarbage has the page's JavaScript heap collected: at once where
	// the engine lets a driver ask, else prompted by allocating.
	CollectGarbage(ctx context.Context) error
	Close() error
}

// Browser is a running engine.
type Browser interface {
	NewTab(ctx context.Context) (Tab, error)
	// Version is the browser's name and version, as its driver reports them.
	Version() string
	// CPUTime is the processor time the browser's processes have used so far.
	CPUTime() (time.Duration, error)
	Close() error
}

// Engine is a browser engine: its name, what it is and how it is driven.
// What it offers pages (JSPI, shared memory) is not here: it changes with
// the browser's version and build (Firefox ESR 140 had no JSPI, 153 has it),
// so it is found from the running browser (Find).
type Engine struct {
	Name string
	// About says what the engine is, for people.
	About string

	installed func() error
	start     func(ctx context.Context) (Browser, error)
}

// Engines are those known, in the order a run takes them.
var Engines = []Engine{
	{Name: "chromium", About: "Chromium (Debian's chromium), through the DevTools protocol",
		installed: func() error { _, err := chromium.Path(); return err },
		start: func(ctx context.Context) (Browser, error) {
			b, err := chromium.Start(ctx)
			return driven(b, err, func(t *chromium.Tab) Tab { return t })
		}},
	{Name: "firefox", About: "Firefox ESR (Debian's firefox-esr), through WebDriver BiDi",
		installed: func() error { _, err := firefox.Path(); return err },
		start: func(ctx context.Context) (Browser, error) {
			b, err := firefox.Start(ctx)
			return driven(b, err, func(t *firefox.Tab) Tab { return collectingByAllocation{t} })
		}},
	{Name: "webkit", About: "WebKitGTK's MiniBrowser (Debian's webkit2gtk-driver) under Xvfb, through WebDriver",
		installed: webkit.Installed, start: startWebKit(true)},
	{Name: "webkit-nosab", About: "the same WebKit, its web process without SharedArrayBuffer (as in some embedded web views)",
		installed: webkit.Installed, start: startWebKit(false)},
}

func startWebKit(sharedMemory bool) func(ctx context.Context) (Browser, error) {
	return func(ctx context.Context) (Browser, error) {
		b, err := webkit.Start(ctx, webkit.Options{SharedMemory: sharedMemory})
		return driven(b, err, func(t *webkit.Tab) Tab { return collectingByAllocation{t} })
	}
}

// Lookup finds an engine by name.
func Lookup(name string) (Engine, error) {
	var names []string
	for _, e := range Engines {
		if e.Name == name {
			return e, nil
		}
		names = append(names, e.Name)
	}
	return Engine{}, fmt.Errorf("unknown engine %q: want one of %s", name, strings.Join(names, ", "))
}

// Installed says why the engine cannot start on this machine, or nil.
func (e Engine) Installed() error { return e.installed() }

// Start launches the engine's browser; Close ends it.
func (e Engine) Start(ctx context.Context) (Browser, error) {
	b, err := e.start(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", e.Name, err)
	}
	return b, nil
}

// driver is a driver's browser, whose tabs are of its own type T.
type driver[T any] interface {
	NewTab(ctx context.Context) (T, error)
	// PID is the process that started the browser's others.
	PID() int
	Version() string
	Close() error
}

// drivenBrowser is a driver's browser as a Browser: tab makes its tabs Tabs.
type drivenBrowser[T any] struct {
	driver[T]
	tab func(T) Tab
}

func (b drivenBrowser[T]) NewTab(ctx context.Context) (Tab, error) {
	t, err := b.driver.NewTab(ctx)
	if err != nil {
		return nil, err
	}
	return b.tab(t), nil
}

func (b drivenBrowser[T]) CPUTime() (time.Duration, error) { return treeCPU(b.driver.PID()) }

func driven[T any, B driver[T]](b B, err error, tab func(T) Tab) (Browser, error) {
	if err != nil {
		return nil, err
	}
	return drivenBrowser[T]{b, tab}, nil
}

// page is a driver's tab in an engine that lets no driver collect garbage.
type page interface {
	Navigate(ctx context.Context, url string) error
	Evaluate(ctx context.Context, expression string, out any) error
	Front(ctx context.Context) error
	Close() error
}

// collectingByAllocation prompts the engine's collector by allocating: a
// few hundred MB of buffers and a million small objects, all dropped at once,
// then a task for the finalizers the collection queued.
type collectingByAllocation struct{ page }

func (t collectingByAllocation) CollectGarbage(ctx context.Context) error {
	var done bool
	return t.Evaluate(ctx, `(async () => {
		for (let i = 0; i < 64; i++) new Uint8Array(4 << 20).fill(1);
		let objects = [];
		for (let i = 0; i < 1e6; i++) objects.push({i});
		objects = null;
		await new Promise((resolve) => setTimeout(resolve, 10));
		return true;
	})()`, &done)
}
