package bench

import (
	"context"
	"fmt"
	"runtime"
	"slices"
)

// The sizes of the interactive runner's figures.
const (
	printedLines = 100_000
	poolJobs     = 8
)

// printing is what the runner page measures of one way to stream output:
// milliseconds until the last line reached the page, and the longest frame
// meanwhile.
type printing struct {
	Ms    float64 `json:"ms"`
	Frame float64 `json:"frame"`
}

// interactiveFigures measures what a course's runner needs, in a browser of
// its own: interrupt latency (in a busy loop, time.sleep and input()),
// printing (beside a bare worker posting each line) and pool scaling.
func (r *runner) interactiveFigures(ctx context.Context, report *Report) ([]Figure, error) {
	tab, closeBrowser, err := r.startTab(ctx)
	if err != nil {
		return nil, err
	}
	defer closeBrowser()
	if err := r.open(tab, "runner"); err != nil {
		return nil, err
	}
	if report.Isolated, err = evaluate[bool](tab, pageTimeout, "isolation", "crossOriginIsolated"); err != nil {
		return nil, err
	}
	interrupts, err := evaluate[map[string][]float64](tab, figureTimeout, "interrupt latency", fmt.Sprintf("bench.interrupts(%d)", 2*r.runs+1))
	if err != nil {
		return nil, err
	}
	var rows []Figure
	for _, kind := range []struct {
		key, name string
		limitMs   float64
	}{
		{"busy", "interrupt a busy loop", 5},
		{"sleep", "interrupt time.sleep", 20},
		{"input", "interrupt input()", 20},
	} {
		ms := interrupts[kind.key]
		r.logf("%s: %s ms", kind.name, formatSamples(ms))
		rows = append(rows, Figure{Name: kind.name + ", to KeyboardInterrupt on the page", Unit: unitMs, Pyworker: value(median(ms)),
			Target:  &Target{Text: fmt.Sprintf("under %g ms", kind.limitMs), Against: "value", Factor: kind.limitMs},
			Samples: Samples{Pyworker: ms}})
	}

	var ms, frames Samples
	for range r.runs {
		p, err := evaluate[map[string]printing](tab, 2*figureTimeout, "printing", fmt.Sprintf("bench.printing(%d)", printedLines))
		if err != nil {
			return nil, err
		}
		r.logf("printing %d lines: %.0f ms (longest frame %.1f), a naive worker posting each line %.0f ms (longest frame %.1f), a bare worker posting them every 15 ms %.0f ms (longest frame %.1f)",
			printedLines, p["pyworker"].Ms, p["pyworker"].Frame, p["seed"].Ms, p["seed"].Frame, p["floor"].Ms, p["floor"].Frame)
		ms.Pyworker, ms.Seed, ms.Floor = append(ms.Pyworker, p["pyworker"].Ms), append(ms.Seed, p["seed"].Ms), append(ms.Floor, p["floor"].Ms)
		frames.Pyworker, frames.Seed, frames.Floor = append(frames.Pyworker, p["pyworker"].Frame), append(frames.Seed, p["seed"].Frame), append(frames.Floor, p["floor"].Frame)
	}
	naive := "a naive worker: bare Pyodide whose stdout posts each line (setStdout batched)"
	gathering := "a bare Pyodide worker whose stdout gathers the lines and posts them every 15 ms, and the rest when the run ends"
	rows = append(rows,
		Figure{Name: fmt.Sprintf("%d printed lines reach the page", printedLines), Unit: unitMs,
			Pyworker: value(median(ms.Pyworker)), Seed: value(median(ms.Seed)), Floor: value(median(ms.Floor)),
			SeedIs: naive, FloorIs: gathering, Target: &Target{Text: "under 1 s", Against: "value", Factor: 1000}, Samples: ms},
		Figure{Name: "longest frame while they print", Unit: unitMs,
			Pyworker: value(slices.Max(frames.Pyworker)), Seed: value(slices.Max(frames.Seed)), Floor: value(slices.Max(frames.Floor)),
			SeedIs: naive, FloorIs: gathering, Target: &Target{Text: "no frame over 16.7 ms", Against: "value", Factor: 17.5}, Samples: frames},
	)

	sizes := []int{1, 2, 4}
	times := make(map[int][]float64)
	for range r.runs {
		for _, size := range sizes {
			ms, err := evaluate[float64](tab, figureTimeout, "pool", fmt.Sprintf("bench.pool(%d, %d)", size, poolJobs))
			if err != nil {
				return nil, err
			}
			r.logf("pool of %d: %d CPU-bound jobs in %.0f ms", size, poolJobs, ms)
			times[size] = append(times[size], ms)
		}
	}
	one := median(times[1])
	for _, size := range sizes {
		f := Figure{Name: fmt.Sprintf("%d CPU-bound jobs, pool of %d", poolJobs, size), Unit: unitMs, Pyworker: value(median(times[size])),
			Samples: Samples{Pyworker: times[size]}}
		if size > 1 {
			// The floor is perfect scaling: one worker's time shared by as many cores as there are workers.
			cores := min(size, runtime.NumCPU())
			f.Floor, f.FloorIs = value(one/float64(cores)), fmt.Sprintf("one worker's time / %d (the cores it can use)", cores)
		}
		if size == 2 {
			f.Target = &Target{Text: "at least 1.8x as fast as one worker", Against: "floor", Factor: 2 / 1.8}
		}
		rows = append(rows, f)
	}
	for i := range rows {
		rows[i].judge()
	}
	return rows, nil
}
