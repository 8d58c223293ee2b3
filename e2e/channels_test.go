package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/browser"
)

// The three synchronous channels, each on a page served the way it needs:
// shared memory where the page is cross-origin isolated, JSPI where it is
// not, and the service worker, asked for by name since JSPI comes first.
var channels = []channel{
	{"shared-memory", &testURL, "{}"},
	{"jspi", &unisolatedURL, "{}"},
	{"service-worker", &serviceWorkerURL, `{channel: "service-worker"}`},
}

type channel struct {
	name    string
	url     *string
	options string // of createWorker
}

// pageChannels are the channels pyworker finds on a page of the engine under
// test, fastest first: shared memory needs an isolated page and the engine's
// SharedArrayBuffer, jspi the engine's JSPI.
func pageChannels(isolated bool) []string {
	var has []string
	if isolated && engine.SharedMemory {
		has = append(has, "shared-memory")
	}
	if engine.JSPI {
		has = append(has, "jspi")
	}
	return append(has, "service-worker", "none")
}

// eachChannel runs test on each of the named channels (all when none are
// named) that the engine under test has. Where it lacks one, asking for it
// must fail with the documented error, naming the channels the page has.
func eachChannel(t *testing.T, test func(t *testing.T, c channel), names ...string) {
	for _, c := range channels {
		if len(names) > 0 && !slices.Contains(names, c.name) {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			has := pageChannels(c.url == &testURL)
			if slices.Contains(has, c.name) {
				test(t, c)
				return
			}
			t.Logf("%s has no %s channel: checking that asking for it is refused", engine.Name, c.name)
			tab := openPage(t)
			navigate(t, tab, *c.url+"/")
			got := evaluate[string](t, tab, `(() => {
				try { pyworker.createWorker({channel: "`+c.name+`"}); return "created"; } catch (e) { return e.message; }
			})()`)
			want := fmt.Sprintf("pyworker: the channel %q is not available on this page; it has: %s", c.name, strings.Join(has, ", "))
			if got != want {
				t.Errorf("asking for %s: got %q, want %q", c.name, got, want)
			}
		})
	}
}

// On every channel, Python calls the page synchronously, uses window and
// document, and the page calls the worker's exported Python functions.
func TestChannels(t *testing.T) {
	eachChannel(t, func(t *testing.T, c channel) {
		tab := openPage(t)
		navigate(t, tab, *c.url+"/")
		channel := evaluate[string](t, tab, `(async () => {
			window.lines = [];
			window.out = [];
			window.w = pyworker.createWorker({...`+c.options+`, timings: true, sync: {hello: (name) => "Hello, " + name, lastLine: () => out.at(-1)},
				stdin: () => { const line = lines.shift(); return typeof line === "function" ? line() : line; },
				stdout: (text) => out.push(text)});
			window.log = [];
			window.logged = [];
			const consoleLog = console.log;
			console.log = (...args) => { logged.push(args.join(" ")); consoleLog(...args); };
			w.sync.later = async (x) => { await new Promise(r => setTimeout(r, 20)); return x * 2; };
			w.sync.floats = () => new Float64Array([1.5, 2.5]);
			w.sync.boom = () => { throw new RangeError("too far"); };
			w.sync.record = (...args) => { log.push(args); };
			w.sync.big = (n) => new Uint8Array(n).fill(7);
			await w.ready;
			return w.channel;
		})()`)
		if channel != c.name {
			t.Fatalf("channel %q, want %s", channel, c.name)
		}
		run := func(t *testing.T, code string) map[string]any {
			t.Helper()
			return evaluate[map[string]any](t, tab, `w.run(`+jsString(code)+`)`)
		}
		testSyncCalls(t, tab, run)
		t.Run("window and document", func(t *testing.T) {
			proxies := 2_000 // a leak of them shows: the check allows 10
			if c.name == "service-worker" {
				proxies = 300 // milliseconds a round trip
			}
			testPageObjects(t, tab, run, proxies)
		})
	})
}

