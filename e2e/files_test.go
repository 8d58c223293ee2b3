package e2e

import (
	"strings"
	"testing"
)

// createWorker({src}) runs the file before ready: the PyScript docs' worker,
// unchanged, with its page side in JS.
func TestWorkerFromFile(t *testing.T) {
	tab := openSyncPage(t)
	got := call[[]string](t, tab, "files.fromFile")
	if strings.Join(got, "|") != "Pyodide bootstrapped|42|3.14" {
		t.Errorf("got %q", got)
	}

	// A file indented as a whole runs, dedented.
	shout := call[string](t, tab, "files.shout")
	if shout != "HEY!" {
		t.Errorf("indented.py: %q", shout)
	}

	// A call made while src is still running waits for it to finish.
	late := call[string](t, tab, "files.late")
	if late != "defined after the sleep" {
		t.Errorf("a call during src: %q", late)
	}

	// A file that raises: ready rejects with its traceback, in the file's own lines.
	msg := call[string](t, tab, "files.readyOf", map[string]string{"src": "broken.py"})
	for _, want := range []string{"broken.py raised an exception", `File "broken.py", line 3, in <module>`, "RuntimeError: cannot start: no config"} {
		if !strings.Contains(msg, want) {
			t.Errorf("broken.py: %q lacks %q", msg, want)
		}
	}
	msg = call[string](t, tab, "files.readyOf", map[string]string{"src": "missing.py"})
	if !strings.Contains(msg, "missing.py: 404") {
		t.Errorf("missing.py: %q", msg)
	}
}

// Named workers: asked for before and after they exist, and declared in HTML.
func TestNamedWorkers(t *testing.T) {
	tab := openPage(t)
	navigate(t, tab, testURL+"/named.html")
	got := call[[]string](t, tab, "files.named")
	if strings.Join(got, "|") != "42|true|hi there|81" {
		t.Errorf("got %q", got)
	}
}
