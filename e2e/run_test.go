package e2e

import (
	"github.com/pyworker/pyworker/internal/assets"
	"math"
	"strings"
	"testing"
)

// The Pyodide docs' script, byte for byte: a template string indented as a
// whole, with a leading newline. It is dedented, as runPythonAsync does.
const seedScript = `
    import statistics
    from js import A_rank
    statistics.stdev(A_rank)
`

// The seed's own example: statistics.stdev of A_rank, through asyncRun.
func TestSeedExample(t *testing.T) {
	tab := warmPage(t)
	got := evaluate[map[string]any](t, tab, `pyworker.asyncRun(`+jsonOf(t, seedScript)+`, {A_rank: [0.8, 0.4, 1.2, 3.7, 2.6, 5.8]})`)
	want := 2.0634114147853952 // Python's statistics.stdev of the same list
	if v, ok := got["results"].(float64); !ok || math.Abs(v-want) > 1e-12 {
		t.Fatalf("got %v, want results %v", got, want)
	}
	if _, ok := got["error"]; ok {
		t.Fatalf("unexpected error: %v", got["error"])
	}
}

// Indented code keeps its line numbers in tracebacks: dedenting moves no line.
func TestIndentedCodeLines(t *testing.T) {
	tab := warmPage(t)
	code := `
        total = 0
        for n in (1, 2, 0):
            total += 1 / n
    `
	got := evaluate[map[string]any](t, tab, `pyworker.asyncRun(`+jsonOf(t, code)+`).then(r => r.exception)`)
	if got["type"] != "ZeroDivisionError" || got["line"] != 4.0 ||
		!strings.Contains(got["traceback"].(string), `File "<exec>", line 4, in <module>`) {
		t.Errorf("got %v, want a ZeroDivisionError at line 4", got)
	}
}

// 100 calls in flight at once, each seeing only its own context.
func TestManyCallsInFlight(t *testing.T) {
	tab := warmPage(t)
	got := evaluate[[]float64](t, tab, `Promise.all(Array.from({length: 100}, (_, i) =>
		pyworker.asyncRun("from js import n, label\nassert label == f'call {n}'\nn * n", {n: i, label: "call " + i})
			.then(r => r.error ? -1 : r.results)))`)
	if len(got) != 100 {
		t.Fatalf("got %d answers, want 100", len(got))
	}
	for i, v := range got {
		if v != float64(i*i) {
			t.Fatalf("call %d got %v, want %d", i, v, i*i)
		}
	}
	// A name given to one call is not visible to the next.
	leak := evaluate[map[string]any](t, tab, `pyworker.asyncRun("import js\njs.label")`)
	if exc, _ := leak["exception"].(map[string]any); exc == nil || exc["type"] != "AttributeError" {
		t.Fatalf("a later call could read an earlier call's context: %v", leak)
	}
}

func TestPythonErrors(t *testing.T) {
	tab := warmPage(t)
	for _, tc := range []struct {
		name, code, typ, message string
		line                     float64
		traceback                []string
	}{
		{"ZeroDivisionError", "x = 1\ny = 0\nx / y", "ZeroDivisionError", "division by zero", 3,
			[]string{"Traceback (most recent call last):", `File "<exec>", line 3, in <module>`, "x / y", "ZeroDivisionError: division by zero"}},
		{"in a function", "def f(n):\n    return {}[n]\n\nf('key')", "KeyError", "'key'", 2,
			[]string{`File "<exec>", line 4, in <module>`, `File "<exec>", line 2, in f`, "KeyError: 'key'"}},
		{"SyntaxError", "a = 1\nb = (\nc = 3", "SyntaxError", "'(' was never closed", 2,
			[]string{`File "<exec>", line 2`, "SyntaxError: '(' was never closed"}},
		{"missing module", "import no_such_module_here", "ModuleNotFoundError", "No module named 'no_such_module_here'", 1,
			[]string{"ModuleNotFoundError: No module named 'no_such_module_here'"}},
		// numpy is in Pyodide's lock file, but the tests' server has not fetched it and fetches nothing.
		{"package that cannot load", "import numpy", "ModuleNotFoundError", "", 1,
			[]string{"ModuleNotFoundError: No module named 'numpy' (pyworker could not load its package 'numpy' from " + testURL + "/pyworker/pyodide/v" + assets.PyodideVersion + "/numpy-",
				".whl: the server answered 404 Not Found (pyworker: package numpy (numpy-", ".whl) has not been fetched, and fetching packages is off (--packages-from none); fetch it ahead with: pyworker fetch --packages numpy); Pyodide said: The following error occurred while loading numpy: "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := evaluate[map[string]any](t, tab, `pyworker.asyncRun(`+jsString(tc.code)+`)`)
			exc, _ := got["exception"].(map[string]any)
			if exc == nil {
				t.Fatalf("no exception in %v", got)
			}
			if tc.message == "" { // only its start is known
				tc.message = exc["message"].(string)
			}
			if exc["type"] != tc.typ || exc["message"] != tc.message || exc["line"] != tc.line {
				t.Errorf("got type %v message %q line %v, want %s %q %v", exc["type"], exc["message"], exc["line"], tc.typ, tc.message, tc.line)
			}
			text, _ := got["error"].(string)
			if text != exc["traceback"] {
				t.Errorf("error and exception.traceback differ:\n%s\n%s", text, exc["traceback"])
			}
			for _, want := range tc.traceback {
				if !strings.Contains(text, want) {
					t.Errorf("traceback lacks %q:\n%s", want, text)
				}
			}
			if !strings.HasSuffix(strings.TrimSpace(text), tc.typ+": "+tc.message) {
				t.Errorf("traceback does not end in %q:\n%s", tc.typ+": "+tc.message, text)
			}
			for _, runtimeFrame := range []string{"pyworker/__init__.py", "_pyodide", "site-packages"} {
				if strings.Contains(text, runtimeFrame) {
					t.Errorf("traceback shows the runtime's frames (%s):\n%s", runtimeFrame, text)
				}
			}
		})
	}
	// The worker goes on after errors, and state persists between calls as in runPythonAsync.
	got := evaluate[float64](t, tab, `pyworker.asyncRun("counter = 41").then(() => pyworker.asyncRun("counter + 1")).then(r => r.results)`)
	if got != 42 {
		t.Fatalf("after the errors: got %v, want 42", got)
	}
}

