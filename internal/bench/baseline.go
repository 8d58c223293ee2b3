// The before-and-after run, `pyworker bench -baseline DIR`: this build beside
// another version of pyworker (DIR, as `pyworker build` wrote it), each on
// servers of its own, measured turn about in one run, so that a change is
// judged against the machine's state at the same minutes.

package bench

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	pw "github.com/pyworker/pyworker"
	"github.com/pyworker/pyworker/internal/assets"
	"github.com/pyworker/pyworker/internal/fileserver"
)

// side is one of the two versions measured: where its pages are served.
type side struct {
	name            string // "this build" or "baseline", for the log
	srv, unisolated *server
}

// openBaseline returns the pyworker folder of a site `pyworker build` wrote
// (dir/pyworker/, or dir itself when it is that folder), its files
// compressed ahead, as this build's are, so that no start waits for brotli.
func openBaseline(dir string, progress io.Writer) (fs.FS, error) {
	for _, folder := range []string{filepath.Join(dir, strings.Trim(pw.Prefix, "/")), dir} {
		if _, err := os.Stat(filepath.Join(folder, "pyworker.js")); err != nil {
			continue
		}
		root, err := os.OpenRoot(folder)
		if err != nil {
			return nil, err
		}
		compressed, err := assets.CompressedDir()
		if err != nil {
			return nil, err
		}
		if err := fileserver.Precompress(root.FS(), compressed, progress); err != nil {
			return nil, fmt.Errorf("the baseline %s: %w", folder, err)
		}
		return root.FS(), nil
	}
	return nil, fmt.Errorf("the baseline %s has no pyworker.js, in it or in its pyworker/ folder: give the folder `pyworker build -o DIR` wrote from the version to compare with", dir)
}

// againstBaseline takes the figures of this build and of the baseline in
// dir: cold starts, warm calls and the bridge on each channel, for Pyodide
// and MicroPython workers.
func (r *runner) againstBaseline(ctx context.Context, report *Report, dir string) error {
	files, err := openBaseline(dir, r.log)
	if err != nil {
		return err
	}
	base := &side{name: "baseline"}
	if base.srv, err = startServer("headers", "", files); err != nil {
		return err
	}
	defer base.srv.close()
	if base.unisolated, err = startServer("service-worker", "", files); err != nil {
		return err
	}
	defer base.unisolated.close()
	this := &side{name: "this build", srv: r.srv, unisolated: r.unisolated}
	r.logf("the baseline, %s, at %s", dir, base.srv.url)

	colds := map[*side]map[string]*cold{this: {}, base: {}}
	warms := map[*side]map[string]*warm{this: {}, base: {}}
	for _, s := range []*side{this, base} {
		for _, subject := range []string{pyworker, micropython} {
			colds[s][subject], warms[s][subject] = &cold{}, &warm{}
		}
	}
	if err := r.baselineWarm(ctx, this, base, warms); err != nil {
		return err
	}
	is := "the baseline " + dir + ", served beside this build and measured turn about in the same run"
	bridges, err := r.bridgeFigures(ctx, report, bridgeSeed{
		is: is,
		visit: func(tab *page, channel string) (bridge, error) {
			if channel == "shared-memory" {
				return r.bridgeVisit(tab, base.srv.url, channel, base.name, false)
			}
			return r.bridgeVisit(tab, base.unisolated.url, channel, base.name, false)
		},
	})
	if err != nil {
		return err
	}
	for run := range r.runs {
		for _, s := range turnAbout(run, this, base) {
			for _, subject := range []string{pyworker, micropython} {
				ms, bytes, _, err := r.coldStart(ctx, s.srv, subject, nil)
				if err != nil {
					return fmt.Errorf("cold start %d of %s, %s: %w", run+1, subject, s.name, err)
				}
				r.logf("%s, %s: cold start %d: %.0f ms, %.3f MB", s.name, subject, run+1, ms, float64(bytes)/1e6)
				c := colds[s][subject]
				c.ms, c.bytes = append(c.ms, ms), append(c.bytes, float64(bytes))
			}
		}
	}
	report.Figures = append(baselineRows(is, colds[base], colds[this], warms[base], warms[this]), bridgeRows(bridges, math.NaN())...)
	report.Breakdown = bridgeBreakdowns(bridges)
	report.Notes = []string{
		fmt.Sprintf("seed is the baseline: the pyworker folder of %s, served as this build's is (brotli at its best, the same headers) on servers of its own, so each version has its own origin and HTTP cache", dir),
		fmt.Sprintf("warm figures: %d visits of each version's page in one browser, taking turns at going first, each after %d calls of warm-up: round trips over %d sequential calls each, one throughput run of %d rounds of %d calls in flight each, the longest frame gap of any visit", r.runs, warmupCalls, roundTripCalls, throughputRounds, inFlight),
		fmt.Sprintf("the bridge: %d visits of each version's page per channel, taking turns at going first; each figure the median of 3 runs of %d calls (%d on the service worker's channel)", r.runs, bridgeCalls, serviceWorkerCalls),
		fmt.Sprintf("cold starts: %d of each version, taking turns, each in a new browser with a new profile, from createWorker to the answer to 1+1", r.runs),
	}
	return nil
}

