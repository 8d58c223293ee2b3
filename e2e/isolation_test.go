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
	got := evaluate[[]string](t, tab, `(async () => {
		const started = [];
		for (let i = 0; i < 3; i++) {
			const w = pyworker.createWorker({channel: "service-worker"});
			started.push(await w.ready.then(() => w.channel, (e) => e.message));
			w.terminate();
		}
		return started;
	})()`)
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
	got := evaluate[map[string]any](t, tab, `(async () => {
		const printed = [];
		const w = pyworker.createWorker({channel: "none", stdout: (line) => printed.push(line), stdin: () => "never read"});
		w.sync.hello = () => "hi";
		const call = await w.run("from pyworker import sync, export\n@export\ndef double(n):\n    return 2 * n\nsync.hello()");
		const page = await w.run("from pyworker import document\ndocument.title");
		const input = await w.run("input('name? ')");
		let shared = "";
		try { pyworker.createWorker({channel: "shared-memory"}); } catch (e) { shared = e.message; }
		return {channel: w.channel, error: call.exception && call.exception.message, page: page.error, double: await w.exports.double(4), shared,
			input: input.error, printed};
	})()`)
	if got["channel"] != "none" || got["double"] != 8.0 {
		t.Fatalf("got %v", got)
	}
	for _, msg := range []string{got["error"].(string), got["page"].(string), got["input"].(string)} {
		if !strings.Contains(msg, "needs a synchronous channel") || !strings.Contains(msg, "cross-origin isolated") || !strings.Contains(msg, "JSPI") {
			t.Errorf("error %q does not say what to enable", msg)
		}
	}
	if !strings.Contains(got["error"].(string), "sync.hello() needs") || !strings.Contains(got["page"].(string), "document.title needs") {
		t.Errorf("errors do not name the call: %v", got)
	}
	if got["shared"] != "pyworker: the channel \"shared-memory\" is not available on this page; it has: "+strings.Join(pageChannels(false), ", ") {
		t.Errorf("asking for shared memory on a page without it: %q", got["shared"])
	}
	// input() fails for want of a channel, but its prompt was shown first, as always.
	if printed := fmt.Sprint(got["printed"]); printed != "[name? ]" {
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
	got := evaluate[map[string]any](t, tab, `(async () => {
		const w = pyworker.createWorker({stdin: () => new Promise(() => {})});
		w.sync.hello = (name) => "Hello, " + name;
		const reply = await w.run("from pyworker import sync\nsync.hello('WebKit')");
		const seed = await pyworker.asyncRun("1 + 1");
		const waiting = w.run("input()");
		await new Promise((r) => setTimeout(r, 300));
		w.interrupt();
		const input = await waiting;
		w.terminate();
		return {isolated: crossOriginIsolated, channel: w.channel, hello: reply.results ?? reply.error, seed: seed.results,
			input: input.exception && input.exception.type + ": " + input.exception.message};
	})()`)
	want := map[string]any{"isolated": true, "channel": "jspi", "hello": "Hello, WebKit", "seed": 2.0, "input": "KeyboardInterrupt: "}
	if !engine.JSPI {
		want["channel"], want["hello"], want["input"] = "none", "sync.hello() needs a synchronous channel", "input() needs a synchronous channel"
	}
	for k, v := range want {
		if s, ok := v.(string); ok && k != "channel" && k != "isolated" {
			if text, _ := got[k].(string); !strings.Contains(text, s) {
				t.Errorf("%s: got %v, want it to say %q (all: %v)", k, got[k], s, got)
			}
		} else if got[k] != v {
			t.Errorf("%s: got %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
}

// isolate.js makes a page served without the headers cross-origin isolated
// (its service worker adds them, after one reload), so its workers get
// shared memory.
func TestIsolateScript(t *testing.T) {
	tab := openPage(t)
	openSelfIsolating(t, tab, serviceWorkerURL+"/isolated.html")
	got := evaluate[map[string]any](t, tab, `(async () => {
		const w = pyworker.createWorker();
		w.sync.hello = (name) => "Hello, " + name;
		const reply = await w.run("from pyworker import sync\nsync.hello('isolated')");
		w.terminate();
		return {isolated: crossOriginIsolated, channel: w.channel, results: reply.results, error: reply.error};
	})()`)
	// isolated, the page's workers get the fastest channel the engine has
	if want := pageChannels(true)[0]; got["isolated"] != true || got["channel"] != want || got["results"] != "Hello, isolated" {
		t.Errorf("got %v, want the page isolated, channel %s, and the page's answer", got, want)
	}
}

// openSelfIsolating opens url, a page that isolates itself with isolate.js,
// and waits until it has (its service workers go when the test ends).
func openSelfIsolating(t *testing.T, tab browser.Tab, url string) {
	t.Helper()
	t.Cleanup(func() {
		evaluate[bool](t, tab, `navigator.serviceWorker.getRegistrations().then(rs => Promise.all(rs.map(r => r.unregister()))).then(() => true)`)
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
