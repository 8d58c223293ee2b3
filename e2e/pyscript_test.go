package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pyworker/pyworker/internal/browser"
)

// The PyScript docs' examples (the seeds 002 and 003), their files as
// written, in testdata/pyscript: each page is served with PyScript's core.js
// tag replaced by pyworker's, the one change a PyScript user makes.

// pyScriptTag is the tag that bootstraps PyScript in the docs' pages.
var pyScriptTag = regexp.MustCompile(`<script type="module" src="https://pyscript\.net/releases/[^"]+/core\.js"></script>`)

// consoleLines records what the page prints to its console in window.printed,
// put first in the page's head: the examples print there.
const consoleLines = `<script>window.printed = []; for (const k of ["log", "info", "warn", "error"]) { const f = console[k].bind(console); ` +
	`console[k] = (...a) => { window.printed.push(a.map(String).join(" ")); f(...a); }; }</script>`

// asPyScriptPages serves the pages under /pyscript/ with pyworker's tag for
// PyScript's (a page without it is an error) and their console recorded;
// a Content-Security-Policy keeps the browser from fetching PyScript's
// stylesheet, which the pages still name, from outside.
func asPyScriptPages(site http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		file := r.URL.Path
		if strings.HasSuffix(file, "/") {
			file += "index.html"
		}
		if !strings.HasPrefix(file, "/pyscript/") || path.Ext(file) != ".html" {
			site.ServeHTTP(w, r)
			return
		}
		page, err := os.ReadFile("testdata" + path.Clean(file))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if !pyScriptTag.Match(page) && !strings.Contains(string(page), `src="/pyworker/pyworker.js"`) {
			http.Error(w, file+" has no PyScript tag to replace", http.StatusInternalServerError)
			return
		}
		page = pyScriptTag.ReplaceAll(page, []byte(`<script type="module" src="/pyworker/pyworker.js"></script>`))
		page = []byte(strings.Replace(string(page), "<head>", "<head>"+consoleLines, 1))
		// The site's headers (isolation or none) are those of the page it stands for.
		recorder := &headerOnly{header: http.Header{}}
		site.ServeHTTP(recorder, r.Clone(r.Context()))
		for _, name := range []string{"Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy"} {
			if v := recorder.header.Get(name); v != "" {
				w.Header().Set(name, v)
			}
		}
		w.Header().Set("Content-Security-Policy", "style-src 'self' 'unsafe-inline'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(page)
	})
}

// headerOnly keeps the headers a handler sets, and drops its body.
type headerOnly struct{ header http.Header }

func (h *headerOnly) Header() http.Header         { return h.header }
func (h *headerOnly) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerOnly) WriteHeader(int)             {}

// openPyScriptPage opens the example at url and waits until condition (JavaScript) holds.
func openPyScriptPage(t *testing.T, url, condition string) browser.Tab {
	t.Helper()
	tab := newTab(t)
	goTo(t, tab, url)
	waitUntil(t, tab, condition)
	return tab
}

