package e2e

import (
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/site"

	"github.com/pyworker/pyworker/internal/browser"
)

// The playground as an interactive runner: Stop, a line typed in when the
// program asks, and output that streams while keeping only its last lines.
func TestPlaygroundInteractive(t *testing.T) {
	if lacksSharedMemory(t) {
		return
	}
	tab := openPage(t)
	navigate(t, tab, playgroundURL+"/")
	waitInPage(t, tab, `!$("run").disabled`)

	t.Run("Stop", func(t *testing.T) {
		// The first line shows while the loop runs; Stop interrupts it and the globals stay.
		runInPlayground(t, tab, "looping")
		waitInPage(t, tab, `$("output").textContent === "looping\n" && $("run").disabled && !$("stop").disabled`)
		click(t, tab, "#stop")
		got := waitForRun(t, tab)
		if !strings.HasPrefix(got.Output, "looping\nTraceback") || !strings.HasSuffix(got.Output, "KeyboardInterrupt\n") || got.RunDisabled || !got.StopDisabled {
			t.Fatalf("after Stop: %+v, want the KeyboardInterrupt's traceback, Run enabled and Stop disabled", got)
		}
		runInPlayground(t, tab, "printX")
		if got := waitForRun(t, tab); got.Output != "42\n" {
			t.Errorf("the run after Stop printed %q, want 42 (x kept)", got.Output)
		}
	})

	t.Run("input", func(t *testing.T) {
		runInPlayground(t, tab, "greeting")
		// The field has the focus, the prompt stands beside it, and what was printed before shows above.
		waitInPage(t, tab, `!$("stdin").hidden && document.activeElement.id === "stdin-line" && $("prompt").textContent === "Name? " && $("output").textContent === "hi\n"`)
		typeLine(t, tab, "Ada")
		if got := waitForRun(t, tab); got.Output != "hi\nName? Ada\nHello, Ada\n" || !got.InputHidden {
			t.Errorf("after typing Ada: %+v, want the prompt and the line echoed, then the greeting", got)
		}

		// EOF ends the input: input() raises EOFError.
		runInPlayground(t, tab, "askMore")
		waitInPage(t, tab, `!$("stdin").hidden`)
		click(t, tab, "#eof")
		if got := waitForRun(t, tab); !strings.HasPrefix(got.Output, "More? \nTraceback") || !strings.HasSuffix(got.Output, "EOFError: EOF when reading a line\n") {
			t.Errorf("after EOF: %q, want the prompt, then the EOFError", got.Output)
		}

		// Stop ends the wait: the prompt stays, the field goes.
		runInPlayground(t, tab, "askWait")
		waitInPage(t, tab, `!$("stdin").hidden`)
		click(t, tab, "#stop")
		if got := waitForRun(t, tab); !strings.HasPrefix(got.Output, "Wait? \nTraceback") || !strings.Contains(got.Output, "KeyboardInterrupt") || !got.InputHidden {
			t.Errorf("Stop during input: %+v, want the prompt, the KeyboardInterrupt, no field", got)
		}
	})

	t.Run("output cap", func(t *testing.T) {
		// Frames are counted while it runs: the output grows in them, and none is
		// late; a timer ticking every 10 ms tells how long the page's own work held
		// the main thread.
		call[any](t, tab, "playground.countFrames")
		runInPlayground(t, tab, "manyLines")
		got := waitForRun(t, tab)
		stats := call[struct{ Gap, Updates, Task float64 }](t, tab, "playground.frameStats")
		t.Logf("%s; %v frames updated the output; longest frame gap %.0f ms, longest timer gap %.0f ms", got.Status, stats.Updates, stats.Gap, stats.Task)
		lines := strings.Split(strings.TrimSuffix(got.Output, "\n"), "\n")
		first, _ := strconv.Atoi(lines[0])
		if lines[len(lines)-1] != "99999" || len(lines) > 5000 || len(lines) < 4500 || first != 100000-len(lines) {
			t.Errorf("the output holds %d lines, %s to %s; want the last 4,500 to 5,000, ending in 99999", len(lines), lines[0], lines[len(lines)-1])
		}
		if want := fmt.Sprintf("… %s earlier lines not shown", thousands(100000-len(lines))); got.Note != want {
			t.Errorf("note: got %q, want %q", got.Note, want)
		}
		if stats.Updates < 3 {
			t.Errorf("the output changed in %v frames while the program ran, want it to stream", stats.Updates)
		}
		// A freeze, not a slow frame: the bound leaves room for a busy 2-core
		// machine. WebKit under Xvfb paints the streaming text in software, far
		// behind its main thread (frame gaps of 450 to 700 ms while the timer's
		// stayed under 190 ms), so there the timer's gap is what tells a freeze.
		gap, what := stats.Gap, "stopped painting"
		if strings.HasPrefix(engine.Name, "webkit") {
			gap, what = stats.Task, "held its main thread"
		}
		if gap > 250 {
			t.Errorf("the page %s for %.0f ms while the output streamed (a freeze is over 250 ms)", what, gap)
		}

		// Lines that come at once (one print) leave a few hundred at a time as more
		// come, not all together.
		runInPlayground(t, tab, "linesAtOnce")
		waitInPage(t, tab, `!$("stdin").hidden`)
		click(t, tab, "#eof")
		got = waitForRun(t, tab)
		if lines := strings.Count(got.Output, "\n"); lines < 4500 || !strings.HasSuffix(got.Output, "EOFError: EOF when reading a line\n") {
			t.Errorf("after more output came: %d lines, ending %q; want 4,500 or more, ending in the EOFError", lines, got.Output[max(0, len(got.Output)-80):])
		}
	})
}

