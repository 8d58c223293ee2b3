// The table's rows: each figure of the cold starts and the warm workers,
// with what its seed and floor are and the target it is judged by.

package bench

import "fmt"

// What the seed and the floor of the figures are.
const (
	docsIs = "the Pyodide docs' web-worker pattern (asyncRun)"
	echoIs = "a bare module worker that posts every message back (one message per call)"
	// The docs' pattern has no restart or pool: a fresh interpreter is a new worker.
	freshIs = "new workers of the Pyodide docs' pattern on the page of its cold start (a new copy of py-worker.js each)"
)

// figures builds the table's rows, in order.
func figures(c map[string]*cold, w map[string]*warm, limit float64) []Figure {
	med := func(xs []float64) *float64 { return value(median(xs)) }
	p99 := func(xs []float64) *float64 { return value(percentile(xs, 99)) }
	rows := []Figure{
		{
			Name: "cold start to first result", Unit: unitMs,
			SeedIs: docsIs,
			Seed:   med(c[docs].ms), Pyworker: med(c[pyworker].ms),
			Target:  &Target{Text: "4x docs", Against: "seed", Factor: 4},
			Samples: Samples{Seed: c[docs].ms, Pyworker: c[pyworker].ms},
		},
		{
			Name: "repeat visit to first result", Unit: unitMs,
			SeedIs: docsIs,
			Seed:   med(c[docs].repeat), Pyworker: med(c[pyworker].repeat),
			Target:  &Target{Text: "6.7x docs", Against: "seed", Factor: 6.7},
			Samples: Samples{Seed: c[docs].repeat, Pyworker: c[pyworker].repeat},
		},
		{
			Name: fmt.Sprintf("cold start over a %.0f Mbit/s link", slowLink*8/1e6), Unit: unitMs,
			SeedIs: docsIs,
			Seed:   med(c[docs].slow), Pyworker: med(c[pyworker].slow),
			Target:  &Target{Text: "faster than docs", Against: "seed", Factor: 1},
			Samples: Samples{Seed: c[docs].slow, Pyworker: c[pyworker].slow},
		},
		{
			Name: "bytes of a cold start", Unit: unitBytes,
			SeedIs: docsIs,
			Seed:   med(c[docs].bytes), Pyworker: med(c[pyworker].bytes), Floor: value(limit),
			FloorIs: "the best brotli (quality 11) size of the files pyworker's cold start loads (below)",
			Target:  &Target{Text: "<= brotli size", Against: "floor", Factor: 1},
			Samples: Samples{Seed: c[docs].bytes, Pyworker: c[pyworker].bytes},
		},
		{
			Name: "round trip of 1+1, median", Unit: unitMs,
			SeedIs: docsIs,
			Seed:   med(w[docs].roundTrips), Pyworker: med(w[pyworker].roundTrips), Floor: med(w[echo].roundTrips),
			FloorIs: echoIs,
			Target:  &Target{Text: "within 2x of floor", Against: "floor", Factor: 2},
			Samples: Samples{Seed: w[docs].roundTrips, Pyworker: w[pyworker].roundTrips, Floor: w[echo].roundTrips},
		},
		{
			Name: "round trip of 1+1, a new source each call, median", Unit: unitMs,
			SeedIs: docsIs,
			Seed:   med(w[docs].newSources), Pyworker: med(w[pyworker].newSources), Floor: med(w[echo].newSources),
			FloorIs: echoIs + " (which compiles nothing)",
			Samples: Samples{Seed: w[docs].newSources, Pyworker: w[pyworker].newSources, Floor: w[echo].newSources},
		},
		{
			Name: "round trip of 1+1, p99", Unit: unitMs,
			SeedIs: docsIs,
			Seed:   p99(w[docs].roundTrips), Pyworker: p99(w[pyworker].roundTrips), Floor: p99(w[echo].roundTrips),
		},
		{
			Name: fmt.Sprintf("throughput, %d in flight", inFlight), Unit: unitRate,
			SeedIs: docsIs,
			Seed:   med(w[docs].rates), Pyworker: med(w[pyworker].rates), Floor: med(w[echo].batchedRates),
			FloorIs: "a bare module worker sent the calls made in one task as one message, as pyworker sends them, and posting them back as one",
			Target:  &Target{Text: "6x docs", Against: "seed", Factor: 6},
			Samples: Samples{Seed: w[docs].rates, Pyworker: w[pyworker].rates, Floor: w[echo].batchedRates},
		},
		{
			Name: fmt.Sprintf("throughput, %d in flight, one message per call", inFlight), Unit: unitRate,
			Floor: med(w[echo].rates), FloorIs: echoIs + ": the floor without batching, which pyworker can beat",
			Samples: Samples{Floor: w[echo].rates},
		},
		{
			Name: fmt.Sprintf("longest frame gap, %d s busy loop", busySeconds), Unit: unitMs,
			SeedIs: docsIs,
			Seed:   value(w[docs].frameGap), Pyworker: value(w[pyworker].frameGap), Floor: value(w[echo].frameGap),
			FloorIs: fmt.Sprintf("the same page doing nothing for %d s", busySeconds),
			Samples: Samples{Seed: []float64{w[docs].frameGap}, Pyworker: []float64{w[pyworker].frameGap}, Floor: []float64{w[echo].frameGap}},
		},
	}
	for _, f := range []struct{ how, name string }{
		{"second", "second interpreter on a page that has one"},
		{"restart", "restart() to first result"},
		{"pool", "pool of 4 to their first results"},
	} {
		rows = append(rows, Figure{
			Name: f.name, Unit: unitMs,
			SeedIs: freshIs,
			Seed:   med(c[docs].fresh[f.how]), Pyworker: med(c[pyworker].fresh[f.how]),
			Target:  &Target{Text: "6.7x docs", Against: "seed", Factor: 6.7},
			Samples: Samples{Seed: c[docs].fresh[f.how], Pyworker: c[pyworker].fresh[f.how]},
		})
	}
	rows = append(rows, micropythonRows(c, w)...)
	rows = append(rows, pyscriptAppRows(c)...)
	for i := range rows {
		rows[i].judge()
	}
	return rows
}

