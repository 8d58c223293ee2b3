package e2e

import (
	"strings"
	"testing"
)

// Python calls the page synchronously over shared memory, and the page calls
// the worker's exported Python functions.
func TestSyncChannel(t *testing.T) {
	tab := openPage(t)
	channel := evaluate[string](t, tab, `(async () => {
		window.w = pyworker.createWorker();
		window.log = [];
		w.sync.hello = (name) => "Hello, " + name;
		w.sync.later = async (x) => { await new Promise(r => setTimeout(r, 20)); return x * 2; };
		w.sync.floats = () => new Float64Array([1.5, 2.5]);
		w.sync.boom = () => { throw new RangeError("too far"); };
		w.sync.record = (...args) => { log.push(args); };
		w.sync.big = (n) => new Uint8Array(n).fill(7);
		await w.ready;
		return w.channel;
	})()`)
	if channel != "shared-memory" {
		t.Fatalf("channel %q on a cross-origin isolated page, want shared-memory", channel)
	}
	run := func(code string) map[string]any {
		t.Helper()
		return evaluate[map[string]any](t, tab, `w.run(`+jsString(code)+`)`)
	}

	t.Run("page functions", func(t *testing.T) {
		got := run("from pyworker import sync\n" +
			"a = sync.hello('PyScript')\n" +
			"b = sync.later(21)\n" +
			"f = sync.floats()\n" +
			"sync.record('x', 1, [2, 3], {'k': None}, b'\\x01')\n" +
			"(a, b, f.constructor.name, list(f))")
		want := `["Hello, PyScript",42,"Float64Array",[1.5,2.5]]`
		if s := jsonOf(t, got["results"]); s != want {
			t.Fatalf("got %s (%v), want %s", s, got["error"], want)
		}
		if log := evaluate[string](t, tab, `JSON.stringify(log, (k, v) => v instanceof Uint8Array ? Array.from(v) : v)`); log != `[["x",1,[2,3],{},[1]]]` {
			t.Errorf("the page got %s", log)
		}
	})

	// An answer bigger than the channel's buffer: the worker sends a bigger one.
	t.Run("big answers", func(t *testing.T) {
		got := run("from pyworker import sync\n" +
			"a = sync.big(200_000)\n" +
			"b = sync.big(3_000_000)\n" +
			"(a.length, sum(a.to_py()), b.length, b[2_999_999], sync.hello('again'))")
		if s := jsonOf(t, got["results"]); s != `[200000,1400000,3000000,7,"Hello, again"]` {
			t.Fatalf("got %s (%v)", s, got["error"])
		}
	})

	t.Run("page function throws", func(t *testing.T) {
		got := run("from pyworker import sync\ntry:\n    sync.boom()\nexcept Exception as e:\n    caught = str(e)\ncaught")
		if got["results"] != "RangeError: too far" {
			t.Errorf("caught %v, want the JS message", got)
		}
		got = run("from pyworker import sync\n\nsync.boom()")
		exc, _ := got["exception"].(map[string]any)
		if exc == nil || exc["message"] != "RangeError: too far" || exc["line"] != 3.0 {
			t.Errorf("uncaught: %v", got)
		}
	})

	t.Run("unknown page function", func(t *testing.T) {
		got := run("from pyworker import sync\nsync.nope()")
		if msg, _ := got["error"].(string); !strings.Contains(msg, "the page has no sync function 'nope' (it has: hello, later, floats, boom, record, big)") {
			t.Errorf("got %v", got)
		}
	})

	t.Run("argument that cannot cross", func(t *testing.T) {
		got := run("from pyworker import sync\nsync.hello(object())")
		exc, _ := got["exception"].(map[string]any)
		if exc == nil || exc["type"] != "TypeError" || !strings.Contains(exc["message"].(string), "an argument of sync.hello() cannot cross to the page: a Python 'object'") {
			t.Errorf("got %v", got)
		}
	})

	t.Run("exports", func(t *testing.T) {
		got := run("from pyworker import export, sync\n" +
			"@export\ndef double(n):\n    return 2 * n\n" +
			"def version():\n    import sys\n    return sys.version\n" +
			"__export__ = ['version']\n" +
			"sync.heavy = lambda: 6 * 7\n" +
			"@export\ndef pair(xs, d):\n    return {'sum': sum(xs), 'keys': sorted(d)}\n" +
			"@export\ndef fails():\n    raise ValueError('no')\n" +
			"@export\nasync def slow(x):\n    import asyncio\n    await asyncio.sleep(0.01)\n    return x")
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
		want := `["42","3.14.","42","{\"sum\":6,\"keys\":[\"a\",\"b\"]}","ValueError: ValueError: no @15","\"later\"","AttributeError: AttributeError: the worker exports no function 'missing'; it exports: double, fails, heavy, pair, slow, version (use @export, __export__ = [...] or sync.NAME = f)"]`
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

// terminate() while Python waits on the page: the call rejects, nothing hangs,
// and the next call runs on a new worker that still has the page's functions.
func TestTerminateDuringSyncCall(t *testing.T) {
	tab := openPage(t)
	got := evaluate[[]string](t, tab, `(async () => {
		const w = pyworker.createWorker();
		w.sync.never = () => new Promise(() => {});
		w.sync.hello = () => "hi";
		await w.ready;
		return terminateDuring(w, "from pyworker import sync\nsync.never()", "from pyworker import sync\nsync.hello()");
	})()`)
	if got[0] != "rejected pyworker: the worker was terminated" || got[1] != "hi" {
		t.Errorf("got %q", got)
	}
}

// Without cross-origin isolation there is no shared memory: calls from the
// page still work, and a sync call from Python says what to enable.
func TestNoSyncChannel(t *testing.T) {
	tab := openPage(t)
	navigate(t, tab, unisolatedURL+"/")
	got := evaluate[map[string]any](t, tab, `(async () => {
		const w = pyworker.createWorker();
		w.sync.hello = () => "hi";
		const call = await w.run("from pyworker import sync, export\n@export\ndef double(n):\n    return 2 * n\nsync.hello()");
		return {isolated: crossOriginIsolated, channel: w.channel, error: call.exception && call.exception.message, double: await w.exports.double(4)};
	})()`)
	if got["isolated"] != false || got["channel"] != "none" || got["double"] != 8.0 {
		t.Fatalf("got %v", got)
	}
	if msg, _ := got["error"].(string); !strings.Contains(msg, "sync.hello() needs a synchronous channel") || !strings.Contains(msg, "cross-origin isolated") {
		t.Errorf("error %q does not say what to enable", msg)
	}
}
