package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/browser"
)

// The three synchronous channels, each on a page served the way it needs:
// shared memory where the page is cross-origin isolated, JSPI where it is
// not, and the service worker, asked for by name since JSPI comes first.
var channels = []channel{
	{"shared-memory", &testURL, map[string]string{}},
	{"jspi", &unisolatedURL, map[string]string{}},
	{"service-worker", &serviceWorkerURL, map[string]string{"channel": "service-worker"}},
}

type channel struct {
	name    string
	url     *string
	options map[string]string // of createWorker
}

// runResult is the runtime's RunResult: results, or error and exception.
type runResult struct {
	Results   any
	Error     string
	Exception *pythonException
}

// pythonException is the runtime's PythonException.
type pythonException struct {
	Type, Message, Traceback string
	Line                     int
}

// pageChannels are the channels pyworker finds on a page of the engine under
// test, fastest first: shared memory needs an isolated page and the engine's
// SharedArrayBuffer, jspi the engine's JSPI.
func pageChannels(isolated bool) []string {
	var has []string
	if isolated && engine.SharedMemory {
		has = append(has, "shared-memory")
	}
	if engine.JSPI {
		has = append(has, "jspi")
	}
	return append(has, "service-worker", "none")
}

// eachChannel runs test on each of the named channels (all when none are
// named) that the engine under test has. Where it lacks one, asking for it
// must fail with the documented error, naming the channels the page has.
func eachChannel(t *testing.T, test func(t *testing.T, c channel), names ...string) {
	for _, c := range channels {
		if len(names) > 0 && !slices.Contains(names, c.name) {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			has := pageChannels(c.url == &testURL)
			if slices.Contains(has, c.name) {
				test(t, c)
				return
			}
			t.Logf("%s has no %s channel: checking that asking for it is refused", engine.Name, c.name)
			tab := openPage(t)
			navigate(t, tab, *c.url+"/")
			got := call[string](t, tab, "channels.ask", c.name)
			want := fmt.Sprintf("pyworker: the channel %q is not available on this page; it has: %s", c.name, strings.Join(has, ", "))
			if got != want {
				t.Errorf("asking for %s: got %q, want %q", c.name, got, want)
			}
		})
	}
}

// On every channel, Python calls the page synchronously, uses window and
// document, and the page calls the worker's exported Python functions.
func TestChannels(t *testing.T) {
	eachChannel(t, func(t *testing.T, c channel) {
		tab := openPage(t)
		navigate(t, tab, *c.url+"/")
		channel := call[string](t, tab, "channels.start", c.options)
		if channel != c.name {
			t.Fatalf("channel %q, want %s", channel, c.name)
		}
		testSyncCalls(t, tab)
		t.Run("window and document", func(t *testing.T) {
			proxies := 2_000 // a leak of them shows: the check allows 10
			if c.name == "service-worker" {
				proxies = 300 // milliseconds a round trip
			}
			testPageObjects(t, tab, proxies)
		})
	})
}

// runProgram runs one of channels.ts's programs on the worker channels.start started, with context if given.
func runProgram(t *testing.T, tab browser.Tab, program string, context ...map[string]any) runResult {
	t.Helper()
	args := []any{program}
	for _, c := range context {
		args = append(args, c)
	}
	return call[runResult](t, tab, "channels.run", args...)
}

