// Package doctor checks a deployed pyworker app as a browser would meet it:
// the page's isolation (headers, or isolate.js and a service worker it can
// register), the runtime and the worker script, the interpreter's wasm
// (its content type, compression and caching) and, when a headless
// Chromium is installed, a worker started on the page itself. It also asks
// for the dotfiles a working folder holds (.git/config, .env), which a
// deployment must not publish. Each finding
// says what is wrong and how to fix it on the common hosts.
package doctor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Severity grades a finding.
type Severity string

const (
	OK      Severity = "ok"
	Warning Severity = "warning" // works, but slower or with less
	Error   Severity = "error"   // the app cannot work
)

// Finding is one thing checked.
type Finding struct {
	Severity Severity
	What     string
	Fix      string // how to fix it, for a warning or an error
}

// Report is what Check found.
type Report struct {
	URL      string
	Findings []Finding
}

// Failed reports whether the app cannot work.
func (r *Report) Failed() bool {
	for _, f := range r.Findings {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// Print writes the report, a finding a line (and its fix below it).
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "pyworker doctor %s\n", r.URL)
	for _, f := range r.Findings {
		fmt.Fprintf(w, "%-8s %s\n", f.Severity, f.What)
		if f.Fix != "" {
			fmt.Fprintf(w, "%-8s fix: %s\n", "", f.Fix)
		}
	}
	verdict := "the app can work"
	if r.Failed() {
		verdict = "the app cannot work as deployed"
	}
	fmt.Fprintln(w, verdict)
}

func (r *Report) add(severity Severity, what, fix string) {
	r.Findings = append(r.Findings, Finding{severity, what, fix})
}

// Options configures Check.
type Options struct {
	// Browser starts a worker on the page in a headless Chromium, when one is installed.
	Browser bool
	// Client makes the requests; nil for one with a 30 s timeout.
	Client *http.Client
}

const (
	headersFix = "send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp " +
		"(Netlify, Cloudflare Pages: a _headers file, which pyworker build writes); where the host sends no headers " +
		"(GitHub Pages), put <script src=\"pyworker/isolate.js\" data-service-worker=\"pyworker-sw.js\"></script> first in the page " +
		"with a copy of pyworker's sw.js at the site's root (pyworker build does both)"
	buildFix = "deploy the output of pyworker build, which holds every file the runtime loads"
)

var (
	isolateScript = regexp.MustCompile(`<script\b[^>]*\bsrc\s*=\s*["']([^"']*isolate\.js)["'][^>]*>`)
	serviceWorker = regexp.MustCompile(`\bdata-service-worker\s*=\s*["']([^"']+)["']`)
	runtimeScript = regexp.MustCompile(`["']([^"'\s]*pyworker\.js)["']`)
	// The interpreter's folder the runtime was built with: "pyodide/v314.0.7/", or a CDN's URL.
	indexURL = regexp.MustCompile(`"((?:https?://[^"\s]*/pyodide/[^"\s]*/)|(?:pyodide/[^"\s]*))"`)
)