// Without cross-origin isolation Stop can only restart the worker: the output
// says the state was lost, and the next run works on a new interpreter.
func TestPlaygroundStopWithoutIsolation(t *testing.T) {
	h, err := site.New(site.Config{Isolation: "off"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(withScripts(h))
	defer srv.Close()
	tab := newTab(t)
	goTo(t, tab, srv.URL+"/")
	waitInPage(t, tab, `!$("run").disabled`)
	runInPlayground(t, tab, "looping")
	waitInPage(t, tab, `$("output").textContent === "looping\n"`)
	click(t, tab, "#stop")
	if got := waitForRun(t, tab); !strings.Contains(got.Output, "without shared memory") || !strings.HasSuffix(got.Output, "its state was lost\n") || got.RunDisabled {
		t.Fatalf("after Stop: %+v, want the error saying the state was lost, and Run enabled", got)
	}
	runInPlayground(t, tab, "hasX")
	if got := waitForRun(t, tab); got.Output != "False\n" {
		t.Errorf("the run after the restart printed %q, want False (a new interpreter)", got.Output)
	}
}

// playgroundState is what the playground shows (playground.ts's State).
type playgroundState struct {
	Output, Note, Status                   string
	RunDisabled, StopDisabled, InputHidden bool
}

// runInPlayground puts one of playground.ts's programs in the editor and clicks Run.
func runInPlayground(t *testing.T, tab browser.Tab, program string) {
	t.Helper()
	call[any](t, tab, "playground.run", program)
}

// click clicks the element selector names, as a user's click does (a disabled button ignores it).
func click(t *testing.T, tab browser.Tab, selector string) {
	t.Helper()
	call[any](t, tab, "playground.click", selector)
}

// typeLine types line into the input line and presses Enter, which submits its form.
func typeLine(t *testing.T, tab browser.Tab, line string) {
	t.Helper()
	call[any](t, tab, "playground.typeLine", line)
}

// waitForRun waits for the run to end and returns what the page shows then.
func waitForRun(t *testing.T, tab browser.Tab) playgroundState {
	t.Helper()
	return call[playgroundState](t, tab, "playground.waitForRun")
}

// waitInPage polls a JavaScript expression in the page until it is truthy and
// returns its value as JSON; $(id) is the element with that id.
func waitInPage(t *testing.T, tab browser.Tab, expression string) string {
	t.Helper()
	return evaluate[string](t, tab, `new Promise((resolve) => {
		const $ = (id) => document.getElementById(id);
		const poll = () => { const v = (`+expression+`); v ? resolve(JSON.stringify(v)) : setTimeout(poll, 20); };
		poll();
	})`)
}

// thousands writes n with commas, as the page's note does.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// The playground's interpreter switch: MicroPython starts, its example
// replaces Pyodide's untouched one, runs with input() and shows its value;
// switching back brings Pyodide and its example again.
func TestPlaygroundMicroPython(t *testing.T) {
	tab := newTab(t)
	goTo(t, tab, playgroundURL+"/")
	waitInPage(t, tab, `!$("run").disabled`)
	choose := func(interpreter string) {
		call[any](t, tab, "playground.choose", interpreter)
		waitInPage(t, tab, `!$("run").disabled`)
	}
	choose("micropython")
	if code := evaluate[string](t, tab, `document.getElementById("code").value`); !strings.Contains(code, `input("Your name? ")`) {
		t.Errorf("the editor after switching to MicroPython: %q", code)
	}
	click(t, tab, "#run")
	waitInPage(t, tab, `!$("stdin").hidden`)
	typeLine(t, tab, "Ada")
	got := waitForRun(t, tab)
	if !strings.HasPrefix(got.Output, "MicroPython 3.4.0; MicroPython v1.27.0") || !strings.HasSuffix(got.Output, "Your name? Ada\nHello, Ada!\n") {
		t.Errorf("MicroPython's example printed %q", got.Output)
	}
	choose("pyodide")
	click(t, tab, "#run")
	if got := waitForRun(t, tab); !strings.HasPrefix(got.Output, "Python runs in a Web Worker") || !strings.HasSuffix(got.Output, "\n2.0634114147853952\n") {
		t.Errorf("Pyodide's example, back: %q", got.Output)
	}
}
