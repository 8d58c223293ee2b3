// The synchronous bridge's figures: each channel beside its floor, and the
// seed's beside it (PyScript's worker on shared memory, or a -baseline build).

package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// bridge is what one visit of the synchronous-bridge page measures on one
// channel: microseconds per call (and per read), the longest frame, in ms,
// while Python calls the page without a pause for 2 s (HammerCalls calls),
// and where the time of a sync and an export call goes (pyworker only, with
// its timings option, on shared memory).
type bridge struct {
	Floor         float64 `json:"floor"`
	SyncCall      float64 `json:"syncCall"`
	ExportCall    float64 `json:"exportCall"`
	ExportFloor   float64 `json:"exportFloor"`
	DomRead       float64 `json:"domRead"`
	DomReadCached float64 `json:"domReadCached"`
	HammerCalls   float64 `json:"hammerCalls"`
	HammerFrame   float64 `json:"hammerFrame"`
	// A worker with the timings option: its figures, the steps of its
	// calls, and each side's spinning meanwhile.
	SyncTimed      float64  `json:"syncTimed"`
	SyncSteps      []Step   `json:"syncSteps"`
	SyncSpinning   Spinning `json:"syncSpinning"`
	ExportTimed    float64  `json:"exportTimed"`
	ExportSteps    []Step   `json:"exportSteps"`
	ExportSpinning Spinning `json:"exportSpinning"`
}

// Step is one step of a call and its mean time, in µs.
type Step struct {
	Name string  `json:"step"`
	Us   float64 `json:"us"`
}

// Spinning is the CPU each side spends spinning or polling, waiting for the
// other, in µs per call: the worker for answers and for the page's next call
// (the request lane), the page for questions and for results (the reply lane).
type Spinning struct {
	Worker float64 `json:"worker"`
	Page   float64 `json:"page"`
}

// channelVisits are the visits of the bridge page on one channel, and of
// the seed's page beside them (PyScript's, beside the shared-memory ones).
type channelVisits struct {
	channel string
	visits  []bridge
	seed    []bridge
	seedIs  string
}

// bridgeSeed is what the bridge is compared with: what it is, and a visit of
// its page on a channel (nil for the channels it has not).
type bridgeSeed struct {
	is    string
	visit func(tab *page, channel string) (bridge, error)
}

// pyscriptBridge is PyScript's worker, beside the shared-memory channel (its own).
func (r *runner) pyscriptBridge() bridgeSeed {
	return bridgeSeed{
		is: "PyScript's worker (@pyscript/core " + PyScriptVersion + " from npm, the same local Pyodide)",
		visit: func(tab *page, channel string) (bridge, error) {
			if channel != "shared-memory" {
				return bridge{}, errNoSeed
			}
			if err := r.open(tab, "pyscript-page"); err != nil {
				return bridge{}, err
			}
			seed, err := evaluate[bridge](tab, figureTimeout, "PyScript's bridge figures", fmt.Sprintf("bench.bridge(%d, %d)", bridgeCalls, pyscriptDomReads))
			if err == nil {
				r.logf("bridge, PyScript: sync call %.1f µs, export call %.1f µs, DOM read %.1f µs (cached %.1f)", seed.SyncCall, seed.ExportCall, seed.DomRead, seed.DomReadCached)
			}
			return seed, err
		},
	}
}

// errNoSeed is a bridgeSeed's visit on a channel the seed has not.
var errNoSeed = errors.New("the seed has no such channel")

// bridgeVisit is one visit of the bridge page on channel, served from base;
// the channel's floors are taken too when floors is set.
func (r *runner) bridgeVisit(tab *page, base, channel, who string, floors bool) (bridge, error) {
	calls := bridgeCalls
	if channel == "service-worker" {
		calls = serviceWorkerCalls
	}
	if err := r.openAt(tab, base, "bridge"); err != nil {
		return bridge{}, err
	}
	b, err := evaluate[bridge](tab, 3*figureTimeout, channel+" bridge figures", fmt.Sprintf("bench.bridge(%d, %q, %t)", calls, channel, floors))
	if err == nil {
		r.logf("bridge, %s, %s: sync call %.1f µs (floor %.1f), export call %.1f µs, DOM read %.1f µs (cached %.1f), longest frame %.1f ms over %.0f sync calls",
			who, channel, b.SyncCall, b.Floor, b.ExportCall, b.DomRead, b.DomReadCached, b.HammerFrame, b.HammerCalls)
	}
	return b, err
}

// The channels, each with the page's server (isolated or not) and its floor.
var channels = []struct{ name, floorIs string }{
	{"shared-memory", "a bare SharedArrayBuffer doorbell: the worker blocks in Atomics.wait, the page answers from Atomics.waitAsync or by polling, whichever is faster there"},
	{"jspi", "bare Pyodide: Python blocks in run_sync on a promise the page's answer message resolves"},
	{"service-worker", "a bare worker's synchronous XHR, held by a bare service worker until the page posts it the answer"},
}

// bridgeFigures measures the synchronous bridge on each channel beside its
// floor, in a browser of its own; shared memory on the isolated server, the
// others on the server that is not. Each channel gets r.runs visits, and
// the seed as many beside them where it has the channel, the two taking
// turns at going first.
func (r *runner) bridgeFigures(ctx context.Context, report *Report, seed bridgeSeed) ([]*channelVisits, error) {
	tab, closeBrowser, err := r.startTab(ctx)
	if err != nil {
		return nil, err
	}
	defer closeBrowser()
	var out []*channelVisits
	for _, c := range channels {
		if slices.Contains(r.channelsLacking(), c.name) {
			continue
		}
		cv := &channelVisits{channel: c.name}
		url := r.unisolated.url
		if c.name == "shared-memory" {
			url = r.srv.url
		}
		visit := func() error {
			b, err := r.bridgeVisit(tab, url, c.name, "pyworker", true)
			if err != nil {
				return err
			}
			cv.visits = append(cv.visits, b)
			return nil
		}
		seedVisit := func() error {
			b, err := seed.visit(tab, c.name)
			if errors.Is(err, errNoSeed) {
				return nil
			}
			if err != nil {
				return err
			}
			cv.seed, cv.seedIs = append(cv.seed, b), seed.is
			return nil
		}
		for run := range r.runs {
			turns := []func() error{visit, seedVisit}
			if run%2 == 1 {
				slices.Reverse(turns)
			}
			for _, turn := range turns {
				if err := turn(); err != nil {
					return nil, err
				}
			}
		}
		if c.name == "shared-memory" {
			if report.Isolated, err = evaluate[bool](tab, pageTimeout, "isolation", "crossOriginIsolated"); err != nil {
				return nil, err
			}
		}
		out = append(out, cv)
	}
	return out, nil
}

// bridgeNote says how the bridge's figures were taken.
func bridgeNote(runs int) string {
	return fmt.Sprintf("the bridge: %d visits of its page per channel, and of PyScript's beside the shared-memory ones, taking turns at going first; each visit starts a worker, waits 5 s, calls for 2 s before its figures (the engine optimizes the interpreter's hot code only after thousands of calls), then takes each figure as the median of 3 runs of %d calls (%d on the service worker's channel, %d of PyScript's uncached reads)", runs, bridgeCalls, serviceWorkerCalls, pyscriptDomReads)
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
