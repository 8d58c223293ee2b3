package e2e

import (
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/browser"
)

// bigArrays sends big typed arrays without `transfer`: in a run's context
// and as an export call's argument, plus one transferred. It resolves to
// what Python saw and what the page's arrays are afterwards.
const bigArrays = `(async () => {
	const n = 1000003;
	const a = Float64Array.from({length: n}, (_, i) => i / 4);
	const text = new Uint8Array(2 << 20).fill(97); // "aaa…", 2 MiB
	const run = await pyworker.asyncRun(
		"from js import a, text\n" +
		"(a.constructor.name, a.buffer.constructor.name, a.length, a[5], a[a.length - 1], a.to_py().format, sum(a.to_py()),\n" +
		" text.buffer.constructor.name, len(text.to_string()), text.to_bytes()[:3].decode())",
		{a, text});
	const back = (await pyworker.asyncRun("from js import a\n[a]", {a})).results[0];
	const returned = [back.constructor.name, back.buffer.constructor.name, back.length, back[5]];
	// Arrays of one size, one after the other: from the second on, the copy goes to the spare
	// buffer a worker prepared meanwhile (see share.ts), which must hold only the new values.
	const again = [];
	for (let k = 1; k <= 3; k++) {
		const b = new Float64Array(n).fill(k);
		again.push((await pyworker.asyncRun("from js import b\n(b.buffer.constructor.name, sum(b.to_py()))", {b})).results);
		await pyworker.asyncRun("1"); // a round trip: the worker is idle a moment
	}
	const moved = new Float64Array(n);
	const transferred = await pyworker.asyncRun("from js import moved\nmoved.buffer.constructor.name", {moved}, {transfer: [moved.buffer]});

	const w = pyworker.createWorker();
	await w.run("from pyworker import export\n@export\ndef stats(xs):\n    return [xs.format, len(xs), xs[5], xs[-1], sum(xs[1:]), xs[0]]");
	const call = w.exports.stats(a);
	a[0] = -1; // after the call, in the same task: a shared copy was made at the call, a clone is made when the message is posted
	const exported = await call;
	w.terminate();
	return {
		run: run.error ?? run.results, transferred: transferred.error ?? transferred.results, exported, returned, again,
		page: [a.length, a[0], a[5], a[n - 1], a.buffer.byteLength, text.length],
	};
})()`

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
			got := evaluate[bigArraysResult](t, tab, bigArrays)
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
	got := evaluate[[]any](t, tab, `(async () => {
		const a = Float64Array.from({length: 1000003}, (_, i) => i / 4);
		const w = pyworker.createWorker({interruptGrace: 300});
		await w.run("1");
		const hung = w.run("sum(range(10**15))");
		const queued = w.run("from js import a\n(a.buffer.constructor.name, a.length, a[5], a[a.length - 1])", {context: {a}});
		await new Promise((r) => setTimeout(r, 300));
		w.interrupt();
		const replaced = await hung.then(() => "", (e) => e.message);
		const r = await queued;
		w.terminate();
		return [replaced, r.error ?? r.results];
	})()`)
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