// Check checks the app whose page is at pageURL.
func Check(ctx context.Context, pageURL string, opts Options) *Report {
	r := &Report{URL: pageURL}
	client := opts.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	c := checker{ctx: ctx, client: client, report: r}
	page, err := url.Parse(pageURL)
	if err != nil || (page.Scheme != "http" && page.Scheme != "https") {
		r.add(Error, fmt.Sprintf("%s is not an http or https URL", pageURL), "give the URL of the app's page")
		return r
	}
	body, header, ok := c.get(page, "the page", "text/html")
	if !ok {
		return r
	}
	html := string(body)
	c.checkSecrets(page)
	isolatedByHeaders := c.checkIsolation(page, html, header)
	runtimeURL := page.ResolveReference(&url.URL{Path: "pyworker/pyworker.js"})
	if m := runtimeScript.FindStringSubmatch(stripIsolate(html)); m != nil {
		runtimeURL = page.ResolveReference(mustParse(m[1]))
	}
	runtime, _, ok := c.get(runtimeURL, "the runtime", "javascript")
	if !ok {
		return r
	}
	worker := runtimeURL.ResolveReference(&url.URL{Path: "worker.js"})
	if _, h, ok := c.get(worker, "the worker script", "javascript"); ok && isolatedByHeaders && !strings.EqualFold(h.Get("Cross-Origin-Embedder-Policy"), "require-corp") && h.Get("Cross-Origin-Embedder-Policy") != "credentialless" {
		r.add(Warning, fmt.Sprintf("%s has no Cross-Origin-Embedder-Policy header: on an isolated page, a worker without it may get no shared memory", worker), headersFix)
	}
	if m := indexURL.FindStringSubmatch(string(runtime)); m == nil {
		r.add(Warning, fmt.Sprintf("%s names no Pyodide folder that doctor recognizes: the interpreter was not checked", runtimeURL), "")
	} else {
		c.checkWasm(runtimeURL.ResolveReference(mustParse(m[1]+"pyodide.asm.wasm")), page, isolatedByHeaders)
	}
	if opts.Browser {
		c.checkInBrowser(pageURL, runtimeURL.String())
	}
	return r
}

// stripIsolate is html without its isolate.js tag, which names no runtime.
func stripIsolate(html string) string { return isolateScript.ReplaceAllString(html, "") }

func mustParse(ref string) *url.URL {
	u, err := url.Parse(ref)
	if err != nil {
		return &url.URL{Path: ref}
	}
	return u
}

type checker struct {
	ctx    context.Context
	client *http.Client
	report *Report
}

// get fetches u as a browser would (taking brotli and gzip), checks its
// status and that its content type holds wantType, and reports what is wrong.
func (c *checker) get(u *url.URL, name, wantType string) ([]byte, http.Header, bool) {
	req, err := http.NewRequestWithContext(c.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		c.report.add(Error, fmt.Sprintf("%s (%s): %v", name, u, err), "")
		return nil, nil, false
	}
	res, err := c.client.Do(req) // Go asks for gzip and unpacks it itself
	if err != nil {
		c.report.add(Error, fmt.Sprintf("%s (%s) cannot be fetched: %v", name, u, err), "check the URL and that the site is deployed")
		return nil, nil, false
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.report.add(Error, fmt.Sprintf("%s (%s): the download broke off: %v", name, u, err), "")
		return nil, nil, false
	}
	if res.StatusCode != http.StatusOK {
		c.report.add(Error, fmt.Sprintf("%s (%s) answers %s", name, u, res.Status), buildFix)
		return nil, nil, false
	}
	if ctype := res.Header.Get("Content-Type"); !strings.Contains(ctype, wantType) {
		c.report.add(Error, fmt.Sprintf("%s (%s) is served as %q, not %s", name, u, ctype, wantType),
			"serve it with the right content type (static hosts do for .html, .js, .mjs and .wasm; check the host's own rules)")
		return nil, nil, false
	}
	c.report.add(OK, fmt.Sprintf("%s (%s) is served as %s", name, u, res.Header.Get("Content-Type")), "")
	return body, res.Header, true
}

