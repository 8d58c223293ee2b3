package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	benchmark "github.com/pyworker/pyworker/internal/bench"
)

// bench measures pyworker against the Pyodide docs' worker pattern in a headless
// browser and prints the table (or, with -json, the report with its samples).
func bench(ctx context.Context, args []string) error {
	flags := flag.NewFlagSet("bench", flag.ContinueOnError)
	runs := flags.Int("runs", 3, "cold starts per pattern (each in a new browser) and throughput samples; the array figures take 2N+1 samples; medians are reported")
	asJSON := flags.Bool("json", false, "print the report, with every sample, as JSON instead of the table")
	only := flags.String("only", "", `"bridge": only the synchronous bridge's figures (each channel, PyScript, the floors); "runner": only the interactive runner's (interrupts, printing, pools); "arrays": only the 10^7-element array's (copied, shared, transferred, the floors); "engine": those compared across engines (cold start, warm calls, the bridge on each channel the engine has)`)
	engine := flags.String("engine", "chromium", "the browser engine: chromium, firefox, webkit or webkit-nosab (see internal/browser)")
	baseline := flags.String("baseline", "", "a folder that pyworker build -o wrote from another version of pyworker: measure this build beside it, turn about in one run (cold starts, warm calls, the bridge), instead of beside the seeds")
	flags.Usage = func() {
		fmt.Fprintln(flags.Output(), "Usage: pyworker bench [-runs N] [-json] [-only bridge|runner|arrays|engine | -baseline DIR] [-engine NAME]")
		fmt.Fprintln(flags.Output(), "\nMeasures pyworker against the Pyodide docs' web-worker pattern and PyScript in a headless browser\n(Chromium unless -engine says; PYWORKER_CHROMIUM and PYWORKER_FIREFOX choose the binaries).\nProgress goes to stderr, the results to stdout.")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("bench takes no arguments, got %q", flags.Args())
	}
	if *only != "" && *only != "bridge" && *only != "runner" && *only != "arrays" && *only != "engine" {
		return fmt.Errorf("-only %q: want bridge, runner, arrays or engine", *only)
	}
	if *only != "" && *baseline != "" {
		return fmt.Errorf("-only and -baseline go alone: -baseline takes its own figures")
	}
	if *runs < 1 {
		return fmt.Errorf("-runs %d: want at least 1", *runs)
	}
	report, err := benchmark.Run(ctx, benchmark.Options{Runs: *runs, Log: os.Stderr, Only: *only, Engine: *engine, Baseline: *baseline})
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	return report.WriteTable(os.Stdout)
}
