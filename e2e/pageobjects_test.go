package e2e

import (
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/browser"
)

// window and document in the worker: attributes, methods, references to DOM
// nodes, `new`, Python event listeners, and proxies released when dropped.
// The worker is the one channels.start started; the programs are channels.ts's.
func testPageObjects(t *testing.T, tab browser.Tab, proxies int) {
	runOK := func(program string, context ...map[string]any) runResult {
		t.Helper()
		got := runProgram(t, tab, program, context...)
		if got.Error != "" {
			t.Fatalf("%s\n%s", program, got.Error)
		}
		return got
	}
	got := runOK("reads")
	if s := jsonOf(t, got.Results); s != `["yes","pyworker tests","/",true,0,"undefined"]` {
		t.Errorf("reads: %s", s)
	}
	if v := evaluate[string](t, tab, `document.body.dataset.test`); v != "yes" {
		t.Errorf("the page sees data-test=%q", v)
	}

	// The PyScript docs' examples, unchanged.
	runOK("pyscriptGreeting")
	runOK("pyscriptAppend")
	page := call[struct {
		Logged string
		Body   bool
	}](t, tab, "channels.pyscriptExamplesSeen")
	if !strings.Contains(page.Logged, "Hello, PyScript") || !page.Body {
		t.Errorf("PyScript examples: %+v", page)
	}

	// Keep references to nodes; a Python function as an event listener.
	runOK("button")
	if text := call[string](t, tab, "channels.clickTwice"); text != "clicked 2 times" {
		t.Errorf("after two clicks the button says %q", text)
	}
	if got := runOK("clicks"); jsonOf(t, got.Results) != `["click","click"]` {
		t.Errorf("clicks: %v", got.Results)
	}

	// removeEventListener finds the function addEventListener got; functions
	// the page drops are let go in Python.
	runOK("removeListener")
	call[any](t, tab, "channels.click")
	count := map[string]any{"proxies": proxies}
	runOK("callbacks", count)
	held := func() float64 { return runOK("callbacksHeld").Results.(float64) }
	for i := 0; i < 50 && held() > 1; i++ {
		collectGarbage(t, tab)
	}
	if n := held(); n > 1 {
		t.Errorf("%v Python callbacks still held after the page dropped them", n)
	}
	if got := runOK("clicks"); jsonOf(t, got.Results) != `["click","click"]` {
		t.Errorf("clicks after removeEventListener: %v", got.Results)
	}

	// A chain of reads is one question: its reads after the first are answered
	// ahead (counted where the bridge is timed, on shared memory). A read in it
	// that throws is a Python exception, as if read alone.
	call[any](t, tab, "channels.setChain")
	got = runOK("chains")
	if s := jsonOf(t, got.Results); s != `[3,6,"RangeError: no boom here"]` {
		t.Errorf("chains of reads: %s", s)
	}
	if asked := call[*float64](t, tab, "channels.syncCalls"); asked != nil && *asked != 5 {
		// v: 1; doubled: the reads (1) and the call (1); boom: the reads (1) and boom again, alone (1).
		t.Errorf("the chains asked the page %v times, want 5", *asked)
	}

	// A page error is a Python exception with the page's message.
	got = runProgram(t, tab, "badSelector")
	if msg := got.Error; !strings.Contains(msg, "SyntaxError") || !strings.Contains(msg, "'!!' is not a valid selector") {
		t.Errorf("bad selector: %v", got.Error)
	}

	// Proxies made and dropped leave nothing behind on the page.
	before := call[float64](t, tab, "channels.pageObjectsHeld")
	runOK("proxies", count)
	after := call[float64](t, tab, "channels.pageObjectsHeld")
	t.Logf("page objects held: %v before, %v after %d proxies made and dropped", before, after, proxies)
	if after-before > 10 {
		t.Errorf("page objects: %v before, %v after %d dropped proxies", before, after, proxies)
	}
}

// Symbols cross between a worker's JavaScript and the page as the page's
// own: well-known ones (Symbol.iterator) by name, registered ones
// (Symbol.for) by key, and one read from the page as itself; on both
// interpreters (PyScript's worker-symbols test does this on MicroPython).
func TestSymbolsCross(t *testing.T) {
	url, channel := microPythonSync()
	tab := openPage(t)
	navigate(t, tab, url+"/")
	for _, interpreter := range []string{"micropython", "pyodide"} {
		got := call[any](t, tab, "symbols.fromWorker", interpreter, channel)
		if s := jsonOf(t, got); s != `[true,true,true,true,true]` {
			t.Errorf("%s: %s", interpreter, s)
		}
	}
}
