package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pyworker/pyworker/internal/browser"
)

// inPage starts a worker from the page and times its first answer.
const inPage = `(async () => {
	const { createWorker } = await import(RUNTIME);
	const started = performance.now();
	const worker = createWorker();
	const reply = await Promise.race([
		worker.run("1 + 1"),
		new Promise((resolve) => setTimeout(() => resolve({ error: "no answer in 60 s" }), 60000)),
	]);
	const ms = performance.now() - started;
	const channel = worker.channel;
	worker.terminate();
	return { isolated: crossOriginIsolated, channel, ms, results: reply.results ?? null, error: reply.error ?? null };
})()`

// checkInBrowser opens the page in a headless Chromium, lets isolate.js
// reload it if it does, and starts a worker from the runtime at runtimeURL.
func (c *checker) checkInBrowser(pageURL, runtimeURL string) {
	engine, err := browser.Lookup("chromium")
	if err == nil {
		err = engine.Installed()
	}
	if err != nil {
		c.report.add(Warning, "no headless Chromium here, so no worker was started on the page", "install Chromium (apt-get install chromium) to have doctor start one")
		return
	}
	ctx, cancel := context.WithTimeout(c.ctx, 2*time.Minute)
	defer cancel()
	b, err := engine.Start(ctx)
	if err != nil {
		c.report.add(Warning, fmt.Sprintf("Chromium would not start, so no worker was started on the page: %v", err), "")
		return
	}
	defer b.Close()
	tab, err := b.NewTab(ctx)
	if err != nil {
		c.report.add(Warning, fmt.Sprintf("Chromium would not open a tab: %v", err), "")
		return
	}
	if err := tab.Navigate(ctx, pageURL); err != nil {
		c.report.add(Error, fmt.Sprintf("Chromium could not open the page: %v", err), "")
		return
	}
	// isolate.js reloads the page once: wait for the page that stays.
	var settled bool
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && !settled; time.Sleep(100 * time.Millisecond) {
		_ = tab.Evaluate(ctx, `document.readyState === "complete" && (crossOriginIsolated || !document.querySelector("script[src$='isolate.js']"))`, &settled)
	}
	runtime, _ := json.Marshal(runtimeURL)
	var got struct {
		Isolated bool
		Channel  string
		MS       float64
		Results  any
		Error    any
	}
	if err := tab.Evaluate(ctx, replaceRuntime(string(runtime)), &got); err != nil {
		c.report.add(Error, fmt.Sprintf("in Chromium, no worker started from the page: %v", err), buildFix)
		return
	}
	if got.Error != nil || got.Results != 2.0 {
		c.report.add(Error, fmt.Sprintf("in Chromium, a worker's 1 + 1 gave %v (error: %v)", got.Results, got.Error), buildFix)
		return
	}
	if got.Channel == "none" {
		c.report.add(Warning, fmt.Sprintf("in Chromium, a worker answered 1 + 1 in %.0f ms, but with no channel for sync calls (isolated: %v)", got.MS, got.Isolated), headersFix)
		return
	}
	c.report.add(OK, fmt.Sprintf("in Chromium, a worker answered 1 + 1 in %.0f ms from createWorker, on the %s channel (isolated: %v)", got.MS, got.Channel, got.Isolated), "")
}

func replaceRuntime(runtime string) string {
	return fmt.Sprintf("((RUNTIME) => %s)(%s)", inPage, runtime)
}
