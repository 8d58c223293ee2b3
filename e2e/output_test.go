package e2e

import (
	"testing"
)

// 100,000 printed lines, some to stderr, all reach the page in order.
func TestOutputInOrder(t *testing.T) {
	tab := warmPage(t)
	got := evaluate[map[string]any](t, tab, `(async () => {
		const lines = [];
		const w = pyworker.createWorker({stdout: (l) => lines.push(l), stderr: (l) => lines.push("err " + l)});
		await w.run("import sys\nfor i in range(100_000):\n    print(i, file=sys.stderr if i % 1000 == 999 else sys.stdout)");
		w.terminate();
		const wrong = lines.findIndex((l, i) => l !== (i % 1000 === 999 ? "err " : "") + i);
		return {count: lines.length, wrong, at: lines[wrong]};
	})()`)
	if got["count"] != 100_000.0 || got["wrong"] != -1.0 {
		t.Errorf("got %v lines; first out of place: index %v, %v", got["count"], got["wrong"], got["at"])
	}
}

// Lines reach the page while Python still runs: in a loop that prints, and in
// one that computes without printing after it printed. In each, the line
// the page waits for makes it interrupt the loop, which ends only that way.
func TestOutputStreams(t *testing.T) {
	if lacksSharedMemory(t) {
		return
	}
	tab := openPage(t)
	got := evaluate[map[string]any](t, tab, `(async () => {
		const lines = [];
		const w = pyworker.createWorker({stdout: (l) => { lines.push(l); if (l === "20000" || l === "computing") w.interrupt(); }});
		const printing = await w.run("i = 0\nwhile True:\n    print(i)\n    i += 1");
		const printed = lines.splice(0);
		const computing = await w.run("print('start')\nprint('computing')\nwhile True:\n    pass");
		w.terminate();
		return {
			printing: printing.exception && printing.exception.type,
			count: printed.length, gap: printed.findIndex((l, i) => l !== String(i)),
			computing: computing.exception && computing.exception.type, line: computing.exception && computing.exception.line,
		};
	})()`)
	if got["printing"] != "KeyboardInterrupt" || got["gap"] != -1.0 || got["count"].(float64) < 20_001 {
		t.Errorf("printing loop: got %v, want a KeyboardInterrupt after 0..20000 with no line missing", got)
	}
	if got["computing"] != "KeyboardInterrupt" || got["line"] != 4.0 {
		t.Errorf("computing loop: got %v, want a KeyboardInterrupt at line 4", got)
	}
}
