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
	got := call[struct {
		Hung, Timed, Moved string
		Queued, After      any
	}](t, tab, "supervision.hungCall")
	hung := got.Hung
	if !strings.Contains(hung, "did not stop within 300 ms") || !strings.Contains(hung, "its state was lost") {
		t.Errorf("the hung call: %q", hung)
	}
	if got.Queued != "queued ran" || got.Timed != "pyworker: the call was timed out after 1500 ms before it started" || jsonOf(t, got.After) != "[1,false]" {
		t.Errorf("got %+v, want the queued call run on a new worker", got)
	}
	if moved := got.Moved; !strings.Contains(moved, "the buffers it transferred went with that worker") {
		t.Errorf("the queued call with transferred buffers: %q", moved)
	}
}

// createPool spreads calls over its workers, keeps working when one dies,
// and spreads export calls too.
func TestPool(t *testing.T) {
	tab := openPage(t)
	got := call[struct {
		Counts, After, Doubled []any
		Bad                    string
		Size                   int
	}](t, tab, "supervision.pool")
	if s := jsonOf(t, got.Counts); s != "[1,1,2,2]" {
		t.Errorf("counts on two workers: %s, want [1,1,2,2]", s)
	}
	// The terminated worker was replaced (counts from 1 again), the other kept its count.
	if s := jsonOf(t, got.After); s != "[1,2,3,4]" {
		t.Errorf("counts after one worker died: %s, want [1,2,3,4]", s)
	}
	if s := jsonOf(t, got.Doubled); s != "[2,4,6]" {
		t.Errorf("exports: %s", s)
	}
	if got.Bad != "pyworker: createPool needs a size of 1 or more, not 0" || got.Size != 2 {
		t.Errorf("got %+v", got)
	}
}
