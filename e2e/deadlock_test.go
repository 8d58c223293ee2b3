package e2e

import (
	"strings"
	"testing"
)

// A page function that waits on an export of the worker that waits on it
// can never return: on every channel, the Python call gets an error naming
// the cycle (at once when the function called the export before its first
// await, after a few seconds when it did later), the export call rejects,
// and the worker goes on.
func TestDeadlock(t *testing.T) {
	eachChannel(t, func(t *testing.T, c channel) {
		tab := openPage(t)
		navigate(t, tab, *c.url+"/")
		got := evaluate[map[string]any](t, tab, `(async () => {
			const w = pyworker.createWorker(`+c.options+`);
			await w.run(`+jsonOf(t, deadlockPython)+`);
			let rejected = "";
			w.sync.back = async () => {
				try {
					return await w.exports.f();
				} catch (e) {
					rejected = e.name + ": " + e.message;
					throw e;
				}
			};
			w.sync.later = async () => {
				await new Promise((r) => setTimeout(r, 10));
				return await w.exports.f();
			};
			const proven = await w.run("sync.back()");
			const timed = await w.run("sync.later()");
			const after = await w.exports.f();
			w.terminate();
			return {proven: proven.error, rejected, timed: timed.error, after};
		})()`)
		for _, want := range []struct{ key, text string }{
			{"proven", "DeadlockError"},
			{"proven", "sync.back() waited on exports.f() of the same worker, which cannot run until sync.back() returns"},
			{"proven", `File "<exec>", line 1, in <module>`},
			{"rejected", "DeadlockError: pyworker: deadlock: exports.f() was called by sync.back(), which the worker waits on"},
			{"timed", "sync.later() waited 3 s, most likely on exports.f() of the same worker"},
		} {
			if text, _ := got[want.key].(string); !strings.Contains(text, want.text) {
				t.Errorf("%s: %q lacks %q", want.key, text, want.text)
			}
		}
		if got["after"] != "f ran" {
			t.Errorf("after the deadlocks, exports.f() gave %v", got["after"])
		}
	})
}

const deadlockPython = `
from pyworker import sync, export

@export
def f():
    return "f ran"
`