// micropythonRows put pyworker's MicroPython worker beside its Pyodide one,
// and its MicroPython on the page beside PyScript's.
func micropythonRows(c map[string]*cold, w map[string]*warm) []Figure {
	med := func(xs []float64) *float64 { return value(median(xs)) }
	pyodideIs := "pyworker's Pyodide worker, in the same run"
	return []Figure{
		{
			Name: "MicroPython worker: cold start to first result", Unit: unitMs,
			SeedIs: pyodideIs,
			Seed:   med(c[pyworker].ms), Pyworker: med(c[micropython].ms),
			Samples: Samples{Seed: c[pyworker].ms, Pyworker: c[micropython].ms},
		},
		{
			Name: "MicroPython worker: bytes of a cold start", Unit: unitBytes,
			SeedIs: pyodideIs,
			Seed:   med(c[pyworker].bytes), Pyworker: med(c[micropython].bytes),
			Samples: Samples{Seed: c[pyworker].bytes, Pyworker: c[micropython].bytes},
		},
		{
			Name: "MicroPython on the page: navigation to first print", Unit: unitMs,
			SeedIs: "PyScript " + PyScriptVersion + "'s <script type=\"mpy\">, on the same MicroPython, in the same run",
			Seed:   med(c[pyscriptMpy].ms), Pyworker: med(c[mpyOnPage].ms),
			Samples: Samples{Seed: c[pyscriptMpy].ms, Pyworker: c[mpyOnPage].ms},
		},
		{
			Name: "MicroPython worker: round trip of 1+1, median", Unit: unitMs,
			SeedIs: pyodideIs,
			Seed:   med(w[pyworker].roundTrips), Pyworker: med(w[micropython].roundTrips), Floor: med(w[echo].roundTrips),
			FloorIs: echoIs,
			Samples: Samples{Seed: w[pyworker].roundTrips, Pyworker: w[micropython].roundTrips, Floor: w[echo].roundTrips},
		},
	}
}

// pyscriptAppRows put PyScript apps on pyworker beside the same apps on PyScript:
// a Pyodide worker tag, and an app of pyscript.web and when on the page.
func pyscriptAppRows(c map[string]*cold) []Figure {
	worker, page := "<script type=\"py\" worker>, on the same Pyodide", "<script type=\"mpy\">, on the same MicroPython"
	return []Figure{
		pyscriptRow("a Pyodide worker tag: navigation to its first output", unitMs, worker, c[pyscriptPyTag].ms, c[pyTag].ms),
		pyscriptRow("a Pyodide worker tag: bytes", unitBytes, worker, c[pyscriptPyTag].bytes, c[pyTag].bytes),
		pyscriptRow("an app of pyscript.web and when, MicroPython on the page: navigation to its page built", unitMs, page, c[pyscriptWebApp].ms, c[webApp].ms),
		pyscriptRow("an app of pyscript.web and when: bytes", unitBytes, page, c[pyscriptWebApp].bytes, c[webApp].bytes),
	}
}

// pyscriptRow puts a PyScript page's figure beside the same page on pyworker, in the same run.
func pyscriptRow(name, unit, tag string, seed, samples []float64) Figure {
	return Figure{
		Name: name, Unit: unit,
		SeedIs: "PyScript " + PyScriptVersion + "'s " + tag + ", in the same run",
		Seed:   value(median(seed)), Pyworker: value(median(samples)),
		Samples: Samples{Seed: seed, Pyworker: samples},
	}
}
