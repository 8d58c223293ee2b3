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
		got := call[struct {
			Proven, Rejected, Timed string
			After                   any
		}](t, tab, "deadlock.deadlocks", c.options)
		for _, want := range []struct{ key, got, text string }{
			{"proven", got.Proven, "DeadlockError"},
			{"proven", got.Proven, "sync.back() waited on exports.f() of the same worker, which cannot run until sync.back() returns"},
			{"proven", got.Proven, `File "<exec>", line 1, in <module>`},
			{"rejected", got.Rejected, "DeadlockError: pyworker: deadlock: exports.f() was called by sync.back(), which the worker waits on"},
			{"timed", got.Timed, "sync.later() waited 3 s, most likely on exports.f() of the same worker"},
		} {
			if !strings.Contains(want.got, want.text) {
				t.Errorf("%s: %q lacks %q", want.key, want.got, want.text)
			}
		}
		if got.After != "f ran" {
			t.Errorf("after the deadlocks, exports.f() gave %v", got.After)
		}
	})
}