// waitUntil evaluates condition in the page until it holds (through reloads), for at most a minute.
func waitUntil(t *testing.T, tab browser.Tab, condition string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	var err error
	for time.Now().Before(deadline) {
		var ok bool
		if ok, err = tryEvaluate[bool](tab, "!!("+condition+")"); err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	state, _ := tryEvaluate[struct {
		Printed []string
		Body    string
	}](tab, `({printed: window.printed, body: document.body && document.body.innerText})`)
	t.Fatalf("waiting for %s: not within a minute (last error %v); the page: %+v", condition, err, state)
}

// printed is what the page printed to its console so far.
func printed(t *testing.T, tab browser.Tab) []string {
	t.Helper()
	return evaluate[[]string](t, tab, `window.printed`)
}

// The docs' common use case: MicroPython on the page starts a Pyodide worker,
// which calls the page's sync.greetings while it starts; the page awaits it
// ready, awaits its sync.heavy_computation() and shows the result.
func TestPyScriptCommonUseCase(t *testing.T) {
	tab := openPyScriptPage(t, syncURL()+"/pyscript/common/", `document.body.textContent.includes("42")`)
	if got, want := strings.Join(printed(t, tab), " | "), "before ready | Pyodide bootstrapped | after ready | 42"; got != want {
		t.Errorf("the console: %q, want %q (the docs' outcome)", got, want)
	}
	if body := evaluate[string](t, tab, `document.body.textContent.trim()`); body != "42" {
		t.Errorf("the body: %q, want the result appended", body)
	}
}

// A named worker from a tag, awaited as workers["my-worker"] on the page,
// whose __export__ lists version().
func TestPyScriptNamedWorker(t *testing.T) {
	tab := openPyScriptPage(t, syncURL()+"/pyscript/named/", `window.printed.length > 0`)
	if lines := printed(t, tab); len(lines) != 1 || !regexp.MustCompile(`^3\.\d+\.\d+ .*\[Clang`).MatchString(lines[0]) {
		t.Errorf("the console: %q, want the Pyodide worker's sys.version", lines)
	}
}

// PyWorker(type="micropython") with sync.hello set on the page: the worker
// calls it and logs the greeting through the page's window.console.
func TestPyScriptSyncHello(t *testing.T) {
	tab := openPyScriptPage(t, syncURL()+"/pyscript/sync/", `window.printed.length > 0`)
	if got := strings.Join(printed(t, tab), " | "); got != "Hello, PyScript" {
		t.Errorf("the console: %q, want the greeting", got)
	}
}

// The service-worker attribute on a page served without the isolation
// headers: a mini-coi-style service worker (./sw.js adds the headers)
// makes the page isolated after one reload; pyworker's own sw.js gives the
// worker its service-worker channel. Either way the worker's document.body.append works.
func TestPyScriptServiceWorkerAttribute(t *testing.T) {
	for _, c := range []struct{ page, isolated string }{{"service-worker", "true"}, {"sw-channel", "false"}} {
		t.Run(c.page, func(t *testing.T) {
			tab := openPyScriptPage(t, unisolatedURL+"/pyscript/"+c.page+"/", `[...document.body.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.data === "Hello PyScript!")`)
			got := call[struct {
				Isolated string
				Errors   int
			}](t, tab, "pyscript.isolation")
			if got.Isolated != c.isolated || got.Errors != 0 {
				t.Errorf("the page: %+v, want isolated %s and no error", got, c.isolated)
			}
		})
	}
}

// Python on the page: scripts (and <mpy-script> elements) run in document
// order (an async one does not hold the next while it awaits), MicroPython
// and Pyodide each once per page, print to the console, and an error shows its traceback on the page
// without stopping the scripts after it.
func TestPythonOnThePage(t *testing.T) {
	tab := openPyScriptPage(t, testURL+"/pyscript/page/", `window.printed.some((line) => line === "mpy after the errors")`)
	lines := printed(t, tab)
	order := func(line string) int {
		for i, l := range lines {
			if l == line {
				return i
			}
		}
		t.Errorf("the console lacks %q: %q", line, lines)
		return -1
	}
	first, async, py, element, last := order("mpy first"), order("mpy async, after its await"), order("py on cpython after ran"),
		order("mpy-script, an element"), order("mpy after the errors")
	if !(first < async && first < py && py < element && element < last) {
		t.Errorf("the order: %q", lines)
	}
	boxes := call[[]string](t, tab, "pyscript.errorBoxes")
	want := []string{`File "<script>", line 4, in <module>`, `File "<script>", line 3, in f`, "ZeroDivisionError: divide by zero"}
	var zero, missing bool
	for _, box := range boxes {
		if strings.Contains(box, "ZeroDivisionError") {
			zero = true
			for _, w := range want {
				if !strings.Contains(box, w) {
					t.Errorf("the error box %q lacks %q", box, w)
				}
			}
		}
		missing = missing || strings.Contains(box, "missing.py could not be fetched: 404")
	}
	if !zero || !missing || len(boxes) != 2 {
		t.Errorf("error boxes: %q, want the ZeroDivisionError and the missing file", boxes)
	}
}

// PyScript's config, in TOML from a file: its files are in the interpreter's
// file system and its js_modules importable before the code runs, on the
// page (MicroPython) and in workers (Pyodide, MicroPython), with the URLs of
// a config file relative to it, as PyScript reads them; a config that
// cannot be read is an error box naming the file and the line; packages
// are refused where MicroPython would need them.
func TestPyScriptConfig(t *testing.T) {
	want := "test() from a config's file | HI! | hello from a file"
	// A config file in a folder: its URLs are the folder's (in a worker of each interpreter).
	wantNested := "test() from beside a config in a folder | HI! | hello from a file"
	tab := openPyScriptPage(t, testURL+"/pyscript/config/",
		`window.printed.filter((line) => line === `+jsonOf(t, want)+`).length === 3 && `+
			`window.printed.filter((line) => line === `+jsonOf(t, wantNested)+`).length === 2 && window.printed.some((line) => line.startsWith("refused:"))`)
	for _, line := range printed(t, tab) {
		if strings.HasPrefix(line, "refused:") && !strings.Contains(line, "pyworker: the config's packages need a Pyodide worker; MicroPython's takes none yet") {
			t.Errorf("a MicroPython worker with packages: %q", line)
		}
	}
	boxes := call[[]string](t, tab, "pyscript.errorBoxes")
	wantBoxes := []string{
		"pyworker: the config ./broken.toml is not valid TOML, line 3: ",
		"pyworker: the inline config is not valid JSON, line 1: ",
	}
	for _, w := range wantBoxes {
		found := false
		for _, box := range boxes {
			found = found || strings.HasPrefix(box, w)
		}
		if !found {
			t.Errorf("no error box starts %q: %q", w, boxes)
		}
	}
	if len(boxes) != len(wantBoxes) {
		t.Errorf("error boxes: %q", boxes)
	}
}

// PyScript's module as apps use it, one file run on the page and in workers
// on both interpreters: display() (escaped text into the script's own output
// element, HTML and _repr_html_ into a target), current_target() by
// PyScript's ids, config, Event, when() on page elements (with options and
// async handlers), fetch, storage, pyscript.util and ffi, and PyScript's
// events: TYPE:ready and TYPE:done for each script, py:all-done last.
// <py-config> and <mpy-config>: the config of the scripts of their type that
// name none, on the page and in workers; a script's own config comes first.
func TestPyScriptConfigElements(t *testing.T) {
	url, _ := microPythonSync() // MicroPython's worker needs shared memory or the service worker
	want := []string{"py | hello from a file", "mpy | hello from a file", "py worker | hello from a file", "mpy worker | hello from a file"}
	conditions := []string{}
	for _, line := range want {
		conditions = append(conditions, `window.printed.includes(`+jsonOf(t, line)+`)`)
	}
	tab := openPyScriptPage(t, url+"/pyscript/py-config/", strings.Join(conditions, " && ")+` && window.printed.some((line) => line.startsWith("own config |"))`)
	// The page's one MicroPython ran the <mpy-config> script before: its file is there too.
	if lines := printed(t, tab); !slices.Contains(lines, "own config | hello from a file | True") {
		t.Errorf("a script with a config of its own: %q", lines)
	}
	if boxes := call[[]string](t, tab, "pyscript.errorBoxes"); len(boxes) != 0 {
		t.Errorf("error boxes: %q", boxes)
	}
	if shown := evaluate[[]string](t, tab, `[...document.querySelectorAll("py-config, mpy-config")].filter((e) => getComputedStyle(e).display !== "none").map((e) => e.localName)`); len(shown) != 0 {
		t.Errorf("config elements shown on the page: %q", shown)
	}
}

// The terminal attribute: a terminal (xterm.js) after the script with its
// output; in a worker, input() reads a line typed there, after its prompt.
func TestPyScriptTerminal(t *testing.T) {
	url, _ := microPythonSync() // input() in a worker needs shared memory or the service worker
	// The text of the terminal of the script `selector`, a line each.
	lines := func(selector string) string {
		return `((t) => t ? Array.from({length: t.buffer.active.length}, (_, i) => t.buffer.active.getLine(i).translateToString(true)).filter(Boolean) : [])(document.querySelector(` + jsonOf(t, selector) + `)?.terminal)`
	}
	const page, mpy, py = `script[type="py"]:not([worker])`, `script[type="mpy"][worker]`, `script[type="py"][worker]`
	tab := openPyScriptPage(t, url+"/pyscript/terminal/",
		lines(page)+`.includes("hello from the page's terminal") && `+lines(mpy)+`.includes("name? ") && `+lines(py)+`.includes("number? ")`)
	if n := evaluate[int](t, tab, `document.querySelectorAll("py-terminal, mpy-terminal").length`); n != 3 {
		t.Errorf("%d terminal elements, want 3", n)
	}
	evaluate[any](t, tab, `document.querySelector(`+jsonOf(t, mpy)+`).terminal.input("Ada\r"), document.querySelector(`+jsonOf(t, py)+`).terminal.input("21\r"), null`)
	waitUntil(t, tab, lines(mpy)+`.includes("hello Ada") && `+lines(py)+`.includes("twice 42") && `+lines(py)+`.includes("to stderr")`)
	if got := evaluate[[]string](t, tab, lines(mpy)); !slices.Equal(got, []string{"name? Ada", "hello Ada"}) {
		t.Errorf("the MicroPython worker's terminal: %q", got)
	}
	if got := evaluate[[]string](t, tab, lines(py)); !slices.Equal(got, []string{"number? 21", "twice 42", "to stderr"}) {
		t.Errorf("the Pyodide worker's terminal: %q", got)
	}
	if printed := printed(t, tab); slices.Contains(printed, "hello from the page's terminal") || slices.Contains(printed, "twice 42") {
		t.Errorf("terminal output reached the console too: %q", printed)
	}
}

func TestPyScriptModule(t *testing.T) {
	url, _ := microPythonSync() // MicroPython's worker needs shared memory or the service worker
	names := []string{"mpy", "py", "py worker", "mpy worker"}
	ready := []string{}
	for _, name := range names {
		ready = append(ready, `window.printed.some((line) => line.startsWith(`+jsonOf(t, name+" | ")+`) && line.endsWith("| True"))`)
	}
	tab := openPyScriptPage(t, url+"/pyscript/module/", strings.Join(ready, " && "))
	lines := printed(t, tab)
	targets := map[string]string{"mpy": "mpy-0", "py": "py-0", "py worker": "py-w0-target", "mpy worker": "mpy-w1-target"}
	types := map[string]string{"mpy": "mpy", "py": "py", "py worker": "py", "mpy worker": "mpy"}
	for _, name := range names {
		want := fmt.Sprintf("%s | %s | 42 %s | True", name, targets[name], types[name])
		if !slices.Contains(lines, want) {
			t.Errorf("no line %q in %q", want, lines)
		}
		for _, event := range []string{" | event 7", " | event 8", " | async event", " | closure 7", " | closure 8"} {
			if !slices.Contains(lines, name+event) {
				t.Errorf("no line %q in %q", name+event, lines)
			}
		}
	}
	// Each script's own output: its escaped text, in a <div> of the element after it.
	outputs := evaluate[map[string]string](t, tab, `Object.fromEntries(["mpy-0", "py-0", "py-w0-target", "mpy-w1-target"].map((id) => {
		const e = document.getElementById(id);
		return [id, e ? e.tagName + " " + e.innerHTML : "missing"];
	}))`)
	for name, id := range targets {
		want := fmt.Sprintf("SCRIPT-%s <div>&lt;b&gt;%s&lt;/b&gt;</div>", strings.ToUpper(types[name]), name)
		if outputs[id] != want {
			t.Errorf("%s's output element %s: %q, want %q", name, id, outputs[id], want)
		}
	}
	out := evaluate[string](t, tab, `document.getElementById("out").innerHTML`)
	for _, name := range names {
		if !strings.Contains(out, "<div><i>"+name+"</i></div>") {
			t.Errorf("#out: no <i>%s</i> in %q", name, out)
		}
	}
	if n := strings.Count(out, "<div><em>card</em></div>"); n != 4 {
		t.Errorf("#out: %d cards from _repr_html_, want 4: %q", n, out)
	}
	waitUntil(t, tab, `window.pyEvents.includes("py:all-done")`)
	events := evaluate[[]string](t, tab, `window.pyEvents`)
	for _, want := range []string{"mpy:ready", "mpy:done", "py:ready", "py:done", "py:ready worker", "py:done worker", "mpy:ready worker", "mpy:done worker"} {
		if n := slices.Index(events, want); n < 0 || slices.Index(events, "py:all-done") < n {
			t.Errorf("PyScript's events: %q has no %q before py:all-done", events, want)
		}
	}
	// A click reaches the handlers on the page and in the workers; the `once` one only once.
	evaluate[any](t, tab, `document.getElementById("go").click(), document.getElementById("go").click(), null`)
	clicked := []string{}
	for _, name := range names {
		clicked = append(clicked, `window.printed.filter((line) => line === `+jsonOf(t, name+" | clicked click")+`).length === 2`,
			`window.printed.includes(`+jsonOf(t, name+" | clicked once")+`)`)
	}
	waitUntil(t, tab, strings.Join(clicked, " && "))
	time.Sleep(300 * time.Millisecond)
	for _, name := range names {
		if n := slices.Index(printed(t, tab), name+" | clicked once"); n < 0 || slices.Contains(printed(t, tab)[n+1:], name+" | clicked once") {
			t.Errorf("%s: the once=True handler ran other than once: %q", name, printed(t, tab))
		}
	}
}

// pyscript.web as apps use it, one file run on the page and in workers on
// both interpreters: elements made with children, HTML, classes and style,
// found by id and selector, compared, options, collections, slices,
// clones, the title, and on_click handlers.
func TestPyScriptWeb(t *testing.T) {
	url, _ := microPythonSync()
	names := []string{"mpy", "py", "py worker", "mpy worker"}
	done := []string{}
	for _, name := range names {
		done = append(done, `window.printed.some((line) => line.startsWith(`+jsonOf(t, name+" | web |")+`))`)
	}
	tab := openPyScriptPage(t, url+"/pyscript/web/", strings.Join(done, " && "))
	for _, name := range names {
		if want := name + " | web | all true"; !slices.Contains(printed(t, tab), want) {
			t.Errorf("%s: %q", name, printed(t, tab))
		}
		slot := strings.ReplaceAll(name, " ", "-")
		got := evaluate[string](t, tab, `(() => { const c = document.getElementById(`+jsonOf(t, "card-"+slot)+`);
			return c ? c.className + " | " + c.style.color + " | " + c.innerHTML : "missing"; })()`)
		if want := "card new | red | <h2>Title " + name + "</h2><p class=\"note\">html <b>child</b></p>"; got != want {
			t.Errorf("%s's card: %q, want %q", name, got, want)
		}
	}
	clicks := []string{}
	for _, name := range names {
		slot := strings.ReplaceAll(name, " ", "-")
		evaluate[any](t, tab, `document.getElementById(`+jsonOf(t, "button-"+slot)+`).click(), null`)
		clicks = append(clicks, `window.printed.includes(`+jsonOf(t, name+" | on_click click")+`)`)
	}
	waitUntil(t, tab, strings.Join(clicks, " && "))
}

// A page script's `target` attribute (an id, "#" optional) names its output
// element: display() writes there, current_target() gives it, and no
// <script-py> is made.
func TestPyScriptTarget(t *testing.T) {
	tab := openPyScriptPage(t, testURL+"/pyscript/target/",
		`window.printed.includes("mpy | target here") && window.printed.includes("py | target here")`)
	got := evaluate[string](t, tab, `document.getElementById("here").innerHTML + " | " + document.querySelectorAll("script-mpy, script-py").length`)
	if want := "<div>mpy to here</div><div>py to here</div> | 0"; got != want {
		t.Errorf("#here: %q, want %q", got, want)
	}
}
