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
	got := call[struct {
		Interrupted, TimedOut, Aborted, Queued string
		Line                                   int
		After, Still                           any
	}](t, tab, "interrupt.stops")
	want := []struct {
		name      string
		got, want any
	}{
		{"interrupted", got.Interrupted, "KeyboardInterrupt"}, {"line", got.Line, 2}, {"after", got.After, 42.0},
		{"timedOut", got.TimedOut, "KeyboardInterrupt"}, {"aborted", got.Aborted, "KeyboardInterrupt"},
		{"queued", got.Queued, "pyworker: the call was aborted before it started"}, {"still", got.Still, 41.0},
	}
	for _, w := range want {
		if w.got != w.want {
			t.Errorf("%s: got %v, want %v (all: %+v)", w.name, w.got, w.want, got)
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
	got := call[struct {
		First   string
		After   any
		Spilled []string
	}](t, tab, "interrupt.atOnce")
	if got.First != "KeyboardInterrupt" || got.After != 42.0 {
		t.Errorf("interrupt() right after run(): %v, then x + 1 = %v", got.First, got.After)
	}
	if len(got.Spilled) > 0 {
		t.Errorf("interrupts meant for one call stopped the next: %v", got.Spilled)
	}
}

// An interrupt reaches Python waiting in input() for a line that never comes.
func TestInterruptDuringInput(t *testing.T) {
	if lacksSharedMemory(t) {
		return
	}
	tab := openPage(t)
	got := call[struct {
		Type, Traceback string
		After           any
	}](t, tab, "interrupt.duringInput")
	if got.Type != "KeyboardInterrupt" || got.After != 2.0 {
		t.Errorf("got %+v", got)
	}
	// The traceback shows the user's line, not the runtime's Python or JavaScript below it.
	if tb := got.Traceback; !strings.Contains(tb, `File "<exec>", line 1, in <module>`) || strings.Contains(tb, "__init__.py") || strings.Contains(tb, "://") {
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
	got := call[struct {
		Type  string
		Line  int
		Slept any
	}](t, tab, "interrupt.duringSleep")
	if got.Type != "KeyboardInterrupt" || got.Line != 3 {
		t.Errorf("got %+v, want a KeyboardInterrupt at line 3", got)
	}
	if slept, _ := got.Slept.(float64); slept < 0.1 {
		t.Errorf("after the interrupt, time.sleep(0.1) slept %v s", got.Slept)
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
	got := call[struct{ Outcome, After string }](t, tab, "interrupt.restartOnInterrupt")
	if msg := got.Outcome; !strings.Contains(msg, "the call was interrupted") || !strings.Contains(msg, "its state was lost") {
		t.Errorf("the interrupted call: %v", got.Outcome)
	}
	if got.After != "NameError" {
		t.Errorf("after the restart, x: %v", got.After)
	}
}

// Without shared memory a worker waiting on its channel (input(), sleep)
// hears the interrupt in the page's answer: KeyboardInterrupt, globals kept.
func TestInterruptWaitWithoutSharedMemory(t *testing.T) {
	eachChannel(t, func(t *testing.T, c channel) {
		tab := openPage(t)
		navigate(t, tab, *c.url+"/")
		got := call[struct {
			Input, Sleep string
			After        any
		}](t, tab, "interrupt.waits", c.options)
		if got.Input != "KeyboardInterrupt at 1" || got.Sleep != "KeyboardInterrupt at 2" || got.After != 42.0 {
			t.Errorf("got %+v, want KeyboardInterrupts in input() and time.sleep, then x + 1 == 42", got)
		}
	}, "jspi", "service-worker")
}