// baselineWarm takes the warm figures of both versions' Pyodide and
// MicroPython workers, r.runs visits of each in one browser, turn about.
func (r *runner) baselineWarm(ctx context.Context, this, base *side, out map[*side]map[string]*warm) error {
	tab, closeBrowser, err := r.startTab(ctx)
	if err != nil {
		return err
	}
	defer closeBrowser()
	for run := range r.runs {
		for _, s := range turnAbout(run, this, base) {
			for _, subject := range []string{pyworker, micropython} {
				if err := r.openAt(tab, s.srv.url, subject); err != nil {
					return err
				}
				if _, err := evaluate[bool](tab, figureTimeout, "starting the worker", fmt.Sprintf("bench.warm(%d)", warmupCalls)); err != nil {
					return fmt.Errorf("%s, %s: %w", s.name, subject, err)
				}
				if err := r.callFigures(tab, s.name+", "+subject, out[s][subject], 1); err != nil {
					return fmt.Errorf("%s, %s: %w", s.name, subject, err)
				}
			}
		}
	}
	return nil
}

// turnAbout is this then base on even runs, base then this on odd ones.
func turnAbout(run int, this, base *side) []*side {
	order := []*side{this, base}
	if run%2 == 1 {
		slices.Reverse(order)
	}
	return order
}

// baselineRows put each figure of this build's workers beside the
// baseline's: the seed column is the baseline.
func baselineRows(is string, coldBase, coldThis map[string]*cold, warmBase, warmThis map[string]*warm) []Figure {
	var rows []Figure
	for _, subject := range []string{pyworker, micropython} {
		who := "Pyodide worker"
		if subject == micropython {
			who = "MicroPython worker"
		}
		cb, ct, wb, wt := coldBase[subject], coldThis[subject], warmBase[subject], warmThis[subject]
		row := func(name, unit string, base, this []float64, summary func([]float64) float64) Figure {
			return Figure{Name: who + ": " + name, Unit: unit, SeedIs: is,
				Seed: value(summary(base)), Pyworker: value(summary(this)),
				Samples: Samples{Seed: base, Pyworker: this}}
		}
		p99 := func(xs []float64) float64 { return percentile(xs, 99) }
		longest := func(xs []float64) float64 { return slices.Max(xs) }
		rows = append(rows,
			row("cold start to first result", unitMs, cb.ms, ct.ms, median),
			row("bytes of a cold start", unitBytes, cb.bytes, ct.bytes, median),
			row("round trip of 1+1, median", unitMs, wb.roundTrips, wt.roundTrips, median),
			row("round trip of 1+1, a new source each call, median", unitMs, wb.newSources, wt.newSources, median),
			row("round trip of 1+1, p99", unitMs, wb.roundTrips, wt.roundTrips, p99),
			row(fmt.Sprintf("throughput, %d in flight", inFlight), unitRate, wb.rates, wt.rates, median),
			row(fmt.Sprintf("longest frame gap, %d s busy loop", busySeconds), unitMs, []float64{wb.frameGap}, []float64{wt.frameGap}, longest),
		)
	}
	for i := range rows {
		rows[i].judge()
	}
	return rows
}
