package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// createWorker({interpreter: "micropython"}): MicroPython in a worker gives
// what a Pyodide worker's runs give: the last expression's value, errors
// with type, message, traceback and line (without the runtime's frames),
// printed lines in order, and src run before ready with its exports
// (`@export` and PyScript's `__export__`).
func TestMicroPythonWorker(t *testing.T) {
	tab := warmPage(t)
	got := evaluate[map[string]any](t, tab, `(async () => {
		const printed = [];
		const w = pyworker.createWorker({interpreter: "micropython", src: "mpy_worker.py", stdout: (line) => printed.push(line)});
		await w.ready;
		const value = await w.run("x = 20\nx * 2 + 2");
		const list = await w.run("[x, 'a', {'k': 1.5}, (True, 3), 2 ** 40]");
		const object = await w.run("object()");
		const statement = await w.run("y = 1");
		const error = await w.run(`+jsString(mpyRaises)+`);
		const syntax = await w.run("x = 1\ny = )\n");
		await w.run("print('hello from', sys.implementation.name)");
		const exported = await w.exports.shout("hey");
		const listed = await w.exports.version();
		w.terminate();
		return {value: value.results, list: list.results, object: object.error, statement, error: error.exception, errorText: error.error, syntax: syntax.exception, printed, exported, listed};
	})()`)
	if got["value"] != 42.0 {
		t.Errorf("x * 2 + 2: %v, want 42", got["value"])
	}
	if s := jsonOf(t, got["list"]); s != `[20,"a",{"k":1.5},[true,3],1099511627776]` {
		t.Errorf("a list: %s", s)
	}
	if msg, _ := got["object"].(string); !strings.HasSuffix(msg, "TypeError: the result cannot cross to the page: a value of type object is not plain data (JSON)\n") {
		t.Errorf("a result that is not plain data: %q", msg)
	}
	if s := jsonOf(t, got["statement"]); s != `{}` {
		t.Errorf("a run ending in a statement: %s, want no results", s)
	}
	exception, _ := got["error"].(map[string]any)
	text, _ := exception["traceback"].(string)
	if exception["type"] != "ZeroDivisionError" || exception["message"] != "divide by zero" || exception["line"] != 3.0 ||
		!strings.Contains(text, `File "<exec>", line 4, in <module>`) || !strings.Contains(text, `File "<exec>", line 3, in f`) ||
		strings.Contains(text, "/lib/pyworker") || got["errorText"] != text {
		t.Errorf("an error: %v (text %q)", exception, got["errorText"])
	}
	if syntax, _ := got["syntax"].(map[string]any); syntax["type"] != "SyntaxError" || syntax["line"] != 2.0 {
		t.Errorf("a syntax error: %v", syntax)
	}
	if s := jsonOf(t, got["printed"]); s != `["mpy_worker.py ran","hello from micropython"]` {
		t.Errorf("printed: %s", s)
	}
	if got["exported"] != "HEY!" || got["listed"] != "micropython" {
		t.Errorf("exports: %v, %v", got["exported"], got["listed"])
	}
}

const mpyRaises = `
def f():
    return 1 / 0
f()
`