// checkIsolation reports how the page gets cross-origin isolated, if it
// does, and whether by its headers.
func (c *checker) checkIsolation(page *url.URL, html string, header http.Header) bool {
	coop, coep := header.Get("Cross-Origin-Opener-Policy"), header.Get("Cross-Origin-Embedder-Policy")
	if coop == "same-origin" && (coep == "require-corp" || coep == "credentialless") {
		c.report.add(OK, fmt.Sprintf("the page is cross-origin isolated by its headers (COOP %s, COEP %s): workers get shared memory", coop, coep), "")
		return true
	}
	m := isolateScript.FindStringSubmatch(html)
	if m == nil {
		c.report.add(Warning, fmt.Sprintf("the page is not cross-origin isolated (COOP %q, COEP %q) and has no isolate.js: Python's sync calls, input() and interrupt() work only in browsers with JSPI (Chromium)", coop, coep), headersFix)
		return false
	}
	script := page.ResolveReference(mustParse(m[1]))
	sw := script.ResolveReference(&url.URL{Path: "sw.js"})
	wholeSite := true // isolate.js registers its sibling sw.js for the whole site
	if s := serviceWorker.FindStringSubmatch(m[0]); s != nil {
		sw, wholeSite = page.ResolveReference(mustParse(s[1])), false
	}
	if _, swHeader, ok := c.get(sw, "the isolating service worker", "javascript"); ok {
		if wholeSite && swHeader.Get("Service-Worker-Allowed") != "/" && !atRoot(sw) {
			c.report.add(Error, fmt.Sprintf("isolate.js registers %s for the whole site, which needs the header Service-Worker-Allowed: / that it is not sent with", sw),
				"name a copy of sw.js at the site's root with data-service-worker (pyworker build does), or send the header")
			return false
		}
		c.report.add(OK, fmt.Sprintf("the page isolates itself through the service worker %s (isolate.js reloads it once)", sw), "")
	}
	return false
}

func atRoot(u *url.URL) bool { return strings.Count(u.Path, "/") == 1 }

// checkWasm checks how the interpreter's wasm is served.
func (c *checker) checkWasm(wasm, page *url.URL, pageIsolated bool) {
	req, err := http.NewRequestWithContext(c.ctx, http.MethodGet, wasm.String(), nil)
	if err != nil {
		c.report.add(Error, fmt.Sprintf("the interpreter (%s): %v", wasm, err), "")
		return
	}
	req.Header.Set("Accept-Encoding", "br, gzip") // asked for, Go leaves the body as sent
	res, err := c.client.Do(req)
	if err != nil {
		c.report.add(Error, fmt.Sprintf("the interpreter (%s) cannot be fetched: %v", wasm, err), buildFix)
		return
	}
	defer res.Body.Close()
	n, _ := io.Copy(io.Discard, res.Body)
	if res.StatusCode != http.StatusOK {
		c.report.add(Error, fmt.Sprintf("the interpreter (%s) answers %s", wasm, res.Status), buildFix)
		return
	}
	if ctype := res.Header.Get("Content-Type"); !strings.HasPrefix(ctype, "application/wasm") {
		c.report.add(Error, fmt.Sprintf("the interpreter (%s) is served as %q: browsers compile WebAssembly only from application/wasm", wasm, ctype),
			"map .wasm to application/wasm in the server or host configuration")
		return
	}
	c.report.add(OK, fmt.Sprintf("the interpreter (%s) is served as application/wasm", wasm), "")
	if enc := res.Header.Get("Content-Encoding"); enc == "" {
		c.report.add(Warning, fmt.Sprintf("the interpreter is sent uncompressed (%.1f MB): a first visit waits for every byte", float64(n)/1e6),
			"have the server compress .wasm (brotli or gzip); pyworker build writes .br and .gz beside each file for servers that serve them")
	} else {
		c.report.add(OK, fmt.Sprintf("the interpreter is sent compressed (%s, %.1f MB)", enc, float64(n)/1e6), "")
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age") || strings.Contains(cc, "max-age=0") {
		c.report.add(Warning, fmt.Sprintf("the interpreter is not kept by browsers (Cache-Control %q): every visit asks the server again", cc),
			"serve the versioned folders with Cache-Control: public, max-age=31536000, immutable (pyworker build's _headers does)")
	}
	if pageIsolated && wasm.Host != page.Host && res.Header.Get("Cross-Origin-Resource-Policy") != "cross-origin" && res.Header.Get("Access-Control-Allow-Origin") == "" {
		c.report.add(Error, fmt.Sprintf("the interpreter comes from %s without Cross-Origin-Resource-Policy or CORS: an isolated page may not load it", wasm.Host),
			"self-host the interpreter (pyworker build), or use a CDN that sends CORS headers")
	}
}
