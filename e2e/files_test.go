package e2e

import (
	"strings"
	"testing"
)

// createWorker({src}) runs the file before ready: the PyScript docs' worker,
// unchanged, with its page side in JS.
func TestWorkerFromFile(t *testing.T) {
	tab := openSyncPage(t)
	got := evaluate[[]string](t, tab, `(async () => {
		const said = [];
		const w = pyworker.createWorker({src: "worker.py"});
		w.sync.greetings = () => said.push("Pyodide bootstrapped");
		const early = w.exports.version(); // asked before ready: waits for worker.py to define it
		await w.ready;
		return [said.join(), String(await w.sync.heavy_computation()), (await early).slice(0, 4)];
	})()`)
	if strings.Join(got, "|") != "Pyodide bootstrapped|42|3.14" {
		t.Errorf("got %q", got)
	}

	// A file indented as a whole runs, dedented.
	shout := evaluate[string](t, tab, `pyworker.createWorker({src: "indented.py"}).exports.shout("hey")`)
	if shout != "HEY!" {
		t.Errorf("indented.py: %q", shout)
	}

	// A call made while src is still running waits for it to finish.
	late := evaluate[string](t, tab, `(async () => {
		let early;
		const w = pyworker.createWorker({src: "slow_start.py"});
		w.sync.started = () => { early = w.exports.late(); };
		await w.ready;
		return await early;
	})()`)
	if late != "defined after the sleep" {
		t.Errorf("a call during src: %q", late)
	}

	// A file that raises: ready rejects with its traceback, in the file's own lines.
	msg := evaluate[string](t, tab, `pyworker.createWorker({src: "broken.py"}).ready.then(() => "ready", e => e.message)`)
	for _, want := range []string{"broken.py raised an exception", `File "broken.py", line 3, in <module>`, "RuntimeError: cannot start: no config"} {
		if !strings.Contains(msg, want) {
			t.Errorf("broken.py: %q lacks %q", msg, want)
		}
	}
	msg = evaluate[string](t, tab, `pyworker.createWorker({src: "missing.py"}).ready.then(() => "ready", e => e.message)`)
	if !strings.Contains(msg, "missing.py: 404") {
		t.Errorf("missing.py: %q", msg)
	}
}

// Named workers: asked for before and after they exist, and declared in HTML.
func TestNamedWorkers(t *testing.T) {
	tab := openPage(t)
	navigate(t, tab, testURL+"/named.html")
	got := evaluate[[]string](t, tab, `(async () => {
		const early = pyworker.workers.calc; // asked for before it exists
		pyworker.createWorker({name: "calc"});
		const calc = await early;
		const same = (await pyworker.workers.calc) === calc;
		const greeter = await pyworker.workers.greeter;
		const inline = await pyworker.workers["inline"];
		return [String((await calc.run("6 * 7")).results), String(same), await greeter.exports.hello("there"), String(await inline.exports.square(9))];
	})()`)
	if strings.Join(got, "|") != "42|true|hi there|81" {
		t.Errorf("got %q", got)
	}
}
