package e2e

import (
	"context"
	"fmt"
	"github.com/pyworker/pyworker/internal/browser"
	"strings"
	"testing"
	"time"
)

// Workers made one after another on a page the service worker controls all
// start: WebKit asks for worker.js again through the service worker, which
// gets a 304 for it, and a 304 remade with a body failed every second worker.
func TestServiceWorkerPageStartsEveryWorker(t *testing.T) {
	tab := openPage(t)
	navigate(t, tab, serviceWorkerURL+"/")
	got := call[[]string](t, tab, "isolation.oneAfterAnother")
	if jsonOf(t, got) != `["service-worker","service-worker","service-worker"]` {
		t.Errorf("three workers, one after another: got %q, want each started on the service worker's channel", got)
	}
}

// With no channel (a browser without JSPI on a page that is not isolated,
// here asked for by name), calls from the page still work, and a sync call
// or a use of document from Python says what to enable.
func TestNoChannel(t *testing.T) {
	tab := openPage(t)
	navigate(t, tab, unisolatedURL+"/")
	got := call[struct {
		Channel, Error, Page, Shared, Input string
		Double                              any
		Printed                             []string
	}](t, tab, "isolation.noChannel")
	if got.Channel != "none" || got.Double != 8.0 {
		t.Fatalf("got %+v", got)
	}
	for _, msg := range []string{got.Error, got.Page, got.Input} {
		if !strings.Contains(msg, "needs a synchronous channel") || !strings.Contains(msg, "cross-origin isolated") || !strings.Contains(msg, "JSPI") {
			t.Errorf("error %q does not say what to enable", msg)
		}
	}
	if !strings.Contains(got.Error, "sync.hello() needs") || !strings.Contains(got.Page, "document.title needs") {
		t.Errorf("errors do not name the call: %+v", got)
	}
	if got.Shared != "pyworker: the channel \"shared-memory\" is not available on this page; it has: "+strings.Join(pageChannels(false), ", ") {
		t.Errorf("asking for shared memory on a page without it: %q", got.Shared)
	}
	// input() fails for want of a channel, but its prompt was shown first, as always.
	if printed := fmt.Sprint(got.Printed); printed != "[name? ]" {
		t.Errorf("input('name? ') printed %s, want its prompt", printed)
	}
}

// A cross-origin isolated page without SharedArrayBuffer (some WebKit builds)
// is served as a page that is not isolated: JSPI's channel, and an interrupt
// that reaches Python waiting for the page; on an engine without JSPI, no
// channel, and sync calls and input() that say what to enable.
func TestIsolatedWithoutSharedArrayBuffer(t *testing.T) {
	tab := openPage(t)
	navigate(t, tab, testURL+"/nosab.html")
	waitLoaded(t, tab)
	got := call[struct {
		Isolated              bool
		Channel, Hello, Input string
		Seed                  any
	}](t, tab, "isolation.withoutSharedArrayBuffer")
	channel, hello, input := "jspi", "Hello, WebKit", "KeyboardInterrupt: "
	if !engine.JSPI {
		channel, hello, input = "none", "sync.hello() needs a synchronous channel", "input() needs a synchronous channel"
	}
	if !got.Isolated || got.Channel != channel || got.Seed != 2.0 {
		t.Errorf("got %+v, want the page isolated, channel %s and asyncRun's 2", got, channel)
	}
	for _, c := range []struct{ name, got, want string }{{"hello", got.Hello, hello}, {"input", got.Input, input}} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s: got %v, want it to say %q (all: %+v)", c.name, c.got, c.want, got)
		}
	}
}

// isolate.js makes a page served without the headers cross-origin isolated
// (its service worker adds them, after one reload), so its workers get
// shared memory.
func TestIsolateScript(t *testing.T) {
	tab := openPage(t)
	openSelfIsolating(t, tab, serviceWorkerURL+"/isolated.html")
	got := call[struct {
		Isolated         bool
		Channel, Results string
	}](t, tab, "isolation.selfIsolated")
	// isolated, the page's workers get the fastest channel the engine has
	if want := pageChannels(true)[0]; !got.Isolated || got.Channel != want || got.Results != "Hello, isolated" {
		t.Errorf("got %+v, want the page isolated, channel %s, and the page's answer", got, want)
	}
}

// openSelfIsolating opens url, a page that isolates itself with isolate.js,
// and waits until it has (its service workers go when the test ends).
func openSelfIsolating(t *testing.T, tab browser.Tab, url string) {
	t.Helper()
	t.Cleanup(func() {
		call[any](t, tab, "isolation.unregister")
	})
	// The page reloads itself once, which may abort the load the navigation waits for (Firefox
	// says NS_BINDING_ABORTED when the service worker is active at once): ask until the reloaded page answers.
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if err := tab.Navigate(ctx, url); err != nil {
		t.Logf("navigating: %v (the page reloads itself)", err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		isolated, err := tryEvaluate[bool](tab, `!!(window.loaded && crossOriginIsolated)`)
		if err == nil && isolated {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is not cross-origin isolated 20 s after isolate.js (%v)", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
