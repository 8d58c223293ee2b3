// The synchronous bridge's figures: each channel beside its floor, and
// PyScript's beside the shared-memory one.

package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// bridge is what the synchronous-bridge page measures on one channel:
// microseconds per call (and per read), and the longest frame, in ms, while
// Python calls the page without a pause for 2 s (HammerCalls calls).
type bridge struct {
	Channel       string  `json:"-"`
	Seed          *bridge `json:"-"` // PyScript's figures, on its own channel
	Floor         float64 `json:"floor"`
	SyncCall      float64 `json:"syncCall"`
	ExportCall    float64 `json:"exportCall"`
	DomRead       float64 `json:"domRead"`
	DomReadCached float64 `json:"domReadCached"`
	HammerCalls   float64 `json:"hammerCalls"`
	HammerFrame   float64 `json:"hammerFrame"`
}

// The channels, each with the page's server (isolated or not) and its floor.
var channels = []struct{ name, floorIs string }{
	{"shared-memory", "a bare SharedArrayBuffer doorbell: the worker blocks in Atomics.wait, the page answers from Atomics.waitAsync"},
	{"jspi", "bare Pyodide: Python blocks in run_sync on a promise the page's answer message resolves"},
	{"service-worker", "a bare worker's synchronous XHR, held by a bare service worker until the page posts it the answer"},
}

// bridgeFigures measures the synchronous bridge on each channel beside its
// floor, in a browser of its own; shared memory on the isolated server, the
// others on the server that is not.
func (r *runner) bridgeFigures(ctx context.Context, report *Report) ([]*bridge, error) {
	tab, closeBrowser, err := r.startTab(ctx)
	if err != nil {
		return nil, err
	}
	defer closeBrowser()
	if report.Browser, err = r.version(tab); err != nil {
		return nil, err
	}
	var out []*bridge
	for _, c := range channels {
		if slices.Contains(r.channelsLacking(), c.name) {
			continue
		}
		url := r.unisolated.url
		if c.name == "shared-memory" {
			url = r.srv.url
		}
		if err := r.openAt(tab, url, "bridge"); err != nil {
			return nil, err
		}
		calls := bridgeCalls
		if c.name == "service-worker" {
			calls = serviceWorkerCalls
		}
		b, err := evaluate[bridge](tab, 3*figureTimeout, c.name+" bridge figures", fmt.Sprintf("bench.bridge(%d, %q)", calls, c.name))
		if err != nil {
			return nil, err
		}
		b.Channel = c.name
		if c.name == "shared-memory" { // PyScript's channel
			if report.Isolated, err = evaluate[bool](tab, pageTimeout, "isolation", "crossOriginIsolated"); err != nil {
				return nil, err
			}
			if err := r.open(tab, "pyscript-page"); err != nil {
				return nil, err
			}
			seed, err := evaluate[bridge](tab, figureTimeout, "PyScript's bridge figures", fmt.Sprintf("bench.bridge(%d, %d)", bridgeCalls, pyscriptDomReads))
			if err != nil {
				return nil, err
			}
			b.Seed = &seed
			if err := r.openAt(tab, url, "bridge"); err != nil {
				return nil, err
			}
			r.logf("bridge, PyScript: sync call %.1f µs, export call %.1f µs, DOM read %.1f µs (cached %.1f)", seed.SyncCall, seed.ExportCall, seed.DomRead, seed.DomReadCached)
		}
		r.logf("bridge, %s: sync call %.1f µs (floor %.1f), export call %.1f µs, DOM read %.1f µs (cached %.1f), longest frame %.1f ms over %.0f sync calls",
			c.name, b.SyncCall, b.Floor, b.ExportCall, b.DomRead, b.DomReadCached, b.HammerFrame, b.HammerCalls)
		out = append(out, &b)
	}
	return out, nil
}

// floorOf says what the floor of a channel is.
func floorOf(channel string) string {
	for _, c := range channels {
		if c.name == channel {
			return c.floorIs
		}
	}
	return ""
}

// channelsLacking are the channels the engine under test does not have.
func (r *runner) channelsLacking() []string {
	var lacking []string
	if !r.engine.SharedMemory {
		lacking = append(lacking, "shared-memory")
	}
	if !r.engine.JSPI {
		lacking = append(lacking, "jspi")
	}
	return lacking
}

// bridgeRows are the figures of the bridges, channel by channel, with
// PyScript's beside the shared-memory ones (its channel).
func bridgeRows(bridges []*bridge, idleFrameGap float64) []Figure {
	one := func(v float64) []float64 { return []float64{v} }
	var rows []Figure
	for _, b := range bridges {
		seed := &bridge{SyncCall: math.NaN(), ExportCall: math.NaN(), DomRead: math.NaN(), DomReadCached: math.NaN()}
		seedIs := ""
		if b.Seed != nil {
			seed, seedIs = b.Seed, "PyScript's worker (@pyscript/core "+PyScriptVersion+" from npm, the same local Pyodide)"
		}
		row := func(name string, pyworker, seed float64, target *Target) Figure {
			f := Figure{Name: name + " (" + b.Channel + ")", Unit: unitUs, Pyworker: value(pyworker), Seed: value(seed), Target: target,
				Samples: Samples{Pyworker: one(pyworker)}}
			if f.Seed != nil {
				f.SeedIs, f.Samples.Seed = seedIs, one(seed)
			}
			return f
		}
		sync := row("sync call, worker to page", b.SyncCall, seed.SyncCall, &Target{Text: "within 1.3x of floor", Against: "floor", Factor: 1.3})
		sync.Floor, sync.FloorIs, sync.Samples.Floor = value(b.Floor), floorOf(b.Channel), one(b.Floor)
		var exportTarget, readTarget *Target
		if b.Channel == "shared-memory" {
			sync.Target = &Target{Text: "0.3x PyScript's time", Against: "seed", Factor: 1 / 0.3}
			exportTarget = &Target{Text: "0.7x PyScript's time", Against: "seed", Factor: 1 / 0.7}
			readTarget = &Target{Text: "under 350 µs", Against: "value", Factor: 350}
		}
		rows = append(rows,
			sync,
			row("export call, page to worker", b.ExportCall, seed.ExportCall, exportTarget),
			row("read document.body.dataset.test", b.DomRead, seed.DomRead, readTarget),
			row("same, dataset cached", b.DomReadCached, seed.DomReadCached, nil),
			Figure{
				Name: "longest frame, page called nonstop (" + b.Channel + ")", Unit: unitMs, Pyworker: value(b.HammerFrame), Floor: value(idleFrameGap),
				FloorIs: fmt.Sprintf("the same page doing nothing for %d s", busySeconds),
				Target:  &Target{Text: "no frame over 16.7 ms", Against: "value", Factor: 17.5},
				Samples: Samples{Pyworker: one(b.HammerFrame), Floor: one(idleFrameGap)},
			},
		)
	}
	for i := range rows {
		rows[i].judge()
	}
	return rows
}
