package e2e

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// A fresh worker reports its load progress, then survives a fatal
// interpreter error and a terminate() in the middle of a call: each time its
// pending calls are rejected with a clear error and the next call runs on a
// new interpreter.
func TestWorkerLifecycle(t *testing.T) {
	tab := openPage(t)
	progress := call[[]progress](t, tab, "lifecycle.start")
	var phases []string
	last := -1.0
	for _, p := range progress {
		if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
			phases = append(phases, p.Phase)
		}
		loaded, total := p.Loaded, p.Total
		if loaded < last || loaded > total || total < 5e6 {
			t.Fatalf("progress goes backwards or past its total: %v", progress)
		}
		last = loaded
	}
	if want := firstStartPhases(); strings.Join(phases, ",") != strings.Join(want, ",") {
		t.Errorf("phases: got %v, want %v", phases, want)
	}
	if final := progress[len(progress)-1]; final.Loaded != final.Total {
		t.Errorf("the last progress event is not complete: %v", final)
	}
	if len(progress) < 5 {
		t.Errorf("only %d progress events: %v", len(progress), progress)
	}

	// A fatal error (a wild memory read in C) kills the interpreter: the call and
	// the one queued behind it reject; the next call gets a new interpreter.
	got := call[[]string](t, tab, "lifecycle.crash")
	for i := range 2 {
		if !strings.HasPrefix(got[i], "rejected pyworker: the interpreter died (its WebAssembly trapped: RuntimeError: ") ||
			!strings.HasSuffix(got[i], "); the next call starts a new one") {
			t.Errorf("call %d: got %q, want a rejection saying the interpreter died of the memory error", i, got[i])
		}
	}
	if got[2] != "[false,42]" || got[3] != "ready" {
		t.Errorf("after the crash: got %s and ready %s, want a fresh, ready interpreter answering [false,42]", got[2], got[3])
	}

	// terminate() in the middle of an endless loop: rejected at once, nothing hangs.
	got = call[[]string](t, tab, "lifecycle.terminateLoop")
	if got[0] != "rejected pyworker: the worker was terminated" || got[1] != "2" {
		t.Errorf("terminate mid-call: got %q", got)
	}
}

// A terminated worker stops, even in a loop that never leaves Python, on a
// page without shared memory: WebKit ends a worker only where it calls into
// JavaScript, and Python calls out while it runs only to read its interrupt
// buffer. Before the worker always had one, WebKit's terminated worker spun
// on, a core busy, until its page closed.
func TestTerminatedWorkerStops(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("a browser's processor time is read from /proc, on Linux only")
	}
	for _, interpreter := range []string{"pyodide", "micropython"} {
		t.Run(interpreter, func(t *testing.T) {
			tab := openPage(t)
			navigate(t, tab, unisolatedURL+"/")
			call[any](t, tab, "lifecycle.terminateSpinning", interpreter)
			// A worker spinning on takes a core: a second of processor time each
			// second. Chromium takes about two seconds to stop it; ten is plenty.
			// WebKit cannot end a MicroPython worker that never calls out of its
			// loop (MicroPython 1.27 has no hook into JavaScript, and no interrupt):
			// that is checked as the limit the README states, until it goes.
			spinsOn := strings.HasPrefix(engine.Name, "webkit") && interpreter == "micropython"
			var used time.Duration
			for range 10 {
				before, err := running.CPUTime()
				if err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Second)
				after, err := running.CPUTime()
				if err != nil {
					t.Fatal(err)
				}
				if used = after - before; used < 500*time.Millisecond {
					if spinsOn {
						t.Errorf("WebKit stopped a MicroPython worker spinning in a loop: update the README and this test")
					}
					return
				}
				if spinsOn {
					t.Logf("as the README says, WebKit cannot stop a MicroPython worker in a loop: %v of processor time in a second after terminate()", used)
					return
				}
			}
			t.Errorf("the browser still used %v of processor time a second, ten seconds after the worker was terminated: it runs on", used)
		})
	}
}

// A package that cannot be loaded fails ready with a message naming it.
func TestUnknownPackage(t *testing.T) {
	tab := openPage(t)
	got := call[string](t, tab, "lifecycle.readyOf", map[string][]string{"packages": {"no-such-package"}})
	if !strings.Contains(got, "no-such-package") || !strings.Contains(got, "could not start") {
		t.Fatalf("got %q, want an error naming no-such-package", got)
	}
}

// The playground runs code through its own editor and Run button.
func TestPlayground(t *testing.T) {
	tab := openPage(t)
	navigate(t, tab, playgroundURL+"/")
	waitInPage(t, tab, `!$("run").disabled`)
	runInPlayground(t, tab, "hello")
	output := waitForRun(t, tab).Output
	if !strings.Contains(output, "hello from the worker\n") || !strings.Contains(output, "14.5") {
		t.Errorf("playground output: %q", output)
	}
	// An error shows its traceback.
	runInPlayground(t, tab, "raises")
	output = call[string](t, tab, "playground.outputWith", "ValueError")
	if !strings.Contains(output, `File "<exec>", line 2, in f`) || !strings.Contains(output, "ValueError: bad input") {
		t.Errorf("playground error output: %q", output)
	}
	state := call[struct {
		Progress   float64
		Phase, FPS string
	}](t, tab, "playground.loadState")
	if state.Progress != 1 || state.Phase != "Python is ready" || !strings.HasSuffix(state.FPS, "fps") {
		t.Errorf("playground state: %+v", state)
	}
}

// progress is the runtime's Progress.
type progress struct {
	Phase         string
	Loaded, Total float64
	Message       string
}
