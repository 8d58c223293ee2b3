// The cold starts: each pattern's page opened in a new browser with a new
// profile, timed to its first result, with the bytes it downloaded; for the
// docs' pattern and pyworker, then fresh interpreters on that page, a repeat
// visit in the same browser, and a first visit over a slow link.

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
	// The docs' pattern and pyworker only, ms: a repeat visit, a first visit
	// over slowLink, and fresh interpreters on a page that has one, by how
	// (see harness.js fresh).
	repeat, slow []float64
	fresh        map[string][]float64
}

// slowLink is the bandwidth of the slow first visits: 40 Mbit/s.
const slowLink = 40e6 / 8

// freshKinds are the fresh interpreters timed on a page that has one.
var freshKinds = []string{"second", "restart", "pool"}

// coldFigures starts each pattern runs times, each in a new browser with a
// new profile, alternating which goes first.
func (r *runner) coldFigures(ctx context.Context, report *Report) (map[string]*cold, error) {
	subjects := []string{docs, pyworker, micropython, mpyOnPage, pyscriptMpy, pyTag, pyscriptPyTag, webApp, pyscriptWebApp}
	out := map[string]*cold{}
	for _, subject := range subjects {
		out[subject] = &cold{}
	}
	for run := range r.runs {
		order := slices.Clone(subjects)
		if run%2 == 1 {
			slices.Reverse(order)
		}
		for _, subject := range order {
			c := out[subject]
			var then func(tab *page) error
			if subject == docs || subject == pyworker {
				then = func(tab *page) error { return r.afterColdStart(tab, subject, c) }
			}
			ms, bytes, served, err := r.coldStart(ctx, r.srv, subject, then)
			if err != nil {
				return nil, fmt.Errorf("cold start %d of %s: %w", run+1, subject, err)
			}
			r.logf("%s: cold start %d: %.0f ms, %.3f MB", subject, run+1, ms, float64(bytes)/1e6)
			c.ms = append(c.ms, ms)
			c.bytes = append(c.bytes, float64(bytes))
			if subject == pyworker {
				report.Served = served
			}
		}
		for _, subject := range []string{docs, pyworker} {
			r.srv.link.limit(slowLink)
			ms, _, _, err := r.coldStart(ctx, r.srv, subject, nil)
			r.srv.link.limit(0)
			if err != nil {
				return nil, fmt.Errorf("cold start %d of %s over a slow link: %w", run+1, subject, err)
			}
			r.logf("%s: cold start %d at %.0f Mbit/s: %.0f ms", subject, run+1, slowLink*8/1e6, ms)
			out[subject].slow = append(out[subject].slow, ms)
		}
	}
	return out, nil
}

// afterColdStart times fresh interpreters on the page of a cold start, then
// a repeat visit of it in the same browser.
func (r *runner) afterColdStart(tab *page, subject string, c *cold) error {
	if c.fresh == nil {
		c.fresh = map[string][]float64{}
	}
	for _, how := range freshKinds {
		ms, err := evaluate[float64](tab, coldTimeout, "fresh interpreters ("+how+")", fmt.Sprintf("bench.fresh(%q)", how))
		if err != nil {
			return err
		}
		r.logf("%s: fresh interpreter (%s): %.0f ms", subject, how, ms)
		c.fresh[how] = append(c.fresh[how], ms)
	}
	if err := r.open(tab, subject); err != nil {
		return err
	}
	ms, err := evaluate[float64](tab, coldTimeout, "the first answer of a repeat visit", "bench.cold()")
	if err != nil {
		return err
	}
	r.logf("%s: repeat visit: %.0f ms", subject, ms)
	c.repeat = append(c.repeat, ms)
	return nil
}

// coldStart opens subject's page on srv in a new browser and times its first
// answer (for Python on the page, its first print since navigation), then
// runs then (if not nil) in the same tab. The bytes are the response bodies of the files the pattern loads:
// all the server wrote from the page's request on, less the benchmark's own
// scaffolding (the page, harness.js, the browser's favicon request).
func (r *runner) coldStart(ctx context.Context, srv *server, subject string, then func(tab *page) error) (ms float64, bytes int64, served []Served, err error) {
	ctx, cancel := context.WithTimeout(ctx, coldTimeout)
	defer cancel()
	tab, closeBrowser, err := r.startTab(ctx)
	if err != nil {
		return 0, 0, nil, err
	}
	defer closeBrowser()
	srv.meter.reset()
	if err := r.openAt(tab, srv.url, subject); err != nil {
		return 0, 0, nil, err
	}
	if ms, err = evaluate[float64](tab, coldTimeout, "the first answer", "bench.cold()"); err != nil {
		return 0, 0, nil, err
	}
	all := srv.meter.read()
	if then != nil {
		if err := then(tab); err != nil {
			return 0, 0, nil, err
		}
	}
	scaffolding := []string{"/" + subject + "/", "/harness.js", "/first-print.js", "/first-output.js", "/favicon.ico"}
	for _, s := range all {
		if !slices.Contains(scaffolding, s.Path) {
			served = append(served, s)
			bytes += s.Bytes
		}
	}
	return ms, bytes, served, nil
}