func testSyncCalls(t *testing.T, tab browser.Tab, run func(*testing.T, string) map[string]any) {
	t.Run("page functions", func(t *testing.T) {
		got := run(t, `
			from pyworker import sync
			a = sync.hello('PyScript')
			b = sync.later(21)
			f = sync.floats()
			sync.record('x', 1, [2, 3], {'k': None}, b'\x01')
			(a, b, f.constructor.name, list(f))`)
		want := `["Hello, PyScript",42,"Float64Array",[1.5,2.5]]`
		if s := jsonOf(t, got["results"]); s != want {
			t.Fatalf("got %s (%v), want %s", s, got["error"], want)
		}
		if log := evaluate[string](t, tab, `JSON.stringify(log, (k, v) => v instanceof Uint8Array ? Array.from(v) : v)`); log != `[["x",1,[2,3],{},[1]]]` {
			t.Errorf("the page got %s", log)
		}
	})

	// input() and sys.stdin read the page's stdin option; the prompt is printed first.
	t.Run("stdin", func(t *testing.T) {
		evaluate[bool](t, tab, `(lines.push("Ada\n", async () => "42", null, "x", null), out.length = 0, true)`)
		got := run(t, `
			print('before')
			name = input('Name? ')
			n = int(input())
			try:
			    input('more? ')
			except EOFError as e:
			    eof = str(e)
			import sys
			(name, n, eof, sys.stdin.readline(), sys.stdin.readline())`)
		if s := jsonOf(t, got["results"]); s != `["Ada",42,"EOF when reading a line","x\n",""]` {
			t.Errorf("got %s (%v)", s, got["error"])
		}
		if out := evaluate[string](t, tab, `out.join("|")`); out != "before|Name? |more? " {
			t.Errorf("stdout: %q", out)
		}
	})

	// A question never overtakes the lines printed before it, even when they
	// were posted before the question was asked (time.sleep posts them).
	t.Run("output before a question", func(t *testing.T) {
		evaluate[bool](t, tab, `(out.length = 0, true)`)
		got := run(t, `
			import time
			from pyworker import sync
			wrong = []
			for i in range(100):
			    print('before', i)
			    time.sleep(0)
			    print(i)
			    time.sleep(0)
			    if sync.lastLine() != str(i): wrong.append(i)
			wrong`)
		if s := jsonOf(t, got["results"]); s != "[]" {
			t.Errorf("the page had not seen the line printed before the question, for: %s (%v)", s, got["error"])
		}
	})

	// time.sleep waits without spinning (shared memory: on the interrupt
	// buffer; jspi: suspended on a timer; service worker: in a held request),
	// not falling back to Pyodide's own.
	t.Run("sleep", func(t *testing.T) {
		got := run(t, `
			import time
			from pyworker import _page
			t = time.monotonic()
			time.sleep(0.2)
			time.sleep(0)
			(time.monotonic() - t, _page._sleep(0) is not False)`)
		if slept, _ := got["results"].([]any); len(slept) != 2 || slept[0].(float64) < 0.2 || slept[0].(float64) > 10 || slept[1] != true {
			t.Errorf("got %v (%v), want 0.2 s slept without Pyodide's spinning sleep", got["results"], got["error"])
		}
		got = run(t, "import time\ntime.sleep(-1)")
		if exc, _ := got["exception"].(map[string]any); exc["type"] != "ValueError" {
			t.Errorf("time.sleep(-1): got %v, want a ValueError", got)
		}
	})

	// An answer bigger than the channel's buffer: the worker sends a bigger one.
	t.Run("big answers", func(t *testing.T) {
		got := run(t, `
			from pyworker import sync
			a = sync.big(200_000)
			b = sync.big(3_000_000)
			(a.length, sum(a.to_py()), b.length, b[2_999_999], sync.hello('again'))`)
		if s := jsonOf(t, got["results"]); s != `[200000,1400000,3000000,7,"Hello, again"]` {
			t.Fatalf("got %s (%v)", s, got["error"])
		}
	})

	t.Run("page function throws", func(t *testing.T) {
		got := run(t, "from pyworker import sync\ntry:\n    sync.boom()\nexcept Exception as e:\n    caught = str(e)\ncaught")
		if got["results"] != "RangeError: too far" {
			t.Errorf("caught %v, want the JS message", got)
		}
		got = run(t, "from pyworker import sync\n\nsync.boom()")
		exc, _ := got["exception"].(map[string]any)
		if exc == nil || exc["message"] != "RangeError: too far" || exc["line"] != 3.0 {
			t.Errorf("uncaught: %v", got)
		}
	})

	t.Run("unknown page function", func(t *testing.T) {
		got := run(t, "from pyworker import sync\nsync.nope()")
		if msg, _ := got["error"].(string); !strings.Contains(msg, "the page has no sync function 'nope' (it has: hello, lastLine, later, floats, boom, record, big)") {
			t.Errorf("got %v", got)
		}
	})

	t.Run("argument that cannot cross", func(t *testing.T) {
		got := run(t, "from pyworker import sync\nsync.hello(object())")
		exc, _ := got["exception"].(map[string]any)
		if exc == nil || exc["type"] != "TypeError" || !strings.Contains(exc["message"].(string), "an argument of sync.hello() cannot cross to the page: a Python 'object'") {
			t.Errorf("got %v", got)
		}
	})

	t.Run("exports", func(t *testing.T) {
		got := run(t, `
			from pyworker import export, sync
			@export
			def double(n):
			    return 2 * n
			def version():
			    import sys
			    return sys.version
			__export__ = ['version']
			sync.heavy = lambda: 6 * 7
			@export
			def pair(xs, d):
			    return {'sum': sum(xs), 'keys': sorted(d)}
			@export
			def fails():
			    raise ValueError('no')
			@export
			async def slow(x):
			    import asyncio
			    await asyncio.sleep(0.01)
			    return x`)
		if got["error"] != nil {
			t.Fatal(got["error"])
		}
		answers := evaluate[string](t, tab, `(async () => {
			const outcome = (p) => p.then(v => JSON.stringify(v), e => e.name + ": " + e.message.trim().split("\n").pop() + (e.exception && e.exception.line ? " @" + e.exception.line : ""));
			return JSON.stringify([
				await outcome(w.exports.double(21)),
				(await w.exports.version()).slice(0, 5),
				await outcome(w.sync.heavy()),
				await outcome(w.exports.pair([1, 2, 3], {b: 1, a: 2})),
				await outcome(w.exports.fails()),
				await outcome(w.exports.slow("later")),
				await outcome(w.exports.missing()),
			]);
		})()`)
		want := `["42","3.14.","42","{\"sum\":6,\"keys\":[\"a\",\"b\"]}","ValueError: ValueError: no @16","\"later\"","AttributeError: AttributeError: the worker exports no function 'missing'; it exports: double, fails, heavy, pair, slow, version (use @export, __export__ = [...] or sync.NAME = f)"]`
		if answers != want {
			t.Errorf("got  %s\nwant %s", answers, want)
		}
	})

	// The PyScript docs' worker example, unchanged, with the page side in JS.
	t.Run("pyscript example", func(t *testing.T) {
		got := evaluate[string](t, tab, `(async () => {
			const said = [];
			w.sync.greetings = () => said.push("Pyodide bootstrapped");
			await w.run("from pyscript import sync\n\n# Use any methods from main.py on the main thread.\nsync.greetings()\n\n# Expose any methods meant to be used from main.\nsync.heavy_computation = lambda: 6 * 7\n");
			const result = await w.sync.heavy_computation();
			return said.join() + " " + result;
		})()`)
		if got != "Pyodide bootstrapped 42" {
			t.Errorf("got %q", got)
		}
	})
}

