// Package bench measures pyworker against the seeds' own patterns in a
// headless browser (Chromium, or another engine of internal/browser): the
// Pyodide docs' web worker, and PyScript's worker for the synchronous bridge.
// It is `pyworker bench`.
//
// It serves its own pages (see server.go) with the site pyworker serves,
// drives them in the browser, and takes each figure for the seed's pattern and
// pyworker in the same run, with a floor beside them where there is one: a
// bare worker that echoes, the brotli size of the assets, an idle page, a
// bare channel of each kind. Cold starts get a new browser, with a new
// profile, each; the warm figures share one browser with one tab, in front,
// one page at a time.
package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	pw "github.com/pyworker/pyworker"
	"github.com/pyworker/pyworker/internal/assets"
	"github.com/pyworker/pyworker/internal/browser"
)

// Options configures Run.
type Options struct {
	// Runs is how many cold starts each pattern gets (each in a new
	// browser) and how many samples the throughput figure takes; the array
	// figures take 2*Runs+1. Medians are reported. 0 means 3.
	Runs int
	// Log receives a line per step; nil is silent.
	Log io.Writer
	// Only, when "bridge", "runner" or "arrays", takes only the figures of
	// the synchronous bridge, of the interactive runner or of the
	// 10^7-element array (warm workers of each subject, then just that);
	// when "engine", those compared across engines: cold start, the calls
	// of warm workers, and the bridge on each channel the engine has.
	Only string
	// Engine names the browser engine (internal/browser); "" is Chromium.
	Engine string
}

// The sizes of the figures.
const (
	warmupCalls        = 50
	roundTripCalls     = 1000
	bridgeCalls        = 1000 // per bridge figure
	pyscriptDomReads   = 100  // PyScript's uncached DOM reads take milliseconds each
	serviceWorkerCalls = 200  // and so do the service worker's calls
	throughputRounds   = 20
	inFlight           = 100
	arrayLength        = 10_000_000
	busySeconds        = 3
)

// Time limits: a page, one cold start (browser launch included), one figure.
const (
	pageTimeout   = 30 * time.Second
	coldTimeout   = 90 * time.Second
	figureTimeout = 90 * time.Second
)

// The subjects, by the folder of their page.
const (
	docs        = "docs"
	pyworker    = "pyworker-page"
	micropython = "micropython-page" // pyworker's MicroPython workers
	echo        = "echo"
	// MicroPython on the page, from navigation to its first print: pyworker's, and PyScript's.
	mpyOnPage   = "mpy-on-page"
	pyscriptMpy = "pyscript-mpy"
)

