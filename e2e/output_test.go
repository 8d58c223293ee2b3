package e2e

import (
	"testing"
)

// 100,000 printed lines, some to stderr, all reach the page in order.
func TestOutputInOrder(t *testing.T) {
	tab := warmPage(t)
	got := call[struct {
		Count, Wrong int
		At           string
	}](t, tab, "output.inOrder")
	if got.Count != 100_000 || got.Wrong != -1 {
		t.Errorf("got %v lines; first out of place: index %v, %v", got.Count, got.Wrong, got.At)
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
	got := call[struct {
		Printing   string
		Count, Gap int
		Computing  string
		Line       int
	}](t, tab, "output.streams")
	if got.Printing != "KeyboardInterrupt" || got.Gap != -1 || got.Count < 20_001 {
		t.Errorf("printing loop: got %+v, want a KeyboardInterrupt after 0..20000 with no line missing", got)
	}
	if got.Computing != "KeyboardInterrupt" || got.Line != 4 {
		t.Errorf("computing loop: got %+v, want a KeyboardInterrupt at line 4", got)
	}
}
