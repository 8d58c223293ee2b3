package e2e

import (
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/browser"
)

// bigArraysResult is what arrays.bigArrays saw: Python, of the arrays it was
// sent, and the page, of its arrays afterwards.
type bigArraysResult struct {
	Run         any    `json:"run"`
	Transferred string `json:"transferred"`
	Exported    []any  `json:"exported"`
	Page        []any  `json:"page"`
	Returned    []any  `json:"returned"`
	Again       []any  `json:"again"`
}

// Big typed arrays sent without transfer reach Python as typed arrays of the
// same type, length and values. On an isolated page they are copied once
// into shared memory, which Python reads in place; without isolation they
// are cloned. Either way the page's arrays stay usable.
func TestBigArraysWithoutTransfer(t *testing.T) {
	const n = 1000003
	sum := float64(n) * (n - 1) / 8 // of i/4 for i < n: exact in a float64
	last := float64(n-1) / 4
	isolatedBuffer := "SharedArrayBuffer"
	if !engine.SharedMemory {
		isolatedBuffer = "ArrayBuffer" // isolated, but cloned as without isolation
	}
	for _, page := range []struct {
		name, url, buffer string
	}{
		{"isolated", "", isolatedBuffer},
		{"not isolated", unisolatedURL, "ArrayBuffer"},
	} {
		t.Run(page.name, func(t *testing.T) {
			var tab browser.Tab
			if page.url == "" {
				tab = warmPage(t)
			} else {
				tab = openPage(t)
				navigate(t, tab, page.url+"/")
			}
			got := call[bigArraysResult](t, tab, "arrays.bigArrays")
			want := []any{"Float64Array", page.buffer, n, 1.25, last, "d", sum, page.buffer, 2 << 20, "aaa"}
			if jsonOf(t, got.Run) != jsonOf(t, want) {
				t.Errorf("run: Python saw %s, want %s", jsonOf(t, got.Run), jsonOf(t, want))
			}
			if got.Transferred != "ArrayBuffer" {
				t.Errorf("a transferred array was not moved: Python saw its buffer as %q", got.Transferred)
			}
			// Python's export gets a memoryview, a copy, whatever the buffer. Its
			// first value tells when the page's array was copied: the shared copy at
			// the call, before the page changed it.
			wantExported := []any{"d", n, 1.25, last, sum}
			if len(got.Exported) != 6 || jsonOf(t, got.Exported[:5]) != jsonOf(t, wantExported) {
				t.Errorf("export: Python saw %s, want %s and the first value", jsonOf(t, got.Exported), jsonOf(t, wantExported))
			} else if page.buffer == "SharedArrayBuffer" && got.Exported[5] != 0.0 {
				t.Errorf("export: the argument was copied after the call (Python saw the first value as %v, want 0): not shared", got.Exported[5])
			}
			// Returned, the array is the page's own, as any result is: not a view of the worker's memory.
			if want := []any{"Float64Array", "ArrayBuffer", n, 1.25}; jsonOf(t, got.Returned) != jsonOf(t, want) {
				t.Errorf("the array returned: %s, want %s", jsonOf(t, got.Returned), jsonOf(t, want))
			}
			if want := []any{[]any{page.buffer, n}, []any{page.buffer, 2 * n}, []any{page.buffer, 3 * n}}; jsonOf(t, got.Again) != jsonOf(t, want) {
				t.Errorf("arrays of one size one after the other: %s, want %s", jsonOf(t, got.Again), jsonOf(t, want))
			}
			wantPage := []any{n, -1, 1.25, last, n * 8, 2 << 20}
			if jsonOf(t, got.Page) != jsonOf(t, wantPage) {
				t.Errorf("the page's arrays afterwards: %s, want %s (not detached)", jsonOf(t, got.Page), jsonOf(t, wantPage))
			}
		})
	}
}

// A call queued behind one that ignores an interrupt goes to the worker that
// replaces it: its big array, copied into shared memory once, is sent again.
// Without shared memory the interrupt itself replaces the worker, and the
// queued call, its array cloned, goes to the new one just the same.
func TestBigArrayResentToNewWorker(t *testing.T) {
	tab := openPage(t)
	got := call[[]any](t, tab, "arrays.resent")
	// Without shared memory the interrupt itself restarts the worker.
	if replaced, _ := got[0].(string); !strings.Contains(replaced, "its state was lost") {
		t.Fatalf("the hung call was not replaced: %q", replaced)
	}
	buffer := "SharedArrayBuffer"
	if !engine.SharedMemory {
		buffer = "ArrayBuffer"
	}
	if want := []any{buffer, 1000003.0, 1.25, 250000.5}; jsonOf(t, got[1]) != jsonOf(t, want) {
		t.Errorf("the queued call on the new worker saw %s, want %s", jsonOf(t, got[1]), jsonOf(t, want))
	}
}
