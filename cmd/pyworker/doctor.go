package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/pyworker/pyworker/internal/doctor"
)

// doctorApp checks a deployed app (see internal/doctor); it fails when the app cannot work.
func doctorApp(ctx context.Context, args []string) error {
	flags := newFlagSet("doctor", "Usage: pyworker doctor [flags] URL\n\n"+
		"Checks the app whose page is at URL as a browser would: the page's cross-origin isolation\n"+
		"(headers, or isolate.js and its service worker), the runtime, the worker script, the\n"+
		"interpreter's content type, compression and caching, and, with a headless Chromium\n"+
		"installed, a worker started on the page. Exits with status 1 when the app cannot work.")
	noBrowser := flags.Bool("no-browser", false, "do not start a worker in a headless Chromium")
	urls, err := parseInterspersed(flags, args)
	if err != nil {
		return err
	}
	if len(urls) != 1 {
		return fmt.Errorf("doctor takes one URL, got %d arguments", len(urls))
	}
	report := doctor.Check(ctx, urls[0], doctor.Options{Browser: !*noBrowser})
	report.Print(os.Stdout)
	if report.Failed() {
		return errors.New("doctor found errors")
	}
	return nil
}