// What MicroPython workers cannot do yet is refused by createWorker, naming it.
func TestMicroPythonRefusals(t *testing.T) {
	tab := warmPage(t)
	got := evaluate[[]string](t, tab, `[
		{interpreter: "micropython", packages: ["numpy"]},
		{interpreter: "micropython", archive: {url: "/app.zip"}},
		{interpreter: "cpython"},
	].map((options) => { try { pyworker.createWorker(options); return "created"; } catch (e) { return e.message; } })`)
	want := []string{
		"pyworker: the packages option needs a Pyodide worker; MicroPython's takes none yet",
		"pyworker: the archive option needs a Pyodide worker; MicroPython's takes none yet",
		`pyworker: the interpreter "cpython" is unknown; want "pyodide" or "micropython"`,
	}
	if jsonOf(t, got) != jsonOf(t, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A MicroPython worker's Python calls the page's sync functions on every
// channel it can take (JSPI it cannot: MicroPython cannot suspend), with
// values as plain data, the page's errors raised in Python; `sync.NAME = f`
// in the worker exports f, as PyScript's worker side does; input()
// reads the stdin option's lines, the prompt shown, EOFError at the end;
// and time.sleep waits in the worker, where interrupt() reaches it.
func TestMicroPythonSync(t *testing.T) {
	eachChannel(t, func(t *testing.T, c channel) {
		tab := openPage(t)
		navigate(t, tab, *c.url+"/")
		got := evaluate[map[string]any](t, tab, `(async () => {
			const lines = ["Ada"], printed = [];
			const w = pyworker.createWorker({...`+jsonOf(t, c.options)+`, interpreter: "micropython",
				stdin: () => lines.shift() ?? null, stdout: (line) => printed.push(line)});
			w.sync.hello = (name) => "Hello, " + name;
			w.sync.sum = (xs) => xs.reduce((a, b) => a + b, 0);
			w.sync.fail = () => { throw new RangeError("out of range"); };
			const greeting = await w.run("from pyworker import sync\nsync.hello('PyScript')");
			const sum = await w.run("sync.sum([2 ** 40, 1, 2])");
			const failed = await w.run("sync.fail()");
			await w.run("sync.heavy_computation = lambda: 6 * 7");
			const heavy = await w.exports.heavy_computation();
			const name = await w.run("input('Name? ')");
			const eof = await w.run("input()");
			const t0 = performance.now();
			await w.run("import time\ntime.sleep(0.2)");
			const slept = performance.now() - t0;
			const sleeping = w.run("x = 41\ntime.sleep(60)");
			await new Promise((r) => setTimeout(r, 300));
			w.interrupt();
			const stopped = await sleeping;
			const after = await w.run("x + 1");
			w.terminate();
			return {channel: w.channel, greeting: greeting.results, sum: sum.results, failed: failed.exception, heavy,
				name: name.results, eof: eof.exception && eof.exception.type, printed,
				slept, stopped: stopped.exception && stopped.exception.type + " at " + stopped.exception.line, after: after.results};
		})()`)
		if got["channel"] != c.name || got["greeting"] != "Hello, PyScript" || got["sum"] != 1099511627779.0 || got["heavy"] != 42.0 ||
			got["name"] != "Ada" || got["eof"] != "EOFError" || jsonOf(t, got["printed"]) != `["Name? "]` {
			t.Errorf("got %v", got)
		}
		// time.sleep waits in the worker, and an interrupt ends it: KeyboardInterrupt, globals kept.
		if slept, _ := got["slept"].(float64); slept < 200 || got["stopped"] != "KeyboardInterrupt at 2" || got["after"] != 42.0 {
			t.Errorf("time.sleep(0.2) took %v ms; interrupted in time.sleep(60): %v, then x + 1 = %v", got["slept"], got["stopped"], got["after"])
		}
		if failed, _ := got["failed"].(map[string]any); failed["type"] != "RuntimeError" || failed["message"] != "RangeError: out of range" || failed["line"] != 1.0 {
			t.Errorf("a page function that throws: %v", failed)
		}
	}, "shared-memory", "service-worker")
}

// On a page whose only synchronous channel is JSPI (or none, on an engine
// without it), a MicroPython worker has none: asking for JSPI is refused
// on every engine, a sync call says what to enable, and input() without a
// stdin function is at the end of its input.
func TestMicroPythonWithoutChannel(t *testing.T) {
	tab := openPage(t)
	navigate(t, tab, unisolatedURL+"/")
	got := evaluate[map[string]any](t, tab, `(async () => {
		let refused;
		try { pyworker.createWorker({interpreter: "micropython", channel: "jspi"}); } catch (e) { refused = e.message; }
		const w = pyworker.createWorker({interpreter: "micropython"});
		w.sync.hello = () => "hi";
		const call = await w.run("from pyworker import sync\nsync.hello()");
		const read = await w.run("input()");
		const nap = await w.run("import time\ntime.sleep(0.05)\n'rested'");
		w.terminate();
		return {refused, channel: w.channel, error: call.exception && call.exception.message, read: read.exception, nap: nap.results};
	})()`)
	refusal := `pyworker: a MicroPython worker cannot take the "jspi" channel (it cannot suspend); this page has: service-worker, none`
	if got["refused"] != refusal || got["channel"] != "none" {
		t.Errorf("got %v, want the refusal %q and no channel", got, refusal)
	}
	// The help names what can give MicroPython a channel: not JSPI.
	if msg, _ := got["error"].(string); !strings.Contains(msg, "sync.hello() needs a synchronous channel to the page") ||
		!strings.Contains(msg, "--isolation service-worker") || strings.Contains(msg, "JSPI") {
		t.Errorf("a sync call without a channel: %q", msg)
	}
	// Without a channel time.sleep is MicroPython's own.
	if got["nap"] != "rested" {
		t.Errorf("time.sleep without a channel: %v", got["nap"])
	}
	// Without a stdin function input() is at the end of its input, channel or not.
	if read, _ := got["read"].(map[string]any); read["type"] != "EOFError" || read["message"] != "input() has nothing to read: give createWorker a stdin function" {
		t.Errorf("input() without stdin: %v", got["read"])
	}
}

// The PyScript docs' worker file (worker.py, as TestWorkerFromFile runs it
// on Pyodide) runs unchanged on MicroPython: `from pyscript import sync`,
// a sync call while src runs, `sync.NAME = f` and `__export__`.
func TestMicroPythonRunsPyScriptWorker(t *testing.T) {
	url, channel := microPythonSync()
	tab := openPage(t)
	navigate(t, tab, url+"/")
	got := evaluate[[]string](t, tab, `(async () => {
		const said = [];
		const w = pyworker.createWorker({interpreter: "micropython", src: "worker.py", channel: `+jsonOf(t, channel)+`});
		w.sync.greetings = () => said.push("MicroPython bootstrapped");
		await w.ready;
		const answers = [said.join(), String(await w.sync.heavy_computation()), (await w.exports.version()).split(";")[0]];
		w.terminate();
		return answers;
	})()`)
	if strings.Join(got, "|") != "MicroPython bootstrapped|42|3.4.0" {
		t.Errorf("got %q", got)
	}
}

// microPythonSync is the test page served so that a MicroPython worker has
// a synchronous channel on the engine under test, and that channel: shared
// memory where the engine has it, else the service worker (never JSPI,
// which MicroPython cannot take).
func microPythonSync() (url, channel string) {
	if engine.SharedMemory {
		return testURL, "shared-memory"
	}
	return serviceWorkerURL, "service-worker"
}

// A MicroPython worker's window and document: reads, assignments, calls and
// `new` on the page's objects, their errors raised in Python; a Python
// function cannot cross (MicroPython's worker has no callbacks yet), and says so.
func TestMicroPythonPageObjects(t *testing.T) {
	url, channel := microPythonSync()
	tab := openPage(t)
	navigate(t, tab, url+"/")
	got := evaluate[map[string]any](t, tab, `(async () => {
		const w = pyworker.createWorker({interpreter: "micropython", channel: `+jsonOf(t, channel)+`});
		const values = await w.run(`+jsString(mpyPageObjects)+`);
		const thrown = await w.run("window.JSON.parse('{')");
		const callback = await w.run("window.setTimeout(lambda: 1, 0)");
		w.terminate();
		return {values: values.results || values.error, title: document.title, paragraph: document.body.lastElementChild.textContent,
			thrown: thrown.exception, callback: callback.exception};
	})()`)
	if s := fmt.Sprint(got["values"]); !regexp.MustCompile(`^\[set from MicroPython mpy 2 5 <nil> <page object #\d+>\]$`).MatchString(s) {
		t.Errorf("values: %s", s)
	}
	if got["title"] != "set from MicroPython" || got["paragraph"] != "hi from MicroPython" {
		t.Errorf("the page: title %v, last paragraph %v", got["title"], got["paragraph"])
	}
	if thrown, _ := got["thrown"].(map[string]any); thrown["type"] != "RuntimeError" || !strings.HasPrefix(thrown["message"].(string), "SyntaxError: ") {
		t.Errorf("a page call that throws: %v", got["thrown"])
	}
	if callback, _ := got["callback"].(map[string]any); callback["type"] != "TypeError" ||
		callback["message"] != "a Python function cannot cross to the page from a MicroPython worker (it has no callbacks yet)" {
		t.Errorf("a Python function passed to the page: %v", got["callback"])
	}
}

const mpyPageObjects = `
from pyscript import window, document

document.title = "set from MicroPython"
body = document.body
body.dataset.test = "mpy"
p = document.createElement("p")
p.textContent = "hi from MicroPython"
body.append(p)
day = window.Date.new(2026, 0, 2)
[document.title, body.dataset.test, day.getDate(), window.Math.max(1, 5, 3), window.notThere, repr(body)]
`
