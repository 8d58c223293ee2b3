package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/pyworker/pyworker"
	"github.com/pyworker/pyworker/playground"
)

// build writes an app and what it needs as a static folder (see pyworker.Build).
func build(ctx context.Context, args []string) error {
	flags := newFlagSet("build", "Usage: pyworker build [flags] [DIR]\n\n"+
		"Writes DIR (default: the playground) as a folder any static host serves: the runtime, the\n"+
		"pinned Pyodide and MicroPython, the memory snapshot and the lock-file packages the app's\n"+
		"Python imports, each file with its .br and .gz beside it; _headers for Netlify and Cloudflare\n"+
		"Pages; and each page isolating itself through a service worker where the host sends no\n"+
		"headers (GitHub Pages). The same input makes the same folder, byte for byte.")
	out := flags.String("o", "dist", "the folder to write; replaced only once the new one is complete")
	packages := flags.String("packages", "", "lock-file packages to include beyond those the app imports: names separated by commas, or all")
	packagesFrom := flags.String("packages-from", "", "where packages not fetched yet come from: a folder URL or a folder; empty for the official CDN's")
	snapshot := flags.String("snapshot", "", "the memory snapshot pages start from: empty for the one made for the pinned Pyodide, off for none, or a file")
	allowDotfiles := dotfilesFlag(flags, "built in")
	folders, err := parseInterspersed(flags, args)
	if err != nil {
		return err
	}
	var app fs.FS
	switch len(folders) {
	case 0:
		if app, err = playground.FS(); err != nil {
			return err
		}
	case 1:
		root, err := os.OpenRoot(folders[0])
		if err != nil {
			return err
		}
		defer root.Close()
		app = root.FS()
	default:
		return fmt.Errorf("build takes one folder, got %d arguments", len(folders))
	}
	opts := pyworker.BuildOptions{App: app, PackagesFrom: *packagesFrom, Snapshot: *snapshot, AllowDotfiles: *allowDotfiles}
	if *packages != "" {
		opts.Packages = strings.Split(*packages, ",")
	}
	if err := pyworker.Build(ctx, *out, opts, os.Stderr); err != nil {
		return err
	}
	fmt.Println(*out)
	return nil
}
