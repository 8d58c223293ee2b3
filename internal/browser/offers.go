package browser

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Offers is what a running browser gives pages, found by asking it (Find):
// what a test may expect, or a bench may measure, of this browser.
type Offers struct {
	// Version is the browser's name and version, as its driver reports them.
	Version string
	// JSPI: WebAssembly.Suspending, which the jspi channel needs.
	JSPI bool
	// SharedMemory: SharedArrayBuffer on a cross-origin isolated page.
	SharedMemory bool
}

// String says it for a run's log: "Firefox 153.8.0: JSPI, shared memory".
func (o Offers) String() string {
	var has []string
	if o.JSPI {
		has = append(has, "JSPI")
	}
	if o.SharedMemory {
		has = append(has, "shared memory")
	}
	if len(has) == 0 {
		has = append(has, "neither JSPI nor shared memory")
	}
	return o.Version + ": " + strings.Join(has, ", ")
}

// Major is the major number of the version: 153 of "firefox 153.8.0", 156
// of "Chrome/156.0.8078.129"; 0 when it has none. An expectation that holds
// for some versions only says which by it.
func (o Offers) Major() int {
	m := majorVersion.FindStringSubmatch(o.Version)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// majorVersion is the first number after the name, before its first dot.
var majorVersion = regexp.MustCompile(`[ /](\d+)(?:\.|$)`)

// Found is an engine with what its running browser offers.
type Found struct {
	Engine
	Offers
}

// isolatedPage is the page Find asks on: cross-origin isolated, as a page
// that wants shared memory must be.
const isolatedPage = `<!doctype html><title>what this browser offers</title>`

// Find asks the running browser b what it offers, on a cross-origin
// isolated page it serves on 127.0.0.1 for the question.
func Find(ctx context.Context, b Browser) (Offers, error) {
	offers := Offers{Version: b.Version()}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return offers, err
	}
	server := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
		w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(isolatedPage))
	})}
	go server.Serve(listener)
	defer server.Close()

	tab, err := b.NewTab(ctx)
	if err != nil {
		return offers, err
	}
	defer tab.Close()
	if err := tab.Navigate(ctx, "http://"+listener.Addr().String()+"/"); err != nil {
		return offers, err
	}
	var seen struct {
		Isolated bool `json:"isolated"`
		Shared   bool `json:"shared"`
		JSPI     bool `json:"jspi"`
	}
	if err := tab.Evaluate(ctx, `({isolated: crossOriginIsolated, shared: typeof SharedArrayBuffer === "function",
		jspi: typeof WebAssembly.Suspending === "function"})`, &seen); err != nil {
		return offers, err
	}
	if !seen.Isolated {
		return offers, fmt.Errorf("%s did not isolate a page sent COOP and COEP: its pages cannot be tested as users meet them", offers.Version)
	}
	offers.JSPI, offers.SharedMemory = seen.JSPI, seen.Shared
	return offers, nil
}
