package e2e

import (
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/browser"
)

// interrupt() raises KeyboardInterrupt in a busy loop and the worker keeps
// its globals; a timeout or an AbortSignal stops a call the same way, and a
// call still queued when stopped rejects without running.
func TestInterrupt(t *testing.T) {
	if lacksSharedMemory(t) {
		return
	}
	tab := openPage(t)
	got := evaluate[map[string]any](t, tab, `(async () => {
		const w = pyworker.createWorker();
		await w.run("x = 41");
		const loop = w.run("while True:\n    pass");
		await new Promise((r) => setTimeout(r, 300));
		w.interrupt();
		const interrupted = await loop;
		const after = await w.run("x + 1");
		const timedOut = await w.run("import time\nwhile True:\n    time.perf_counter()", {timeout: 200});
		const controller = new AbortController();
		const aborted = w.run("while True:\n    pass", {signal: controller.signal});
		const queued = w.run("x = 0", {signal: controller.signal});
		setTimeout(() => controller.abort(), 200);
		const abortedResult = await aborted;
		const queuedOutcome = await queued.then((r) => "resolved " + JSON.stringify(r), (e) => e.message);
		const still = await w.run("x");
		w.terminate();
		return {
			interrupted: interrupted.exception && interrupted.exception.type, line: interrupted.exception && interrupted.exception.line,
			after: after.results, timedOut: timedOut.exception && timedOut.exception.type,
			aborted: abortedResult.exception && abortedResult.exception.type, queued: queuedOutcome, still: still.results,
		};
	})()`)
	want := map[string]any{"interrupted": "KeyboardInterrupt", "line": 2.0, "after": 42.0, "timedOut": "KeyboardInterrupt",
		"aborted": "KeyboardInterrupt", "queued": "pyworker: the call was aborted before it started", "still": 41.0}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
}

// interrupt() in the same task as run(), before the worker has the call (Run
// then Stop, quickly): the call ends with KeyboardInterrupt when its turn
// comes. And an interrupt meant for one call never lands in the call after it.
func TestInterruptAtOnce(t *testing.T) {
	if lacksSharedMemory(t) {
		return
	}
	tab := openPage(t)
	got := evaluate[map[string]any](t, tab, `(async () => {
		const w = pyworker.createWorker();
		await w.run("x = 41");
		const loop = w.run("while True:\n    pass");
		w.interrupt();
		const hung = new Promise((r) => setTimeout(() => r({error: "still running 10 s after interrupt()"}), 10000));
		const first = await Promise.race([loop, hung]);
		const after = await w.run("x + 1");
		const spilled = [];
		for (let i = 0; i < 40; i++) {
			let ended = false;
			const a = w.run("for _ in range(" + 2000 * i + "):\n    pass");
			a.then(() => (ended = true));
			const b = w.run("'b'");
			await new Promise((r) => setTimeout(r, i % 4));
			const meantForA = !ended;
			w.interrupt();
			const rb = await b;
			if (meantForA && rb.results !== "b") spilled.push(i + ": " + (rb.error || rb.results));
		}
		w.terminate();
		return {first: first.exception ? first.exception.type : first.error, after: after.results, spilled};
	})()`)
	if got["first"] != "KeyboardInterrupt" || got["after"] != 42.0 {
		t.Errorf("interrupt() right after run(): %v, then x + 1 = %v", got["first"], got["after"])
	}
	if spilled, _ := got["spilled"].([]any); len(spilled) > 0 {
		t.Errorf("interrupts meant for one call stopped the next: %v", spilled)
	}
}

// An interrupt reaches Python waiting in input() for a line that never comes.
func TestInterruptDuringInput(t *testing.T) {
	if lacksSharedMemory(t) {
		return
	}
	tab := openPage(t)
	got := evaluate[map[string]any](t, tab, `(async () => {
		const w = pyworker.createWorker({stdin: () => new Promise(() => {})});
		await w.run("x = 1");
		const waiting = w.run("input('? ')");
		await new Promise((r) => setTimeout(r, 300));
		w.interrupt();
		const interrupted = await waiting;
		const after = await w.run("x + 1");
		w.terminate();
		return {type: interrupted.exception && interrupted.exception.type, after: after.results, traceback: interrupted.error};
	})()`)
	if got["type"] != "KeyboardInterrupt" || got["after"] != 2.0 {
		t.Errorf("got %v", got)
	}
	// The traceback shows the user's line, not the runtime's Python or JavaScript below it.
	if tb, _ := got["traceback"].(string); !strings.Contains(tb, `File "<exec>", line 1, in <module>`) || strings.Contains(tb, "__init__.py") || strings.Contains(tb, "://") {
		t.Errorf("traceback:\n%s", tb)
	}
}

