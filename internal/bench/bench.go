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
	// Baseline, when set, is a folder `pyworker build` wrote from another
	// version of pyworker: the run then puts this build's cold starts, warm
	// calls and bridge beside that version's instead of the seeds'.
	Baseline string
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
	// PyScript apps, from navigation to their first output: a Pyodide worker tag, and an
	// app of pyscript.web and when with MicroPython on the page; pyworker's, and PyScript's.
	pyTag          = "py-worker-tag"
	pyscriptPyTag  = "pyscript-py-worker"
	webApp         = "web-app"
	pyscriptWebApp = "pyscript-web-app"
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
	if r.srv, err = startServer("headers", pyscript, nil); err != nil {
		return nil, err
	}
	defer r.srv.close()
	if r.unisolated, err = startServer("service-worker", "", nil); err != nil {
		return nil, err
	}
	defer r.unisolated.close()
	r.logf("serving the pages at %s", r.srv.url)

	report := &Report{Pyodide: assets.PyodideVersion, Browser: r.engine.Name + ": " + r.engine.Offers.String(), Runs: opts.Runs}
	if opts.Baseline != "" {
		if err := r.againstBaseline(ctx, report, opts.Baseline); err != nil {
			return nil, err
		}
		report.Seconds = time.Since(began).Seconds()
		return report, nil
	}
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
		if bridges, err = r.bridgeFigures(ctx, report, r.pyscriptBridge()); err != nil {
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
		fmt.Sprintf("cold start: median of %d, each in a new browser with a new profile (an empty HTTP cache), timed from new Worker/createWorker to the answer to 1+1 (MicroPython on the page: from navigation to the page's first print; the PyScript apps: to the first element whose text is what the app shows first); bytes are the response bodies of the files the pattern loads (not the benchmark's page and harness)", opts.Runs),
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
