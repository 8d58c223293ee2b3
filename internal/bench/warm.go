// The figures of warm workers: round trips, throughput, frame gaps and the
// 10^7-element array, one subject's page after the other in one browser.

package bench

import (
	"context"
	"fmt"
)

// warm holds the figures of one subject's warm worker.
type warm struct {
	roundTrips []float64 // ms per call
	// newSources are round trips of a source new on every call, past any compile cache.
	newSources []float64
	rates      []float64 // calls/s, one per run
	// batchedRates are the echo worker's, sent the calls of a task as one message.
	batchedRates []float64
	frameGap     float64   // the longest, ms
	clone        []float64 // the array in the context, copied; ms per call
	transfer     []float64 // the array in the context, transferred; ms per call
	// copies are the floors of pyworker's copy, by copyFloors' before; ms.
	copies map[string][]float64
}

// frames is what the page's frame figures return.
type frames struct {
	MaxGap float64 `json:"maxGap"`
	Frames int     `json:"frames"`
	Ms     float64 `json:"ms"`
}

// What warmFigures takes of each warm worker.
const (
	warmCalls  = 1 << iota // round trips, throughput, frame gaps
	warmArrays             // the 10^7-element array
)

// warmFigures takes the figures of warm workers (parts says which): the echo
// worker, then the docs' pattern, then pyworker, then its MicroPython
// worker (its calls only), in one browser, one page after the other.
func (r *runner) warmFigures(ctx context.Context, report *Report, parts int) (map[string]*warm, error) {
	tab, closeBrowser, err := r.startTab(ctx)
	if err != nil {
		return nil, err
	}
	defer closeBrowser()
	out := make(map[string]*warm)
	for _, subject := range []string{echo, docs, pyworker, micropython} {
		if err := r.open(tab, subject); err != nil {
			return nil, err
		}
		if subject == echo {
			if report.Isolated, err = evaluate[bool](tab, pageTimeout, "isolation", "bench.isolated"); err != nil {
				return nil, err
			}
		}
		only := parts
		if subject == micropython {
			only &= warmCalls // its values cross as JSON: no arrays
		}
		w, err := r.warmSubject(tab, subject, only)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", subject, err)
		}
		out[subject] = w
	}
	return out, nil
}

func (r *runner) warmSubject(tab *page, subject string, parts int) (*warm, error) {
	w := &warm{}
	if _, err := evaluate[bool](tab, figureTimeout, "starting the worker", fmt.Sprintf("bench.warm(%d)", warmupCalls)); err != nil {
		return nil, err
	}
	if parts&warmCalls != 0 {
		if err := r.callFigures(tab, subject, w, r.runs); err != nil {
			return nil, err
		}
	}
	if parts&warmArrays == 0 {
		return w, nil
	}
	var err error
	if subject != echo {
		if w.clone, err = r.arrays(tab, subject+": 10^7 Float64Array, not transferred", "bench.sendArray(false)"); err != nil {
			return nil, err
		}
	}
	if subject != docs { // the docs' asyncRun cannot transfer
		if w.transfer, err = r.arrays(tab, subject+": 10^7 Float64Array, transferred", "bench.sendArray(true)"); err != nil {
			return nil, err
		}
	}
	if subject == pyworker { // the floors of its copy, on its page
		w.copies = make(map[string][]float64)
		for _, f := range copyFloors {
			if w.copies[f.before], err = r.arrays(tab, "floor: "+f.is, fmt.Sprintf("bench.copyArray(%q)", f.before)); err != nil {
				return nil, err
			}
		}
	}
	return w, nil
}

// callFigures adds to w the round trips, rates throughput samples and the
// frame gap of subject's warm worker (the longest, when w has one already).
func (r *runner) callFigures(tab *page, subject string, w *warm, rates int) error {
	roundTrips, err := evaluate[[]float64](tab, figureTimeout, "round trips", fmt.Sprintf("bench.roundTrips(%d, false)", roundTripCalls))
	if err != nil {
		return err
	}
	r.logf("%s: round trip median %.3f ms, p99 %.3f ms", subject, median(roundTrips), percentile(roundTrips, 99))
	newSources, err := evaluate[[]float64](tab, figureTimeout, "round trips of new sources", fmt.Sprintf("bench.roundTrips(%d, true)", roundTripCalls))
	if err != nil {
		return err
	}
	r.logf("%s: round trip of a new source median %.3f ms", subject, median(newSources))
	w.roundTrips, w.newSources = append(w.roundTrips, roundTrips...), append(w.newSources, newSources...)
	for range rates {
		rate, err := evaluate[float64](tab, figureTimeout, "throughput", fmt.Sprintf("bench.throughput(%d, %d)", throughputRounds, inFlight))
		if err != nil {
			return err
		}
		r.logf("%s: %.0f calls/s with %d in flight", subject, rate, inFlight)
		w.rates = append(w.rates, rate)
		if subject == echo { // and as pyworker sends them: a task's calls as one message
			rate, err := evaluate[float64](tab, figureTimeout, "throughput, batched", fmt.Sprintf("bench.throughput(%d, %d, true)", throughputRounds, inFlight))
			if err != nil {
				return err
			}
			r.logf("%s: %.0f calls/s with %d in flight, a task's calls as one message", subject, rate, inFlight)
			w.batchedRates = append(w.batchedRates, rate)
		}
	}
	expr := fmt.Sprintf("bench.busyFrames(%d)", busySeconds)
	if subject == echo {
		expr = fmt.Sprintf("bench.idleFrames(%d)", busySeconds*1000)
	}
	f, err := evaluate[frames](tab, figureTimeout, "frame gaps", expr)
	if err != nil {
		return err
	}
	r.logf("%s: longest frame gap %.1f ms (%d frames in %.0f ms)", subject, f.MaxGap, f.Frames, f.Ms)
	w.frameGap = max(w.frameGap, f.MaxGap)
	return nil
}
