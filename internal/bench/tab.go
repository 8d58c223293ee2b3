// The browser tab the figures are taken in, and how the runner drives it.

package bench

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pyworker/pyworker/internal/browser"
)

// page is a tab of the engine under test, with the run's context, which
// ends every wait in it.
type page struct {
	browser.Tab
	ctx context.Context
}

// startTab starts a browser of the engine under test with one tab; stop closes the browser.
func (r *runner) startTab(ctx context.Context) (tab *page, stop func(), err error) {
	b, err := r.engine.Start(ctx)
	if err != nil {
		return nil, nil, err
	}
	t, err := b.NewTab(ctx)
	if err != nil {
		b.Close()
		return nil, nil, err
	}
	return &page{t, ctx}, func() { b.Close() }, nil
}

// collectGarbage has the page's JavaScript heap collected now (or prompted, where the engine cannot be asked).
func collectGarbage(tab *page) error {
	ctx, cancel := context.WithTimeout(tab.ctx, pageTimeout)
	defer cancel()
	if err := tab.CollectGarbage(ctx); err != nil {
		return fmt.Errorf("collecting the page's garbage: %w", err)
	}
	return nil
}

// open loads subject's page in tab, waits for its harness and brings the tab
// to the front, so that its frames are not throttled.
func (r *runner) open(tab *page, subject string) error {
	return r.openAt(tab, r.srv.url, subject)
}

// openAt is open on the server at base.
func (r *runner) openAt(tab *page, base, subject string) error {
	url := base + "/" + subject + "/"
	ctx, cancel := context.WithTimeout(tab.ctx, pageTimeout)
	defer cancel()
	if err := tab.Navigate(ctx, url); err != nil {
		return fmt.Errorf("opening %s: %w", url, timedOut(ctx, err, pageTimeout))
	}
	wait := `new Promise((resolve) => { const poll = () => window.bench ? resolve(true) : setTimeout(poll, 10); poll(); })`
	if _, err := evaluate[bool](tab, pageTimeout, "the page "+url, wait); err != nil {
		return err
	}
	return tab.Front(ctx)
}

// evaluate runs a JavaScript expression in tab, awaits it when it is a
// promise, and decodes its value; what names it in errors.
func evaluate[T any](tab *page, timeout time.Duration, what, expression string) (T, error) {
	ctx, cancel := context.WithTimeout(tab.ctx, timeout)
	defer cancel()
	var v T
	if err := tab.Evaluate(ctx, expression, &v); err != nil {
		return v, fmt.Errorf("%s: %w", what, timedOut(ctx, err, timeout))
	}
	return v, nil
}

// timedOut says so when err is ctx's deadline passing.
func timedOut(ctx context.Context, err error, timeout time.Duration) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("no answer within %s (%w)", timeout, err)
	}
	return err
}

// find starts e's browser to ask what it offers (browser.Find), once a run.
func find(ctx context.Context, e browser.Engine) (browser.Found, error) {
	b, err := e.Start(ctx)
	if err != nil {
		return browser.Found{}, err
	}
	defer b.Close()
	offers, err := browser.Find(ctx, b)
	if err != nil {
		return browser.Found{}, fmt.Errorf("what %s offers: %w", e.Name, err)
	}
	return browser.Found{Engine: e, Offers: offers}, nil
}
