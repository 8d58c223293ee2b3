package e2e

import (
	"github.com/pyworker/pyworker/internal/assets"
	"math"
	"strings"
	"testing"
)

// The seed's own example: statistics.stdev of A_rank, through asyncRun.
func TestSeedExample(t *testing.T) {
	tab := warmPage(t)
	got := call[runResult](t, tab, "run.seedExample")
	want := 2.0634114147853952 // Python's statistics.stdev of the same list
	if v, ok := got.Results.(float64); !ok || math.Abs(v-want) > 1e-12 {
		t.Fatalf("got %+v, want results %v", got, want)
	}
	if got.Error != "" {
		t.Fatalf("unexpected error: %v", got.Error)
	}
}

// Indented code keeps its line numbers in tracebacks: dedenting moves no line.
func TestIndentedCodeLines(t *testing.T) {
	tab := warmPage(t)
	got := call[*pythonException](t, tab, "run.indentedCode")
	if got == nil || got.Type != "ZeroDivisionError" || got.Line != 4 ||
		!strings.Contains(got.Traceback, `File "<exec>", line 4, in <module>`) {
		t.Errorf("got %+v, want a ZeroDivisionError at line 4", got)
	}
}

// 100 calls in flight at once, each seeing only its own context.
func TestManyCallsInFlight(t *testing.T) {
	tab := warmPage(t)
	got := call[[]float64](t, tab, "run.manyCalls")
	if len(got) != 100 {
		t.Fatalf("got %d answers, want 100", len(got))
	}
	for i, v := range got {
		if v != float64(i*i) {
			t.Fatalf("call %d got %v, want %d", i, v, i*i)
		}
	}
	// A name given to one call is not visible to the next.
	leak := call[runResult](t, tab, "run.run", "readContext")
	if exc := leak.Exception; exc == nil || exc.Type != "AttributeError" {
		t.Fatalf("a later call could read an earlier call's context: %+v", leak)
	}
}

func TestPythonErrors(t *testing.T) {
	tab := warmPage(t)
	for _, tc := range []struct {
		name, program, typ, message string
		line                        int
		traceback                   []string
	}{
		{"ZeroDivisionError", "zeroDivision", "ZeroDivisionError", "division by zero", 3,
			[]string{"Traceback (most recent call last):", `File "<exec>", line 3, in <module>`, "x / y", "ZeroDivisionError: division by zero"}},
		{"in a function", "inFunction", "KeyError", "'key'", 2,
			[]string{`File "<exec>", line 4, in <module>`, `File "<exec>", line 2, in f`, "KeyError: 'key'"}},
		{"SyntaxError", "syntax", "SyntaxError", "'(' was never closed", 2,
			[]string{`File "<exec>", line 2`, "SyntaxError: '(' was never closed"}},
		{"missing module", "missingModule", "ModuleNotFoundError", "No module named 'no_such_module_here'", 1,
			[]string{"ModuleNotFoundError: No module named 'no_such_module_here'"}},
		// numpy is in Pyodide's lock file, but the tests' server has not fetched it and fetches nothing.
		{"package that cannot load", "packageNotLoaded", "ModuleNotFoundError", "", 1,
			[]string{"ModuleNotFoundError: No module named 'numpy' (pyworker could not load its package 'numpy' from " + testURL + "/pyworker/pyodide/v" + assets.PyodideVersion + "/numpy-",
				".whl: the server answered 404 Not Found (pyworker: package numpy (numpy-", ".whl) has not been fetched, and fetching packages is off (--packages-from none); fetch it ahead with: pyworker fetch --packages numpy); Pyodide said: The following error occurred while loading numpy: "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := call[runResult](t, tab, "run.run", tc.program)
			exc := got.Exception
			if exc == nil {
				t.Fatalf("no exception in %+v", got)
			}
			if tc.message == "" { // only its start is known
				tc.message = exc.Message
			}
			if exc.Type != tc.typ || exc.Message != tc.message || exc.Line != tc.line {
				t.Errorf("got type %v message %q line %v, want %s %q %v", exc.Type, exc.Message, exc.Line, tc.typ, tc.message, tc.line)
			}
			text := got.Error
			if text != exc.Traceback {
				t.Errorf("error and exception.traceback differ:\n%s\n%s", text, exc.Traceback)
			}
			for _, want := range tc.traceback {
				if !strings.Contains(text, want) {
					t.Errorf("traceback lacks %q:\n%s", want, text)
				}
			}
			if !strings.HasSuffix(strings.TrimSpace(text), tc.typ+": "+tc.message) {
				t.Errorf("traceback does not end in %q:\n%s", tc.typ+": "+tc.message, text)
			}
			for _, runtimeFrame := range []string{"pyworker/__init__.py", "_pyodide", "site-packages"} {
				if strings.Contains(text, runtimeFrame) {
					t.Errorf("traceback shows the runtime's frames (%s):\n%s", runtimeFrame, text)
				}
			}
		})
	}
	// The worker goes on after errors, and state persists between calls as in runPythonAsync.
	got := call[float64](t, tab, "run.counter")
	if got != 42 {
		t.Fatalf("after the errors: got %v, want 42", got)
	}
}