// terminate() while Python waits on the page, on every channel: the call
// rejects, nothing hangs, and the next call runs on a new worker that still
// has the page's functions.
func TestTerminateDuringSyncCall(t *testing.T) {
	eachChannel(t, func(t *testing.T, c channel) {
		tab := openPage(t)
		navigate(t, tab, *c.url+"/")
		got := evaluate[[]string](t, tab, `(async () => {
			const w = pyworker.createWorker(`+c.options+`);
			w.sync.never = () => new Promise(() => {});
			w.sync.hello = () => "hi";
			await w.ready;
			return terminateDuring(w, "from pyworker import sync\nsync.never()", "from pyworker import sync\nsync.hello()");
		})()`)
		if got[0] != "rejected pyworker: the worker was terminated" || got[1] != "hi" {
			t.Errorf("got %q", got)
		}
	})
}

// An async event handler's value is dropped, as a sync handler's is (a page
// object returned is no error); what it raises goes to stderr.
func TestAsyncEventHandler(t *testing.T) {
	tab := openSyncPage(t)
	got := evaluate[map[string]any](t, tab, `(async () => {
		const errors = [];
		const w = pyworker.createWorker({stderr: (line) => errors.push(line)});
		await w.run(`+jsonOf(t, asyncHandlerPython)+`);
		const button = document.getElementById("async-button");
		button.click();
		await w.run("1"); // queued after the click's callback, so it ends after it
		const afterValue = [...errors];
		button.dataset.fail = "yes";
		button.click();
		await w.run("1");
		w.terminate();
		return {text: button.textContent, afterValue, afterError: errors.join("\n")};
	})()`)
	if got["text"] != "handled" || len(got["afterValue"].([]any)) != 0 {
		t.Errorf("the handler returning a page object: %v", got)
	}
	if e, _ := got["afterError"].(string); !strings.Contains(e, "ValueError: handler failed") || !strings.Contains(e, "line 10, in on_click") {
		t.Errorf("the handler that raised: stderr %q", e)
	}
}

const asyncHandlerPython = `
from pyworker import document

button = document.createElement("button")
button.id = "async-button"
document.body.append(button)

async def on_click(event):
    if button.dataset.fail == "yes":
        raise ValueError("handler failed")
    button.textContent = "handled"
    return document.body

button.addEventListener("click", on_click)
`

// Binary views cross by their standard kind: a subclass of Float32Array
// crosses as a Float32Array, and so does a Float16Array (Pyodide has none).
func TestBinaryViewsCross(t *testing.T) {
	tab := openSyncPage(t)
	got := evaluate[map[string]any](t, tab, `(async () => {
		class Samples extends Float32Array {}
		const w = pyworker.createWorker();
		w.sync.half = () => new Float16Array([1.5, 2.5]);
		w.sync.samples = () => Samples.of(1, 2, 3);
		const r = await w.run(`+jsonOf(t, binaryViewsPython)+`);
		w.terminate();
		return r;
	})()`)
	if s := jsonOf(t, got["results"]); s != `["Float32Array",2.5,"Float32Array",3,3]` {
		t.Errorf("got %v", got)
	}
}

const binaryViewsPython = `
from pyworker import sync

half = sync.half()
samples = sync.samples()
half.constructor.name, half[1], samples.constructor.name, samples.length, samples[2]
`