// Results arrive as plain JavaScript values.
func TestResultConversion(t *testing.T) {
	tab := warmPage(t)
	got := evaluate[string](t, tab, `pyworker.asyncRun(
		"{'dict': {'a': 1}, 'list': [1, 'two', 3.5], 'tuple': (1, 2), 'none': None, 'bool': True, 'bytes': b'hi', 'big': 2**70, 'nested': [{'x': [None]}]}"
	).then(({results: r}) => JSON.stringify({
		plainObject: Object.getPrototypeOf(r) === Object.prototype && Object.getPrototypeOf(r.dict) === Object.prototype,
		list: r.list, tuple: Array.isArray(r.tuple) && r.tuple,
		none: r.none === undefined, bool: r.bool,
		bytes: r.bytes instanceof Uint8Array && Array.from(r.bytes),
		big: typeof r.big === "bigint" && r.big.toString(),
		nested: r.nested,
	}))`)
	want := `{"plainObject":true,"list":[1,"two",3.5],"tuple":[1,2],"none":true,"bool":true,"bytes":[104,105],"big":"1180591620717411303424","nested":[{"x":[null]}]}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	none := evaluate[bool](t, tab, `pyworker.asyncRun("x = 1").then(r => "results" in r && r.results === undefined && !("error" in r))`)
	if !none {
		t.Fatal("a statement gives no {results: undefined}")
	}
}

// Typed arrays reach Python as typed arrays (not lists) and come back as typed arrays.
func TestTypedArrayContext(t *testing.T) {
	tab := warmPage(t)
	got := evaluate[string](t, tab, `(async () => {
		const a = Float64Array.from({length: 1000000}, (_, i) => i);
		const r = await pyworker.asyncRun(
			"from js import a\nassert type(a).__name__.startswith('JsProxy') or 'Js' in type(a).__name__, type(a)\n(a.constructor.name, a.length, a[999999], a.subarray(10, 13))",
			{a});
		if (r.error) return r.error;
		const moved = new Float64Array(4000000);
		const r2 = await pyworker.asyncRun("from js import big\nbig.length", {big: moved}, {transfer: [moved.buffer]});
		return JSON.stringify([r.results[0], r.results[1], r.results[2], r.results[3] instanceof Float64Array, Array.from(r.results[3]), a.length, r2.results, moved.length]);
	})()`)
	want := `["Float64Array",1000000,999999,true,[10,11,12],1000000,4000000,0]`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// Results that cannot cross to the page are errors that name what they are.
func TestUncrossableValues(t *testing.T) {
	tab := warmPage(t)
	for _, tc := range []struct{ code, want string }{
		{"len", "builtin_function_or_method 'len'"},
		{"def f(): pass\nf", "function 'f'"},
		{"import sys\nsys", "module 'sys'"},
		{"import datetime\ndatetime.date(2026, 1, 2)", "'date'"},
		{"[1, 2, object()]", "'object'"},
		{"from js import Math\nMath.max", "it is or holds a JavaScript function 'max', which cannot be copied (DataCloneError: "},
		{"from js import Math, Object\nObject.fromEntries([['f', Math.min]])", "it is or holds a JavaScript function 'min', which cannot be copied (DataCloneError: "},
	} {
		got := evaluate[map[string]any](t, tab, `pyworker.asyncRun(`+jsString(tc.code)+`)`)
		exc, _ := got["exception"].(map[string]any)
		if exc == nil || exc["type"] != "TypeError" || !strings.Contains(exc["message"].(string), "cannot cross to the page") ||
			!strings.Contains(exc["message"].(string), tc.want) {
			t.Errorf("%q: got %v, want a TypeError naming %s", tc.code, got, tc.want)
		}
	}
	// A context value that cannot be sent rejects the call, naming the value.
	msg := evaluate[string](t, tab, `pyworker.asyncRun("1", {ok: 1, callback: () => 1}).then(r => "resolved: " + JSON.stringify(r), e => e.name + ": " + e.message)`)
	if !strings.HasPrefix(msg, "TypeError: ") || !strings.Contains(msg, "context value 'callback' (a function) cannot be sent") {
		t.Errorf("uncloneable context: got %q", msg)
	}
	if got := evaluate[float64](t, tab, `pyworker.asyncRun("6 * 7").then(r => r.results)`); got != 42 {
		t.Errorf("the worker does not go on after refused values: %v", got)
	}
}

// The page keeps painting while Python computes for two seconds.
func TestPageKeepsPainting(t *testing.T) {
	tab := warmPage(t)
	code := `
        import time
        end = time.time() + 2
        n = 0
        while time.time() < end:
            n += 1
        n
    `
	got := evaluate[map[string]float64](t, tab, `(async () => {
		const start = performance.now();
		const r = await pyworker.asyncRun(`+jsonOf(t, code)+`);
		const stop = performance.now();
		const frames = window.frames_.filter(t => t >= start && t <= stop);
		let gap = 0;
		for (let i = 1; i < frames.length; i++) gap = Math.max(gap, frames[i] - frames[i - 1]);
		gap = Math.max(gap, frames[0] - start, stop - frames[frames.length - 1]);
		return {loops: r.results, ms: stop - start, frames: frames.length, gap};
	})()`)
	t.Logf("%.0f loop iterations in %.0f ms; %.0f frames, longest gap %.1f ms", got["loops"], got["ms"], got["frames"], got["gap"])
	// The worker's wall clock and the page's performance.now() are coarsened
	// differently (a run measured 1999.995 ms on the page), hence the margin.
	if got["ms"] < 1990 || got["loops"] < 1000 {
		t.Fatalf("Python did not run for two seconds: %v", got)
	}
	if got["gap"] > 100 {
		t.Fatalf("the page stopped painting for %.0f ms while Python ran", got["gap"])
	}
}

func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// input() with no stdin option is the end of input, with a message saying what to give.
func TestInputWithoutStdin(t *testing.T) {
	tab := warmPage(t)
	got := evaluate[map[string]any](t, tab, `pyworker.asyncRun("input('name? ')")`)
	exc, _ := got["exception"].(map[string]any)
	message, _ := exc["message"].(string)
	if exc["type"] != "EOFError" || exc["line"] != 1.0 || !strings.Contains(message, "stdin") {
		t.Fatalf("got %v, want an EOFError at line 1 that names the stdin option", got)
	}
}

// Calls run in the order they were made, whichever way each reaches the
// worker: plain ones by the shared-memory lane when the worker spins for
// them, ones that transfer a buffer as messages. Some are awaited one by
// one, some sent in bursts, some right behind messages still in flight
// while the worker finishes a long call.
func TestCallOrder(t *testing.T) {
	tab := openPage(t)
	got := evaluate[map[string]any](t, tab, `(async () => {
		const w = pyworker.createWorker();
		await w.run("import time\norder = []\ndef busy(s):\n    t = time.perf_counter()\n    while time.perf_counter() - t < s: pass");
		const sent = [];
		let n = 0;
		const call = (transfer, code = "") => {
			const i = n++;
			sent.push(i);
			if (!transfer) return w.run(code + "order.append(" + i + ")");
			const a = new Float64Array([i]);
			return w.run("from js import a\norder.append(int(a[0]))", {context: {a}, transfer: [a.buffer]});
		};
		const pause = (ms) => new Promise((r) => setTimeout(r, ms));
		for (let round = 0; round < 40; round++) {
			await call(round % 3 === 0);
			const burst = [];
			for (let k = 0; k < round % 4; k++) burst.push(call(k % 2 === 1));
			if (round % 2) await Promise.all(burst);
		}
		for (let round = 0; round < 30; round++) {
			const calls = [call(false, "busy(0.02)\n")];
			await pause(2);
			calls.push(call(true)); // messages the worker reads only after the long call
			await pause(2);
			calls.push(call(true));
			await calls[0];
			calls.push(call(false));
			await Promise.resolve(); // posted now, not with the next
			for (const t = performance.now(); performance.now() - t < 0.02 * (round % 15););
			calls.push(call(false));
			await Promise.all(calls);
		}
		const order = (await w.run("order")).results;
		w.terminate();
		return {same: JSON.stringify(order) === JSON.stringify(sent), n: order.length, sent: sent.length};
	})()`)
	if got["same"] != true || got["n"] != got["sent"] {
		t.Errorf("the worker ran the calls in another order, or lost some: %v", got)
	}
}
