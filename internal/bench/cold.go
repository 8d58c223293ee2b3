// The cold starts: each pattern's page opened in a new browser with a new
// profile, timed to its first result, with the bytes it downloaded.

package bench

import (
	"context"
	"fmt"
	"slices"
)

// cold holds one pattern's cold starts.
type cold struct {
	ms    []float64
	bytes []float64
}

// coldFigures starts each pattern runs times, each in a new browser with a
// new profile, alternating which goes first.
func (r *runner) coldFigures(ctx context.Context, report *Report) (map[string]*cold, error) {
	out := map[string]*cold{docs: {}, pyworker: {}, micropython: {}, mpyOnPage: {}, pyscriptMpy: {}}
	for run := range r.runs {
		order := []string{docs, pyworker, micropython, mpyOnPage, pyscriptMpy}
		if run%2 == 1 {
			slices.Reverse(order)
		}
		for _, subject := range order {
			ms, bytes, served, err := r.coldStart(ctx, subject)
			if err != nil {
				return nil, fmt.Errorf("cold start %d of %s: %w", run+1, subject, err)
			}
			r.logf("%s: cold start %d: %.0f ms, %.3f MB", subject, run+1, ms, float64(bytes)/1e6)
			out[subject].ms = append(out[subject].ms, ms)
			out[subject].bytes = append(out[subject].bytes, float64(bytes))
			if subject == pyworker {
				report.Served = served
			}
		}
	}
	return out, nil
}

// coldStart opens subject's page in a new browser and times its first
// answer (for Python on the page, its first print since navigation). The bytes are the response bodies of the files the pattern loads:
// all the server wrote from the page's request on, less the benchmark's own
// scaffolding (the page, harness.js, the browser's favicon request).
func (r *runner) coldStart(ctx context.Context, subject string) (ms float64, bytes int64, served []Served, err error) {
	ctx, cancel := context.WithTimeout(ctx, coldTimeout)
	defer cancel()
	tab, closeBrowser, err := r.startTab(ctx)
	if err != nil {
		return 0, 0, nil, err
	}
	defer closeBrowser()
	r.srv.meter.reset()
	if err := r.open(tab, subject); err != nil {
		return 0, 0, nil, err
	}
	if ms, err = evaluate[float64](tab, coldTimeout, "the first answer", "bench.cold()"); err != nil {
		return 0, 0, nil, err
	}
	all := r.srv.meter.read()
	scaffolding := []string{"/" + subject + "/", "/harness.js", "/first-print.js", "/favicon.ico"}
	for _, s := range all {
		if !slices.Contains(scaffolding, s.Path) {
			served = append(served, s)
			bytes += s.Bytes
		}
	}
	return ms, bytes, served, nil
}