// Results arrive as plain JavaScript values.
func TestResultConversion(t *testing.T) {
	tab := warmPage(t)
	got := call[string](t, tab, "run.conversion")
	want := `{"plainObject":true,"list":[1,"two",3.5],"tuple":[1,2],"none":true,"bool":true,"bytes":[104,105],"big":"1180591620717411303424","nested":[{"x":[null]}]}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	none := call[bool](t, tab, "run.statement")
	if !none {
		t.Fatal("a statement gives no {results: undefined}")
	}
}

// Typed arrays reach Python as typed arrays (not lists) and come back as typed arrays.
func TestTypedArrayContext(t *testing.T) {
	tab := warmPage(t)
	got := call[string](t, tab, "run.typedArrayContext")
	want := `["Float64Array",1000000,999999,true,[10,11,12],1000000,4000000,0]`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// Results that cannot cross to the page are errors that name what they are.
func TestUncrossableValues(t *testing.T) {
	tab := warmPage(t)
	for _, tc := range []struct{ program, want string }{
		{"builtin", "builtin_function_or_method 'len'"},
		{"function", "function 'f'"},
		{"module", "module 'sys'"},
		{"date", "'date'"},
		{"object", "'object'"},
		{"jsFunction", "it is or holds a JavaScript function 'max', which cannot be copied (DataCloneError: "},
		{"jsFunctionInside", "it is or holds a JavaScript function 'min', which cannot be copied (DataCloneError: "},
	} {
		got := call[runResult](t, tab, "run.run", tc.program)
		if exc := got.Exception; exc == nil || exc.Type != "TypeError" || !strings.Contains(exc.Message, "cannot cross to the page") ||
			!strings.Contains(exc.Message, tc.want) {
			t.Errorf("%s: got %+v, want a TypeError naming %s", tc.program, got, tc.want)
		}
	}
	// A context value that cannot be sent rejects the call, naming the value.
	msg := call[string](t, tab, "run.uncloneableContext")
	if !strings.HasPrefix(msg, "TypeError: ") || !strings.Contains(msg, "context value 'callback' (a function) cannot be sent") {
		t.Errorf("uncloneable context: got %q", msg)
	}
	if got := call[float64](t, tab, "run.goesOn"); got != 42 {
		t.Errorf("the worker does not go on after refused values: %v", got)
	}
}

// The page keeps painting while Python computes for two seconds.
func TestPageKeepsPainting(t *testing.T) {
	tab := warmPage(t)
	got := call[struct{ Loops, Ms, Frames, Gap float64 }](t, tab, "run.painting")
	t.Logf("%.0f loop iterations in %.0f ms; %.0f frames, longest gap %.1f ms", got.Loops, got.Ms, got.Frames, got.Gap)
	// The worker's wall clock and the page's performance.now() are coarsened
	// differently (a run measured 1999.995 ms on the page), hence the margin.
	if got.Ms < 1990 || got.Loops < 1000 {
		t.Fatalf("Python did not run for two seconds: %+v", got)
	}
	if got.Gap > 100 {
		t.Fatalf("the page stopped painting for %.0f ms while Python ran", got.Gap)
	}
}

// input() with no stdin option is the end of input, with a message saying what to give.
func TestInputWithoutStdin(t *testing.T) {
	tab := warmPage(t)
	got := call[runResult](t, tab, "run.run", "input")
	if exc := got.Exception; exc == nil || exc.Type != "EOFError" || exc.Line != 1 || !strings.Contains(exc.Message, "stdin") {
		t.Fatalf("got %+v, want an EOFError at line 1 that names the stdin option", got)
	}
}

// Calls run in the order they were made, whichever way each reaches the
// worker: plain ones by the shared-memory lane when the worker spins for
// them, ones that transfer a buffer as messages. Some are awaited one by
// one, some sent in bursts, some right behind messages still in flight
// while the worker finishes a long call.
func TestCallOrder(t *testing.T) {
	tab := openPage(t)
	got := call[struct {
		Same    bool
		N, Sent int
	}](t, tab, "run.callOrder")
	if !got.Same || got.N != got.Sent {
		t.Errorf("the worker ran the calls in another order, or lost some: %+v", got)
	}
}
