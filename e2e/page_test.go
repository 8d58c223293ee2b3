package e2e

import (
	"strings"
	"testing"
)

// window and document in the worker: attributes, methods, references to DOM
// nodes, `new`, Python event listeners, and proxies released when dropped.
func TestWindowAndDocument(t *testing.T) {
	tab := openPage(t)
	evaluate[bool](t, tab, `(async () => {
		window.w = pyworker.createWorker();
		window.logged = [];
		const log = console.log;
		console.log = (...args) => { logged.push(args.join(" ")); log(...args); };
		w.sync.hello = (name) => "Hello, " + name;
		await w.ready;
		return true;
	})()`)
	run := func(code string) map[string]any {
		t.Helper()
		got := evaluate[map[string]any](t, tab, `w.run(`+jsString(code)+`)`)
		if got["error"] != nil {
			t.Fatalf("%s\n%s", code, got["error"])
		}
		return got
	}

	got := run("from pyworker import window, document\n" +
		"document.body.dataset.test = 'yes'\n" +
		"(document.body.dataset.test, document.title, window.location.pathname, window.innerWidth > 0, window.Date.new(0).getTime())")
	if s := jsonOf(t, got["results"]); s != `["yes","pyworker tests","/",true,0]` {
		t.Errorf("reads: %s", s)
	}
	if v := evaluate[string](t, tab, `document.body.dataset.test`); v != "yes" {
		t.Errorf("the page sees data-test=%q", v)
	}

	// The PyScript docs' examples, unchanged.
	run("from pyscript import sync, window\n\ngreeting = sync.hello(\"PyScript\")\nwindow.console.log(greeting)")
	run("from pyscript import window, document\n\ndocument.body.append(\"Hello PyScript!\")")
	page := evaluate[map[string]any](t, tab, `({logged: logged.join("|"), body: document.body.textContent.includes("Hello PyScript!")})`)
	if !strings.Contains(page["logged"].(string), "Hello, PyScript") || page["body"] != true {
		t.Errorf("PyScript examples: %v", page)
	}

	// Keep references to nodes; a Python function as an event listener.
	run("from pyworker import document\n" +
		"body = document.body\n" +
		"button = document.createElement('button')\n" +
		"button.id = 'py-button'\n" +
		"button.textContent = 'made in Python'\n" +
		"body.append(button)\n" +
		"clicks = []\n" +
		"def on_click(event):\n" +
		"    clicks.append(event.type)\n" +
		"    button.textContent = f'clicked {len(clicks)} times'\n" +
		"button.addEventListener('click', on_click)")
	text := evaluate[string](t, tab, `(async () => {
		const b = document.getElementById("py-button");
		b.click(); b.click();
		for (let i = 0; i < 200 && b.textContent !== "clicked 2 times"; i++) await new Promise(r => setTimeout(r, 10));
		return b.textContent;
	})()`)
	if text != "clicked 2 times" {
		t.Errorf("after two clicks the button says %q", text)
	}
	if got := run("clicks"); jsonOf(t, got["results"]) != `["click","click"]` {
		t.Errorf("clicks: %v", got["results"])
	}

	// A page error is a Python exception with the page's message.
	got = evaluate[map[string]any](t, tab, `w.run("from pyworker import document\ndocument.querySelector('!!')")`)
	if msg, _ := got["error"].(string); !strings.Contains(msg, "SyntaxError") || !strings.Contains(msg, "'!!' is not a valid selector") {
		t.Errorf("bad selector: %v", got["error"])
	}

	// 10,000 proxies made and dropped leave nothing behind on the page.
	before := evaluate[float64](t, tab, `w.connection.pageObjects.size`)
	run("from pyworker import document\nfor i in range(10000):\n    document.body\nimport gc\ngc.collect()\ndocument.title")
	after := evaluate[float64](t, tab, `w.connection.pageObjects.size`)
	t.Logf("page objects held: %v before, %v after 10,000 proxies made and dropped", before, after)
	if after-before > 10 {
		t.Errorf("page objects: %v before, %v after 10,000 dropped proxies", before, after)
	}
}

// Without a channel, window and document say what to enable.
func TestDocumentWithoutChannel(t *testing.T) {
	tab := openPage(t)
	navigate(t, tab, unisolatedURL+"/")
	got := evaluate[map[string]any](t, tab, `pyworker.createWorker().run("from pyworker import document\ndocument.title")`)
	if msg, _ := got["error"].(string); !strings.Contains(msg, "document.title needs a synchronous channel") {
		t.Errorf("got %v", got)
	}
}
