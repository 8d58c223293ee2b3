// Command pyworker serves web pages that run Python in Web Workers.
//
//	pyworker serve [DIR]   serve DIR (default: the playground) with the runtime at /pyworker/
//	pyworker pack DIR      pack the Python project in DIR into a zip
//	pyworker fetch         fetch the pinned Pyodide, MicroPython and TOML parser into the cache
//	                       (and, with -packages, packages of Pyodide's lock file)
//	pyworker build [DIR]   write DIR and what it needs as a folder any static host serves
//	pyworker doctor URL    check a deployed app as a browser would
//	pyworker bench         measure pyworker against the Pyodide docs' worker pattern and PyScript
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/pyworker/pyworker"
	"github.com/pyworker/pyworker/internal/assets"
	"github.com/pyworker/pyworker/internal/mirror"
	"github.com/pyworker/pyworker/internal/pack"
	"github.com/pyworker/pyworker/internal/site"
)

const usage = `pyworker runs Python in Web Workers, served by one Go binary.

Usage:
  pyworker serve [flags] [DIR]   serve DIR (default: the playground) at /, the runtime at /pyworker/
  pyworker pack [flags] DIR      pack the Python project in DIR into a zip (-o, default app.zip)
  pyworker fetch [flags]         fetch the pinned Pyodide %s, MicroPython %s, a TOML parser and a terminal into the cache,
                                 and with -packages NAMES packages of Pyodide's lock file, for offline use
  pyworker build [flags] [DIR]   write DIR (default: the playground) as a folder any static host serves (-o, default dist)
  pyworker doctor [flags] URL    check a deployed app as a browser would; status 1 when it cannot work
  pyworker bench [flags]         benchmark against the Pyodide docs' worker pattern and PyScript in headless Chromium

Run "pyworker COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprintf(os.Stderr, usage, assets.PyodideVersion, assets.MicroPython.Version)
		os.Exit(2)
	}
	commands := map[string]func(context.Context, []string) error{
		"serve":  serve,
		"pack":   packProject,
		"fetch":  fetch,
		"build":  build,
		"doctor": doctorApp,
		"bench":  bench,
	}
	command, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "pyworker: unknown command %q\n\n"+usage, os.Args[1], assets.PyodideVersion, assets.MicroPython.Version)
		os.Exit(2)
	}
	if err := command(ctx, os.Args[2:]); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "pyworker:", err)
		os.Exit(1)
	}
}

func serve(ctx context.Context, args []string) error {
	flags := newFlagSet("serve", "Usage: pyworker serve [flags] [DIR]")
	addr := flags.String("addr", "127.0.0.1:8000", "address to listen on; port 0 picks a free port")
	isolation := flags.String("isolation", "headers", "cross-origin isolation: headers (COOP/COEP/CORP on every response), service-worker (no headers; Python's sync calls may go through /pyworker/sw.js) or off")
	pyodide := flags.String("pyodide", "", "Pyodide to use: empty for the pinned copy (fetched on first use), a folder, or a CDN URL")
	snapshot := flags.String("snapshot", "", "the Pyodide memory snapshot pages start from, with the pinned Pyodide: empty for the one made for it (with a headless Chromium, on first use), off for none, or a file")
	packagesFrom := flags.String("packages-from", "", "where Pyodide's lock-file packages are fetched from on first use, each checked and kept: a folder URL, a folder, or none; empty for the official CDN's, with the pinned Pyodide")
	verbose := flags.Bool("v", false, "log one line per request")
	allowDotfiles := dotfilesFlag(flags, "served")
	packs := map[string]string{}
	flags.Func("pack", "serve the Python project in DIR packed as a zip at URLPATH, packed again when it changes: `URLPATH=DIR`, like /app.zip=./myproject; repeatable", func(value string) error {
		urlPath, dir, ok := strings.Cut(value, "=")
		if !ok || urlPath == "" || dir == "" {
			return errors.New("want URLPATH=DIR, like /app.zip=./myproject")
		}
		if _, taken := packs[urlPath]; taken {
			return fmt.Errorf("%s is given twice", urlPath)
		}
		packs[urlPath] = dir
		return nil
	})
	folders, err := parseInterspersed(flags, args)
	if err != nil {
		return err
	}
	cfg := site.Config{Pyodide: *pyodide, Snapshot: *snapshot, Isolation: *isolation, Packs: packs, PackagesFrom: *packagesFrom, AllowDotfiles: *allowDotfiles}
	if *verbose {
		cfg.Log = os.Stderr
	}
	switch len(folders) {
	case 0:
	case 1:
		root, err := os.OpenRoot(folders[0])
		if err != nil {
			return err
		}
		cfg.App = root.FS()
	default:
		return fmt.Errorf("serve takes one folder, got %d arguments", len(folders))
	}
	if *pyodide == "" {
		if _, err := pyworker.Prepare(ctx, os.Stderr); err != nil {
			return err
		}
	}
	handler, err := site.New(cfg)
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("pyworker serving on http://%s/\n", hostPort(listener.Addr().String()))
	if *allowDotfiles {
		fmt.Fprintln(os.Stderr, "--dotfiles allow: the folder's dotfiles and dot-folders (.env, .git/) are served to anyone who asks")
	}
	done := make(chan error, 1)
	go func() { done <- server.Serve(listener) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		fmt.Fprintln(os.Stderr, "shutting down")
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return server.Shutdown(shutdown)
	}
}

// packProject writes a project folder's zip (see internal/pack).
func packProject(_ context.Context, args []string) error {
	flags := newFlagSet("pack", "Usage: pyworker pack [flags] DIR\n\n"+
		"Packs DIR into a zip that is the same bytes whenever its files are the same. Leaves out\n"+
		"hidden files and folders (.git, .venv, .env), __pycache__, *.pyc and virtual environments.")
	output := flags.String("o", "app.zip", "the zip file to write; replaced only once the new one is complete")
	folders, err := parseInterspersed(flags, args)
	if err != nil {
		return err
	}
	if len(folders) != 1 {
		return fmt.Errorf("pack takes one folder, got %d arguments", len(folders))
	}
	if err := pack.WriteFile(*output, folders[0]); err != nil {
		return err
	}
	fmt.Println(*output)
	return nil
}

// newFlagSet is a command's flags, whose -h prints usage and then them.
func newFlagSet(name, usage string) *flag.FlagSet {
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.Usage = func() {
		fmt.Fprintln(flags.Output(), usage)
		flags.PrintDefaults()
	}
	return flags
}

// dotfilesFlag adds --dotfiles hide|allow to flags, for a command whose
// folder's files are what (served, built); it says whether they are allowed.
func dotfilesFlag(flags *flag.FlagSet, what string) *bool {
	allow := new(bool)
	flags.Func("dotfiles", "hide (the default) or allow: whether DIR's dotfiles and dot-folders (.env, .git/, app/.secret) are "+what+"; .well-known/ always is", func(value string) error {
		switch value {
		case "hide", "allow":
			*allow = value == "allow"
			return nil
		}
		return fmt.Errorf("want hide or allow, not %q", value)
	})
	return allow
}

// parseInterspersed parses flags before, between and after the other
// arguments (`pack DIR -o app.zip`), where flag.FlagSet.Parse stops at the
// first non-flag. It returns the other arguments; all after "--" are those.
func parseInterspersed(flags *flag.FlagSet, args []string) ([]string, error) {
	var others []string
	for {
		if err := flags.Parse(args); err != nil {
			return nil, err
		}
		rest := flags.Args()
		if len(rest) == 0 {
			return others, nil
		}
		if parsed := len(args) - len(rest); parsed > 0 && args[parsed-1] == "--" {
			return append(others, rest...), nil
		}
		others = append(others, rest[0])
		args = rest[1:]
	}
}

// hostPort makes a listener's address clickable: 0.0.0.0 and :: become localhost.
func hostPort(addr string) string {
	host, port, _ := net.SplitHostPort(addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + port
}

func fetch(ctx context.Context, args []string) error {
	flags := newFlagSet("fetch", "Usage: pyworker fetch [flags]\n\n"+
		"Fetches the pinned Pyodide, MicroPython, TOML parser and terminal (xterm.js) into the cache, checks every file\n"+
		"against the manifest built into pyworker, compresses them once, and prints their folders.\n"+
		"With -packages, it fetches those packages of Pyodide's lock file too, each checked against\n"+
		"the lock file's sha256, into the folder the server serves them from: for use offline.")
	source := flags.String("from", "auto", "where from: auto (npm when on PATH, else the CDN), npm, or cdn")
	cdn := flags.String("cdn", assets.CDNURL, "Pyodide's CDN folder, for -from cdn and auto's fallback (the others are fixed)")
	packages := flags.String("packages", "", "also fetch these packages of Pyodide's lock file, with all they depend on: names separated by commas (numpy,matplotlib), or all")
	packagesFrom := flags.String("packages-from", assets.CDNURL, "where the packages are fetched from: a folder URL or a folder")
	if err := flags.Parse(args); err != nil {
		return err
	}
	sources := map[string]assets.Source{"auto": assets.SourceAuto, "npm": assets.SourceNPM, "cdn": assets.SourceCDN}
	src, ok := sources[*source]
	if !ok {
		return fmt.Errorf("-from %q: want auto, npm or cdn", *source)
	}
	pinned := []*assets.Package{assets.Pyodide, assets.MicroPython, assets.TOML, assets.XTerm}
	for _, pkg := range pinned {
		opts := assets.FetchOptions{Progress: os.Stderr, Source: src}
		if pkg == assets.Pyodide {
			opts.CDN = *cdn // the others' are their own
		}
		if _, err := pkg.Fetch(ctx, opts); err != nil {
			return err
		}
	}
	// Fetched already: Prepare compresses.
	pyodideDir, err := pyworker.Prepare(ctx, os.Stderr)
	if err != nil {
		return err
	}
	if *packages != "" {
		store, err := pyworker.PackageStoreDir()
		if err != nil {
			return err
		}
		if err := fetchPackages(ctx, pyodideDir, *packagesFrom, store, strings.Split(*packages, ",")); err != nil {
			return err
		}
		fmt.Println(store)
	}
	for _, pkg := range pinned {
		dir, err := pkg.Dir()
		if err != nil {
			return err
		}
		fmt.Println(dir)
	}
	return nil
}

// fetchPackages fetches the named packages of the lock file in pyodideDir,
// and all they depend on, into store (see internal/mirror).
func fetchPackages(ctx context.Context, pyodideDir, from, store string, names []string) error {
	if from == mirror.Off {
		return fmt.Errorf("-packages-from %s: fetching needs a folder URL or a folder", mirror.Off)
	}
	m, err := mirror.Open(os.DirFS(pyodideDir), mirror.Options{From: from, Store: store})
	if err != nil {
		return err
	}
	return m.Fetch(ctx, names, os.Stderr)
}