func testSyncCalls(t *testing.T, tab browser.Tab) {
	t.Run("page functions", func(t *testing.T) {
		got := runProgram(t, tab, "pageFunctions")
		want := `["Hello, PyScript",42,"Float64Array",[1.5,2.5]]`
		if s := jsonOf(t, got.Results); s != want {
			t.Fatalf("got %s (%v), want %s", s, got.Error, want)
		}
		if log := call[string](t, tab, "channels.recorded"); log != `[["x",1,[2,3],{},[1]]]` {
			t.Errorf("the page got %s", log)
		}
	})

	// input() and sys.stdin read the page's stdin option; the prompt is printed first.
	t.Run("stdin", func(t *testing.T) {
		call[any](t, tab, "channels.queueStdin")
		got := runProgram(t, tab, "stdin")
		if s := jsonOf(t, got.Results); s != `["Ada",42,"EOF when reading a line","x\n",""]` {
			t.Errorf("got %s (%v)", s, got.Error)
		}
		if out := call[string](t, tab, "channels.printed"); out != "before|Name? |more? " {
			t.Errorf("stdout: %q", out)
		}
	})

	// A question never overtakes the lines printed before it, even when they
	// were posted before the question was asked (time.sleep posts them).
	t.Run("output before a question", func(t *testing.T) {
		call[any](t, tab, "channels.clearOutput")
		got := runProgram(t, tab, "outputBeforeQuestion")
		if s := jsonOf(t, got.Results); s != "[]" {
			t.Errorf("the page had not seen the line printed before the question, for: %s (%v)", s, got.Error)
		}
	})

	// time.sleep waits without spinning (shared memory: on the interrupt
	// buffer; jspi: suspended on a timer; service worker: in a held request),
	// not falling back to Pyodide's own.
	t.Run("sleep", func(t *testing.T) {
		got := runProgram(t, tab, "sleep")
		if slept, _ := got.Results.([]any); len(slept) != 2 || slept[0].(float64) < 0.2 || slept[0].(float64) > 10 || slept[1] != true {
			t.Errorf("got %v (%v), want 0.2 s slept without Pyodide's spinning sleep", got.Results, got.Error)
		}
		got = runProgram(t, tab, "sleepNegative")
		if got.Exception == nil || got.Exception.Type != "ValueError" {
			t.Errorf("time.sleep(-1): got %+v, want a ValueError", got)
		}
	})

	// An answer bigger than the channel's buffer: the worker sends a bigger one.
	t.Run("big answers", func(t *testing.T) {
		got := runProgram(t, tab, "bigAnswers")
		if s := jsonOf(t, got.Results); s != `[200000,1400000,3000000,7,"Hello, again"]` {
			t.Fatalf("got %s (%v)", s, got.Error)
		}
	})

	t.Run("page function throws", func(t *testing.T) {
		got := runProgram(t, tab, "boomCaught")
		if got.Results != "RangeError: too far" {
			t.Errorf("caught %+v, want the JS message", got)
		}
		got = runProgram(t, tab, "boom")
		if exc := got.Exception; exc == nil || exc.Message != "RangeError: too far" || exc.Line != 3 {
			t.Errorf("uncaught: %+v", got)
		}
	})

	t.Run("unknown page function", func(t *testing.T) {
		got := runProgram(t, tab, "unknownFunction")
		if !strings.Contains(got.Error, "the page has no sync function 'nope' (it has: hello, lastLine, later, floats, boom, record, big)") {
			t.Errorf("got %+v", got)
		}
	})

	t.Run("argument that cannot cross", func(t *testing.T) {
		got := runProgram(t, tab, "cannotCross")
		if exc := got.Exception; exc == nil || exc.Type != "TypeError" || !strings.Contains(exc.Message, "an argument of sync.hello() cannot cross to the page: a Python 'object'") {
			t.Errorf("got %+v", got)
		}
	})

	t.Run("exports", func(t *testing.T) {
		if got := runProgram(t, tab, "exports"); got.Error != "" {
			t.Fatal(got.Error)
		}
		answers := call[string](t, tab, "channels.exportAnswers")
		want := `["42","3.14.","42","{\"sum\":6,\"keys\":[\"a\",\"b\"]}","ValueError: ValueError: no @16","\"later\"","AttributeError: AttributeError: the worker exports no function 'missing'; it exports: double, fails, heavy, pair, slow, version (use @export, __export__ = [...] or sync.NAME = f)"]`
		if answers != want {
			t.Errorf("got  %s\nwant %s", answers, want)
		}
	})

	// The PyScript docs' worker example, unchanged, with the page side in JS.
	t.Run("pyscript example", func(t *testing.T) {
		if got := call[string](t, tab, "channels.pyscriptExample"); got != "Pyodide bootstrapped 42" {
			t.Errorf("got %q", got)
		}
	})
}

// terminate() while Python waits on the page, on every channel: the call
// rejects, nothing hangs, and the next call runs on a new worker that still
// has the page's functions.
func TestTerminateDuringSyncCall(t *testing.T) {
	eachChannel(t, func(t *testing.T, c channel) {
		tab := openPage(t)
		navigate(t, tab, *c.url+"/")
		got := call[[]string](t, tab, "channels.terminateDuringSyncCall", c.options)
		if got[0] != "rejected pyworker: the worker was terminated" || got[1] != "hi" {
			t.Errorf("got %q", got)
		}
	})
}

// An async event handler's value is dropped, as a sync handler's is (a page
// object returned is no error); what it raises goes to stderr.
func TestAsyncEventHandler(t *testing.T) {
	tab := openSyncPage(t)
	got := call[struct {
		Text, AfterError string
		AfterValue       []string
	}](t, tab, "channels.asyncEventHandler")
	if got.Text != "handled" || len(got.AfterValue) != 0 {
		t.Errorf("the handler returning a page object: %+v", got)
	}
	if e := got.AfterError; !strings.Contains(e, "ValueError: handler failed") || !strings.Contains(e, "line 10, in on_click") {
		t.Errorf("the handler that raised: stderr %q", e)
	}
}

// Binary views cross by their standard kind: a subclass of Float32Array
// crosses as a Float32Array, and so does a Float16Array (Pyodide has none).
func TestBinaryViewsCross(t *testing.T) {
	tab := openSyncPage(t)
	got := call[runResult](t, tab, "channels.binaryViews")
	if s := jsonOf(t, got.Results); s != `["Float32Array",2.5,"Float32Array",3,3]` {
		t.Errorf("got %+v", got)
	}
}
