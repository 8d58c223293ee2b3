// The bridge's rows of the table, channel by channel, and where its calls
// spend their time.

package bench

import (
	"fmt"
	"math"
)

// bridgeRows are the figures of the bridges, channel by channel, with
// PyScript's beside the shared-memory ones (its channel): the medians of
// the visits.
func bridgeRows(channels []*channelVisits, idleFrameGap float64) []Figure {
	var rows []Figure
	for _, cv := range channels {
		row := func(name string, of func(bridge) float64, target *Target) Figure {
			samples := Samples{Pyworker: collect(cv.visits, of), Seed: collect(cv.seed, of)}
			f := Figure{Name: name + " (" + cv.channel + ")", Unit: unitUs, Pyworker: value(median(samples.Pyworker)), Seed: value(median(samples.Seed)),
				Target: target, Samples: samples}
			if f.Seed != nil {
				f.SeedIs = cv.seedIs
			}
			return f
		}
		sync := row("sync call, worker to page", func(b bridge) float64 { return b.SyncCall }, &Target{Text: "within 1.3x of floor", Against: "floor", Factor: 1.3})
		sync.Samples.Floor = collect(cv.visits, func(b bridge) float64 { return b.Floor })
		sync.Floor, sync.FloorIs = value(median(sync.Samples.Floor)), floorOf(cv.channel)
		exportCall := row("export call, page to worker", func(b bridge) float64 { return b.ExportCall }, nil)
		exportCall.Samples.Floor = collect(cv.visits, func(b bridge) float64 { return b.ExportFloor })
		exportCall.Floor, exportCall.FloorIs = value(median(exportCall.Samples.Floor)), "a bare worker that posts each message back (pages/echo), called one message at a time"
		var readTarget *Target
		if cv.channel == "shared-memory" {
			sync.Target = &Target{Text: "under 25 µs", Against: "value", Factor: 25}
			exportCall.Target = &Target{Text: "within 2x of floor", Against: "floor", Factor: 2}
			readTarget = &Target{Text: "under 100 µs", Against: "value", Factor: 100}
		}
		frame := Samples{Pyworker: collect(cv.visits, func(b bridge) float64 { return b.HammerFrame })}
		if !math.IsNaN(idleFrameGap) { // measured with the warm figures
			frame.Floor = []float64{idleFrameGap}
		}
		rows = append(rows,
			sync,
			exportCall,
			row("read document.body.dataset.test", func(b bridge) float64 { return b.DomRead }, readTarget),
			row("same, dataset cached", func(b bridge) float64 { return b.DomReadCached }, nil),
			Figure{
				Name: "longest frame, page called nonstop (" + cv.channel + ")", Unit: unitMs, Pyworker: value(median(frame.Pyworker)), Floor: value(idleFrameGap),
				FloorIs: fmt.Sprintf("the same page doing nothing for %d s", busySeconds),
				Target:  &Target{Text: "no frame over 16.7 ms", Against: "value", Factor: 17.5},
				Samples: frame,
			},
		)
	}
	for i := range rows {
		rows[i].judge()
	}
	return rows
}

// collect is of(v) for each visit.
func collect(visits []bridge, of func(bridge) float64) []float64 {
	var out []float64
	for _, v := range visits {
		out = append(out, of(v))
	}
	return out
}

// Breakdown is where one kind of call spends its time, step by step, on a
// worker with the timings option: the median over the visits of the calls'
// time and of each step's mean.
type Breakdown struct {
	Call     string   `json:"call"`
	Us       float64  `json:"us"`
	Steps    []Step   `json:"steps"`
	Spinning Spinning `json:"spinning"`
}

// bridgeBreakdowns are the breakdowns of the sync and the export call, on
// the channels that time them (shared memory). The last step is what the
// timed steps leave of the calls' time: Python's own part of a sync call,
// the caller's of an export call.
func bridgeBreakdowns(channels []*channelVisits) []Breakdown {
	var out []Breakdown
	for _, cv := range channels {
		kinds := []struct {
			call, rest string
			total      func(bridge) float64
			steps      func(bridge) []Step
			spinning   func(bridge) Spinning
		}{
			{"sync call, worker to page", "in Python: the call out and back through Pyodide's FFI, the argument, the loop",
				func(b bridge) float64 { return b.SyncTimed }, func(b bridge) []Step { return b.SyncSteps }, func(b bridge) Spinning { return b.SyncSpinning }},
			{"export call, page to worker", "on the page: the caller resumes, the loop",
				func(b bridge) float64 { return b.ExportTimed }, func(b bridge) []Step { return b.ExportSteps }, func(b bridge) Spinning { return b.ExportSpinning }},
		}
		for _, kind := range kinds {
			if len(cv.visits) == 0 || len(kind.steps(cv.visits[0])) == 0 {
				continue
			}
			// Each visit's steps, and what they leave of its total.
			perStep := make([][]float64, len(kind.steps(cv.visits[0]))+1)
			for _, v := range cv.visits {
				rest := kind.total(v)
				for i, step := range kind.steps(v) {
					perStep[i] = append(perStep[i], step.Us)
					rest -= step.Us
				}
				perStep[len(perStep)-1] = append(perStep[len(perStep)-1], rest)
			}
			b := Breakdown{Call: kind.call + " (" + cv.channel + ")", Us: median(collect(cv.visits, kind.total))}
			for i, step := range kind.steps(cv.visits[0]) {
				b.Steps = append(b.Steps, Step{Name: step.Name, Us: median(perStep[i])})
			}
			b.Steps = append(b.Steps, Step{Name: kind.rest, Us: median(perStep[len(perStep)-1])})
			b.Spinning = Spinning{
				Worker: median(collect(cv.visits, func(v bridge) float64 { return kind.spinning(v).Worker })),
				Page:   median(collect(cv.visits, func(v bridge) float64 { return kind.spinning(v).Page })),
			}
			out = append(out, b)
		}
	}
	return out
}
