// The array figures: a 10^7-element Float64Array sent in a run's context,
// transferred or not, beside its floors.

package bench

import (
	"fmt"
)

// copyFloors are the floors of pyworker's copy of an array into shared
// memory, by what is done before the clock starts (bench.copyArray): the
// first is the floor of its figure (pyworker copies into a spare buffer whose
// pages its worker has written), the others say what new memory would cost.
var copyFloors = []struct{ before, name, is string }{
	{"write", "", "one TypedArray.set of the array into a SharedArrayBuffer written before (pyworker's copy, into the spare its worker prepared)"},
	{"nothing", "the copy into new memory", "the same TypedArray.set into a new SharedArrayBuffer, allocated on the clock: each page's first write costs"},
	{"allocate", "the copy into new memory, allocated before", "the same TypedArray.set into a new SharedArrayBuffer allocated before the clock starts"},
}

// arrays times 2*runs+1 evaluations of expr (these vary more than the other
// figures), which sends or copies a fresh 10^7-element Float64Array, after
// one that is not counted. Before each, the page makes the array
// (bench.makeArray) and the browser collects the page's garbage (earlier
// arrays among it), so neither is on the clock. what names it in the log.
func (r *runner) arrays(tab *page, what, expr string) ([]float64, error) {
	var times []float64
	for i := range 2*r.runs + 2 {
		if _, err := evaluate[bool](tab, figureTimeout, "making the array", fmt.Sprintf("bench.makeArray(%d)", arrayLength)); err != nil {
			return nil, err
		}
		if err := collectGarbage(tab); err != nil {
			return nil, err
		}
		ms, err := evaluate[float64](tab, figureTimeout, what, expr)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			times = append(times, ms)
		}
	}
	r.logf("%s: %.1f ms (%s)", what, median(times), formatSamples(times))
	return times, nil
}

// arrayRows are the figures of the 10^7-element Float64Array sent in a
// run's context, judged.
func arrayRows(w map[string]*warm) []Figure {
	med := func(xs []float64) *float64 { return value(median(xs)) }
	rows := []Figure{
		// The headline: both copy (the docs' asyncRun has no transfer list to give).
		{
			Name: "10^7 Float64Array (no transfer: docs clone, pyworker shares)", Unit: unitMs,
			SeedIs: docsIs,
			Seed:   med(w[docs].clone), Pyworker: med(w[pyworker].clone), Floor: med(w[pyworker].copies[copyFloors[0].before]),
			FloorIs: copyFloors[0].is,
			Target:  &Target{Text: "12x faster than docs", Against: "seed", Factor: 12},
			Samples: Samples{Seed: w[docs].clone, Pyworker: w[pyworker].clone, Floor: w[pyworker].copies[copyFloors[0].before]},
		},
		// A capability the docs' pattern lacks: not judged against the docs' copy.
		{
			Name: "10^7 Float64Array (pyworker transfers; the docs' pattern cannot, and clones)", Unit: unitMs,
			SeedIs: docsIs,
			Seed:   med(w[docs].clone), Pyworker: med(w[pyworker].transfer), Floor: med(w[echo].transfer),
			FloorIs: "a bare module worker that is sent the array, transferred, and answers with the call's id",
			Samples: Samples{Seed: w[docs].clone, Pyworker: w[pyworker].transfer, Floor: w[echo].transfer},
		},
	}
	for _, f := range copyFloors[1:] {
		ms := w[pyworker].copies[f.before]
		rows = append(rows, Figure{Name: f.name, Unit: unitMs, Floor: med(ms), FloorIs: f.is, Samples: Samples{Floor: ms}})
	}
	for i := range rows {
		rows[i].judge()
	}
	return rows
}
