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
	got := call[struct {
		Value, List, Statement, Exported, Listed any
		Object, ErrorText                        string
		Error, Syntax                            *pythonException
		Printed                                  []string
	}](t, tab, "micropython.worker")
	if got.Value != 42.0 {
		t.Errorf("x * 2 + 2: %v, want 42", got.Value)
	}
	if s := jsonOf(t, got.List); s != `[20,"a",{"k":1.5},[true,3],1099511627776]` {
		t.Errorf("a list: %s", s)
	}
	if msg := got.Object; !strings.HasSuffix(msg, "TypeError: the result cannot cross to the page: a value of type object is not plain data (JSON)\n") {
		t.Errorf("a result that is not plain data: %q", msg)
	}
	if s := jsonOf(t, got.Statement); s != `{}` {
		t.Errorf("a run ending in a statement: %s, want no results", s)
	}
	exception := got.Error
	if exception == nil {
		exception = &pythonException{}
	}
	text := exception.Traceback
	if exception.Type != "ZeroDivisionError" || exception.Message != "divide by zero" || exception.Line != 3 ||
		!strings.Contains(text, `File "<exec>", line 4, in <module>`) || !strings.Contains(text, `File "<exec>", line 3, in f`) ||
		strings.Contains(text, "/lib/pyworker") || got.ErrorText != text {
		t.Errorf("an error: %+v (text %q)", exception, got.ErrorText)
	}
	if syntax := got.Syntax; syntax == nil || syntax.Type != "SyntaxError" || syntax.Line != 2 {
		t.Errorf("a syntax error: %+v", syntax)
	}
	if s := jsonOf(t, got.Printed); s != `["mpy_worker.py ran","hello from micropython"]` {
		t.Errorf("printed: %s", s)
	}
	if got.Exported != "HEY!" || got.Listed != "micropython" {
		t.Errorf("exports: %v, %v", got.Exported, got.Listed)
	}
}

// What MicroPython workers cannot do yet is refused by createWorker, naming it.
func TestMicroPythonRefusals(t *testing.T) {
	tab := warmPage(t)
	got := call[[]string](t, tab, "micropython.refusals")
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
		got := call[struct {
			Channel, Eof, Stopped             string
			Greeting, Sum, Heavy, Name, After any
			Failed                            *pythonException
			Printed                           []string
			Slept                             float64
		}](t, tab, "micropython.sync", c.options)
		if got.Channel != c.name || got.Greeting != "Hello, PyScript" || got.Sum != 1099511627779.0 || got.Heavy != 42.0 ||
			got.Name != "Ada" || got.Eof != "EOFError" || jsonOf(t, got.Printed) != `["Name? "]` {
			t.Errorf("got %+v", got)
		}
		// time.sleep waits in the worker, and an interrupt ends it: KeyboardInterrupt, globals kept.
		if got.Slept < 200 || got.Stopped != "KeyboardInterrupt at 2" || got.After != 42.0 {
			t.Errorf("time.sleep(0.2) took %v ms; interrupted in time.sleep(60): %v, then x + 1 = %v", got.Slept, got.Stopped, got.After)
		}
		if failed := got.Failed; failed == nil || failed.Type != "RuntimeError" || failed.Message != "RangeError: out of range" || failed.Line != 1 {
			t.Errorf("a page function that throws: %+v", failed)
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
	got := call[struct {
		Refused, Channel, Error string
		Read                    *pythonException
		Nap                     any
	}](t, tab, "micropython.withoutChannel")
	refusal := `pyworker: a MicroPython worker cannot take the "jspi" channel (it cannot suspend); this page has: service-worker, none`
	if got.Refused != refusal || got.Channel != "none" {
		t.Errorf("got %+v, want the refusal %q and no channel", got, refusal)
	}
	// The help names what can give MicroPython a channel: not JSPI.
	if msg := got.Error; !strings.Contains(msg, "sync.hello() needs a synchronous channel to the page") ||
		!strings.Contains(msg, "--isolation service-worker") || strings.Contains(msg, "JSPI") {
		t.Errorf("a sync call without a channel: %q", msg)
	}
	// Without a channel time.sleep is MicroPython's own.
	if got.Nap != "rested" {
		t.Errorf("time.sleep without a channel: %v", got.Nap)
	}
	// Without a stdin function input() is at the end of its input, channel or not.
	if read := got.Read; read == nil || read.Type != "EOFError" || read.Message != "input() has nothing to read: give createWorker a stdin function" {
		t.Errorf("input() without stdin: %+v", got.Read)
	}
}

// The PyScript docs' worker file (worker.py, as TestWorkerFromFile runs it
// on Pyodide) runs unchanged on MicroPython: `from pyscript import sync`,
// a sync call while src runs, `sync.NAME = f` and `__export__`.
func TestMicroPythonRunsPyScriptWorker(t *testing.T) {
	url, channel := microPythonSync()
	tab := openPage(t)
	navigate(t, tab, url+"/")
	got := call[[]string](t, tab, "micropython.pyscriptWorker", channel)
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
// function passed to the page is a callback the page calls later.
func TestMicroPythonPageObjects(t *testing.T) {
	url, channel := microPythonSync()
	tab := openPage(t)
	navigate(t, tab, url+"/")
	got := call[struct {
		Values           any
		Title, Paragraph string
		Thrown, Callback *pythonException
		CalledBack       string
	}](t, tab, "micropython.pageObjectsOn", channel)
	if s := fmt.Sprint(got.Values); !regexp.MustCompile(`^\[set from MicroPython mpy 2 5 <nil> <page object #\d+>\]$`).MatchString(s) {
		t.Errorf("values: %s", s)
	}
	if got.Title != "set from MicroPython" || got.Paragraph != "hi from MicroPython" {
		t.Errorf("the page: title %v, last paragraph %v", got.Title, got.Paragraph)
	}
	if thrown := got.Thrown; thrown == nil || thrown.Type != "RuntimeError" || !strings.HasPrefix(thrown.Message, "SyntaxError: ") {
		t.Errorf("a page call that throws: %+v", got.Thrown)
	}
	if got.Callback != nil || got.CalledBack != "from MicroPython" {
		t.Errorf("a Python function passed to the page: %+v, the page's value %q", got.Callback, got.CalledBack)
	}
}

// A MicroPython worker's src and runs may await at top level, as on Pyodide:
// the src runs before ready, a run gives its last expression's value, an
// error names its line in "<exec>", and every run shares one namespace.
func TestMicroPythonTopLevelAwait(t *testing.T) {
	tab := warmPage(t)
	got := call[struct {
		State, Value, Statement, Shared any
		Error                           *pythonException
	}](t, tab, "micropython.topLevelAwait")
	if got.State != "after the await" {
		t.Errorf("the src's state after its await: %v", got.State)
	}
	if got.Value != 42.0 {
		t.Errorf("a run that awaits, then x * 7: %v, want 42", got.Value)
	}
	if e := got.Error; e == nil || e.Type != "ZeroDivisionError" || e.Line != 3 || !strings.Contains(e.Traceback, `File "<exec>", line 3`) ||
		strings.Contains(e.Traceback, "<stdin>") {
		t.Errorf("an error after an await: %+v", got.Error)
	}
	if s := jsonOf(t, got.Statement); s != `{}` {
		t.Errorf("a run that awaits and ends in a statement: %s, want no results", s)
	}
	if s := jsonOf(t, got.Shared); s != `[6,7,"after the await"]` {
		t.Errorf("the namespace runs share: %s", s)
	}
}
