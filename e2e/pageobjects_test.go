package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/browser"
)

// window and document in the worker: attributes, methods, references to DOM
// nodes, `new`, Python event listeners, and proxies released when dropped.
func testPageObjects(t *testing.T, tab browser.Tab, run func(*testing.T, string) map[string]any, proxies int) {
	runOK := func(code string) map[string]any {
		t.Helper()
		got := run(t, code)
		if got["error"] != nil {
			t.Fatalf("%s\n%s", code, got["error"])
		}
		return got
	}
	got := runOK(`
		from pyworker import window, document
		document.body.dataset.test = 'yes'
		(document.body.dataset.test, document.title, window.location.pathname, window.innerWidth > 0, window.Date.new(0).getTime())`)
	if s := jsonOf(t, got["results"]); s != `["yes","pyworker tests","/",true,0]` {
		t.Errorf("reads: %s", s)
	}
	if v := evaluate[string](t, tab, `document.body.dataset.test`); v != "yes" {
		t.Errorf("the page sees data-test=%q", v)
	}

	// The PyScript docs' examples, unchanged.
	runOK("from pyscript import sync, window\n\ngreeting = sync.hello(\"PyScript\")\nwindow.console.log(greeting)")
	runOK("from pyscript import window, document\n\ndocument.body.append(\"Hello PyScript!\")")
	page := evaluate[map[string]any](t, tab, `({logged: logged.join("|"), body: document.body.textContent.includes("Hello PyScript!")})`)
	if !strings.Contains(page["logged"].(string), "Hello, PyScript") || page["body"] != true {
		t.Errorf("PyScript examples: %v", page)
	}

	// Keep references to nodes; a Python function as an event listener.
	runOK(`
		from pyworker import document
		body = document.body
		button = document.createElement('button')
		button.id = 'py-button'
		button.textContent = 'made in Python'
		body.append(button)
		clicks = []
		def on_click(event):
		    clicks.append(event.type)
		    button.textContent = f'clicked {len(clicks)} times'
		button.addEventListener('click', on_click)`)
	text := evaluate[string](t, tab, `(async () => {
		const b = document.getElementById("py-button");
		b.click(); b.click();
		for (let i = 0; i < 200 && b.textContent !== "clicked 2 times"; i++) await new Promise(r => setTimeout(r, 10));
		return b.textContent;
	})()`)
	if text != "clicked 2 times" {
		t.Errorf("after two clicks the button says %q", text)
	}
	if got := runOK("clicks"); jsonOf(t, got["results"]) != `["click","click"]` {
		t.Errorf("clicks: %v", got["results"])
	}

	// removeEventListener finds the function addEventListener got; functions
	// the page drops are let go in Python.
	runOK("button.removeEventListener('click', on_click)")
	evaluate[bool](t, tab, `(document.getElementById("py-button").click(), true)`)
	runOK(fmt.Sprintf("from pyworker import window\nfor i in range(%d):\n    window.Array.of(lambda: None)", proxies))
	held := func() float64 { return runOK("import pyworker\nlen(pyworker._callbacks)")["results"].(float64) }
	for i := 0; i < 50 && held() > 1; i++ {
		collectGarbage(t, tab)
	}
	if n := held(); n > 1 {
		t.Errorf("%v Python callbacks still held after the page dropped them", n)
	}
	if got := runOK("clicks"); jsonOf(t, got["results"]) != `["click","click"]` {
		t.Errorf("clicks after removeEventListener: %v", got["results"])
	}

	// A chain of reads is one question: its reads after the first are answered
	// ahead (counted where the bridge is timed, on shared memory). A read in it
	// that throws is a Python exception, as if read alone.
	evaluate[bool](t, tab, `(window.chain = {inner: {v: 3, f() { return this.v * 2; }}, get boom() { throw new RangeError("no boom here"); }}, w.timings(), true)`)
	got = runOK(`
		from pyworker import window
		v = window.chain.inner.v
		doubled = window.chain.inner.f()
		try:
		    window.chain.boom.x
		except Exception as e:
		    boom = str(e)
		(v, doubled, boom)`)
	if s := jsonOf(t, got["results"]); s != `[3,6,"RangeError: no boom here"]` {
		t.Errorf("chains of reads: %s", s)
	}
	if asked := evaluate[any](t, tab, `w.timings()?.sync.calls`); asked != nil && asked != 5.0 {
		// v: 1; doubled: the reads (1) and the call (1); boom: the reads (1) and boom again, alone (1).
		t.Errorf("the chains asked the page %v times, want 5", asked)
	}

	// A page error is a Python exception with the page's message.
	got = evaluate[map[string]any](t, tab, `w.run("from pyworker import document\ndocument.querySelector('!!')")`)
	if msg, _ := got["error"].(string); !strings.Contains(msg, "SyntaxError") || !strings.Contains(msg, "'!!' is not a valid selector") {
		t.Errorf("bad selector: %v", got["error"])
	}

	// Proxies made and dropped leave nothing behind on the page.
	before := evaluate[float64](t, tab, `w.connection.pageObjects.size`)
	runOK(fmt.Sprintf("from pyworker import document\nfor i in range(%d):\n    document.body\nimport gc\ngc.collect()\ndocument.title", proxies))
	after := evaluate[float64](t, tab, `w.connection.pageObjects.size`)
	t.Logf("page objects held: %v before, %v after %d proxies made and dropped", before, after, proxies)
	if after-before > 10 {
		t.Errorf("page objects: %v before, %v after %d dropped proxies", before, after, proxies)
	}
}