// time.sleep wakes on interrupt(), and what was printed before it reaches the
// page while it sleeps: here the line itself makes the page interrupt, a
// little later, so that Python is surely asleep by then.
func TestInterruptDuringSleep(t *testing.T) {
	if lacksSharedMemory(t) {
		return
	}
	tab := openPage(t)
	got := evaluate[map[string]any](t, tab, `(async () => {
		const w = pyworker.createWorker({stdout: (line) => { if (line === "sleeping") setTimeout(() => w.interrupt(), 200); }});
		const r = await w.run("import time\nprint('sleeping')\ntime.sleep(30)");
		const slept = await w.run("t = time.monotonic()\ntime.sleep(0.1)\ntime.monotonic() - t");
		w.terminate();
		return {type: r.exception && r.exception.type, line: r.exception && r.exception.line, slept: slept.results};
	})()`)
	if got["type"] != "KeyboardInterrupt" || got["line"] != 3.0 {
		t.Errorf("got %v, want a KeyboardInterrupt at line 3", got)
	}
	if slept, _ := got["slept"].(float64); slept < 0.1 {
		t.Errorf("after the interrupt, time.sleep(0.1) slept %v s", got["slept"])
	}
}

// Without shared memory there is no interrupt buffer: a busy worker is
// restarted, the call rejects saying the state was lost, and the next call
// runs on a new interpreter.
func TestInterruptWithoutSharedMemory(t *testing.T) {
	tab := openPage(t)
	navigate(t, tab, unisolatedURL+"/")
	checkRestartOnInterrupt(t, tab)
}

// lacksSharedMemory states that the test needs shared memory on the
// isolated test page. On an engine without it, it checks instead what
// pyworker does there (an interrupt restarts the worker, saying its state
// was lost) and reports true: the test ends. The check runs once per
// engine; the other tests that need shared memory share its outcome.
func lacksSharedMemory(t *testing.T) bool {
	t.Helper()
	if engine.SharedMemory {
		return false
	}
	if passed, checked := restartChecked[engine.Name]; checked {
		t.Logf("%s has no SharedArrayBuffer: an interrupt restarting the worker instead was checked already", engine.Name)
		if !passed {
			t.Error("an interrupt on a page without shared memory does not restart the worker: see the test that checked it first")
		}
		return true
	}
	t.Logf("%s has no SharedArrayBuffer: checking that an interrupt restarts the worker instead", engine.Name)
	defer func() { restartChecked[engine.Name] = !t.Failed() }()
	checkRestartOnInterrupt(t, openPage(t))
	return true
}

// restartChecked is, per engine, whether lacksSharedMemory's check passed, once it ran.
var restartChecked = map[string]bool{}

// checkRestartOnInterrupt checks, on a page without shared memory, that an
// interrupted busy call rejects saying the state was lost, and the next call
// runs on a new interpreter.
func checkRestartOnInterrupt(t *testing.T, tab browser.Tab) {
	t.Helper()
	got := evaluate[map[string]any](t, tab, `(async () => {
		const w = pyworker.createWorker();
		await w.run("x = 41");
		const loop = w.run("while True:\n    pass");
		await new Promise((r) => setTimeout(r, 300));
		w.interrupt();
		const outcome = await loop.then(() => "resolved", (e) => e.message);
		const after = await w.run("x");
		return {outcome, after: after.exception && after.exception.type};
	})()`)
	if msg, _ := got["outcome"].(string); !strings.Contains(msg, "the call was interrupted") || !strings.Contains(msg, "its state was lost") {
		t.Errorf("the interrupted call: %v", got["outcome"])
	}
	if got["after"] != "NameError" {
		t.Errorf("after the restart, x: %v", got["after"])
	}
}

// Without shared memory a worker waiting on its channel (input(), sleep)
// hears the interrupt in the page's answer: KeyboardInterrupt, globals kept.
func TestInterruptWaitWithoutSharedMemory(t *testing.T) {
	eachChannel(t, func(t *testing.T, c channel) {
		tab := openPage(t)
		navigate(t, tab, *c.url+"/")
		got := evaluate[map[string]any](t, tab, `(async () => {
			const w = pyworker.createWorker({...`+jsonOf(t, c.options)+`, stdin: () => new Promise(() => {})});
			await w.run("x = 41\nimport time");
			const stop = async (code) => {
				const call = w.run(code);
				await new Promise((r) => setTimeout(r, 500));
				w.interrupt();
				const r = await call;
				return r.exception && r.exception.type + " at " + r.exception.line;
			};
			const input = await stop("input('? ')");
			const sleep = await stop("print('zz')\ntime.sleep(60)");
			const after = await w.run("x + 1");
			w.terminate();
			return {input, sleep, after: after.results};
		})()`)
		if got["input"] != "KeyboardInterrupt at 1" || got["sleep"] != "KeyboardInterrupt at 2" || got["after"] != 42.0 {
			t.Errorf("got %v, want KeyboardInterrupts in input() and time.sleep, then x + 1 == 42", got)
		}
	}, "jspi", "service-worker")
}
