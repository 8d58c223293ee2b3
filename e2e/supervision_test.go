package e2e

import (
	"strings"
	"testing"
)

// A call busy in C ignores the interrupt: past the grace period its worker
// is replaced, the call rejects saying so, and the call queued behind it
// runs on the new worker, which has none of the old one's globals; a
// timeout set on a queued call still applies there (here it expires while
// the call waits behind the first on the new worker). A queued call that transferred buffers rejects:
// they went with the old worker.
func TestHungCallReplaced(t *testing.T) {
	if lacksSharedMemory(t) {
		return
	}
	tab := openPage(t)
	got := evaluate[map[string]any](t, tab, `(async () => {
		const w = pyworker.createWorker({interruptGrace: 300});
		await w.run("y = 5");
		const hung = w.run("sum(range(10**15))");
		const queued = w.run("import time\nx = 1\ntime.sleep(1.5)\n'queued ran'");
		const timed = w.run("while True:\n    pass", {timeout: 1500}); // its timeout follows it to the new worker
		const bytes = new Uint8Array([1, 2, 3]);
		const moved = w.run("from js import bytes\nlen(bytes)", {context: {bytes}, transfer: [bytes.buffer]});
		await new Promise((r) => setTimeout(r, 300));
		w.interrupt();
		const hungOutcome = await hung.then((r) => "resolved " + JSON.stringify(r), (e) => e.message);
		const queuedResult = await queued;
		const timedOutcome = await timed.then((r) => "resolved " + JSON.stringify(r), (e) => e.message);
		const movedOutcome = await moved.then((r) => "resolved " + JSON.stringify(r), (e) => e.message);
		const after = await w.run("(x, 'y' in globals())");
		w.terminate();
		return {hung: hungOutcome, queued: queuedResult.results, timed: timedOutcome, moved: movedOutcome, after: after.results};
	})()`)
	hung, _ := got["hung"].(string)
	if !strings.Contains(hung, "did not stop within 300 ms") || !strings.Contains(hung, "its state was lost") {
		t.Errorf("the hung call: %q", hung)
	}
	if got["queued"] != "queued ran" || got["timed"] != "pyworker: the call was timed out after 1500 ms before it started" || jsonOf(t, got["after"]) != "[1,false]" {
		t.Errorf("got %v, want the queued call run on a new worker", got)
	}
	if moved, _ := got["moved"].(string); !strings.Contains(moved, "the buffers it transferred went with that worker") {
		t.Errorf("the queued call with transferred buffers: %q", moved)
	}
}

// createPool spreads calls over its workers, keeps working when one dies,
// and spreads export calls too.
func TestPool(t *testing.T) {
	tab := openPage(t)
	got := evaluate[map[string]any](t, tab, `(async () => {
		const pool = pyworker.createPool({size: 2, src: "data:text/x-python,from pyworker import export%0A@export%0Adef double(x): return 2 * x"});
		await pool.ready;
		const count = "n = globals().get('n', 0) + 1\nn";
		const counts = (await Promise.all([1, 2, 3, 4].map(() => pool.run(count)))).map((r) => r.results);
		pool.workers[0].terminate();
		const after = (await Promise.all([1, 2, 3, 4].map(() => pool.run(count)))).map((r) => r.results);
		const doubled = await Promise.all([1, 2, 3].map((x) => pool.exports.double(x)));
		pool.terminate();
		let bad;
		try { pyworker.createPool({size: 0}); } catch (e) { bad = e.message; }
		return {counts: counts.sort(), after: after.sort(), doubled, bad, size: pool.workers.length};
	})()`)
	if s := jsonOf(t, got["counts"]); s != "[1,1,2,2]" {
		t.Errorf("counts on two workers: %s, want [1,1,2,2]", s)
	}
	// The terminated worker was replaced (counts from 1 again), the other kept its count.
	if s := jsonOf(t, got["after"]); s != "[1,2,3,4]" {
		t.Errorf("counts after one worker died: %s, want [1,2,3,4]", s)
	}
	if s := jsonOf(t, got["doubled"]); s != "[2,4,6]" {
		t.Errorf("exports: %s", s)
	}
	if got["bad"] != "pyworker: createPool needs a size of 1 or more, not 0" || got["size"] != 2.0 {
		t.Errorf("got %v", got)
	}
}
