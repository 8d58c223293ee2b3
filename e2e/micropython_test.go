package e2e

import (
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