// Run takes every figure and returns the report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	began := time.Now()
	if opts.Runs <= 0 {
		opts.Runs = 3
	}
	if opts.Engine == "" {
		opts.Engine = "chromium"
	}
	engine, err := browser.Lookup(opts.Engine)
	if err == nil {
		err = engine.Installed()
	}
	if err != nil {
		return nil, fmt.Errorf("the benchmark's browser: %w", err)
	}
	r := &runner{runs: opts.Runs, log: opts.Log}
	r.logf("browser: %s", engine.About)
	if r.engine, err = find(ctx, engine); err != nil {
		return nil, err
	}
	r.logf("%s is %s", engine.Name, r.engine.Offers)
	if _, err := pw.Prepare(ctx, opts.Log); err != nil { // fetched and compressed, with progress
		return nil, err
	}
	pyscript, err := pyscriptDir(ctx)
	if err != nil {
		return nil, err
	}
	r.logf("PyScript %s in %s", PyScriptVersion, pyscript)
	if r.srv, err = startServer("headers", pyscript); err != nil {
		return nil, err
	}
	defer r.srv.close()
	if r.unisolated, err = startServer("service-worker", ""); err != nil {
		return nil, err
	}
	defer r.unisolated.close()
	r.logf("serving the pages at %s", r.srv.url)

	report := &Report{Pyodide: assets.PyodideVersion, Browser: r.engine.Name + ": " + r.engine.Offers.String(), Runs: opts.Runs}
	arraysNote := fmt.Sprintf("arrays: median of %d calls, each with a new array made and the page's garbage collected before the clock starts; the docs' asyncRun can only copy (structured clone)", 2*opts.Runs+1)
	if opts.Only == "arrays" {
		warm, err := r.warmFigures(ctx, report, warmArrays)
		if err != nil {
			return nil, err
		}
		report.Figures, report.Notes = arrayRows(warm), []string{arraysNote}
		report.Seconds = time.Since(began).Seconds()
		return report, nil
	}
	var bridges []*channelVisits
	if opts.Only != "runner" {
		if bridges, err = r.bridgeFigures(ctx, report); err != nil {
			return nil, err
		}
	}
	var interactive []Figure
	if opts.Only != "bridge" && opts.Only != "engine" {
		if interactive, err = r.interactiveFigures(ctx, report); err != nil {
			return nil, err
		}
	}
	if opts.Only == "bridge" || opts.Only == "runner" {
		report.Figures = append(bridgeRows(bridges, math.NaN()), interactive...)
		report.Breakdown = bridgeBreakdowns(bridges)
		if bridges != nil {
			report.Notes = []string{bridgeNote(opts.Runs)}
		}
		report.Seconds = time.Since(began).Seconds()
		return report, nil
	}
	parts := warmCalls | warmArrays
	if opts.Only == "engine" {
		parts = warmCalls
	}
	warm, err := r.warmFigures(ctx, report, parts)
	if err != nil {
		return nil, err
	}
	cold, err := r.coldFigures(ctx, report)
	if err != nil {
		return nil, err
	}
	limit, err := coldLimit(r.srv.url, report.Served)
	if err != nil {
		return nil, err
	}
	var arrays []Figure
	if parts&warmArrays != 0 {
		arrays = arrayRows(warm)
	}
	report.Figures = slices.Concat(figures(cold, warm, float64(limit)), arrays, bridgeRows(bridges, warm[echo].frameGap), interactive)
	report.Breakdown = bridgeBreakdowns(bridges)
	report.Notes = []string{
		fmt.Sprintf("cold start: median of %d, each in a new browser with a new profile (an empty HTTP cache), timed from new Worker/createWorker to the answer to 1+1 (MicroPython on the page: from navigation to the page's first print); bytes are the response bodies of the files the pattern loads (not the benchmark's page and harness)", opts.Runs),
		fmt.Sprintf("then, on the page of each cold start, each after 5 s idle: a second interpreter, restart() (the docs' pattern: a new worker) and a pool of 4 (the docs': 4 new workers), each timed to its first answers; then the page opened again in the same browser (a repeat visit); the %.0f Mbit/s cold starts share that bandwidth among all their responses", slowLink*8/1e6),
		fmt.Sprintf("warm figures: one browser, one tab in front, after %d calls of warm-up; round trips over %d sequential calls; throughput is the median of %d runs of %d rounds of %d calls in flight", warmupCalls, roundTripCalls, opts.Runs, throughputRounds, inFlight),
	}
	if arrays != nil {
		report.Notes = append(report.Notes, arraysNote)
	}
	report.Notes = append(report.Notes, bridgeNote(opts.Runs))
	if skipped := r.channelsLacking(); len(skipped) > 0 {
		report.Notes = append(report.Notes, fmt.Sprintf("%s has no %s channel: no figures for it", r.engine.Name, strings.Join(skipped, " or ")))
	}
	report.Seconds = time.Since(began).Seconds()
	return report, nil
}

type runner struct {
	runs   int
	log    io.Writer
	engine browser.Found
	srv    *server
	// unisolated serves the same pages without the isolation headers, for
	// the jspi and service-worker channels.
	unisolated *server
}

func (r *runner) logf(format string, args ...any) {
	if r.log != nil {
		fmt.Fprintf(r.log, "bench: "+format+"\n", args...)
	}
}

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
		if err := r.callFigures(tab, subject, w); err != nil {
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

// callFigures takes the round trips, throughput and frame gap of subject's
// warm worker.
func (r *runner) callFigures(tab *page, subject string, w *warm) error {
	var err error
	if w.roundTrips, err = evaluate[[]float64](tab, figureTimeout, "round trips", fmt.Sprintf("bench.roundTrips(%d, false)", roundTripCalls)); err != nil {
		return err
	}
	r.logf("%s: round trip median %.3f ms, p99 %.3f ms", subject, median(w.roundTrips), percentile(w.roundTrips, 99))
	if w.newSources, err = evaluate[[]float64](tab, figureTimeout, "round trips of new sources", fmt.Sprintf("bench.roundTrips(%d, true)", roundTripCalls)); err != nil {
		return err
	}
	r.logf("%s: round trip of a new source median %.3f ms", subject, median(w.newSources))
	for range r.runs {
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
	w.frameGap = f.MaxGap
	return nil
}

func formatSamples(xs []float64) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%.1f", x)
	}
	return s
}
