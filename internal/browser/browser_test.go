package browser

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Every installed engine opens a cross-origin isolated page from a server on
// 127.0.0.1, in two tabs one after the other; evaluates values, a promise,
// undefined and a rejection; offers pages what Find found it offers, whatever
// its version; and collects a page's garbage when asked (a finalizer runs).
func TestEngines(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
		w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>driver test</title><script>window.answer = 42;</script>`))
	}))
	defer server.Close()
	agents := map[string]string{"chromium": "Chrome/", "firefox": "Firefox/", "webkit": "AppleWebKit/", "webkit-nosab": "AppleWebKit/"}
	for _, e := range Engines {
		t.Run(e.Name, func(t *testing.T) {
			if err := e.Installed(); err != nil {
				t.Skipf("not installed: %v", err) // the e2e suite says which engines it ran
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			b, err := e.Start(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			offers, err := Find(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s offers %s", e.Name, offers)
			if !versioned.MatchString(offers.Version) {
				t.Errorf("the version %q: want a name and a version number", offers.Version)
			}
			for range 2 {
				tab, err := b.NewTab(ctx)
				if err != nil {
					t.Fatal(err)
				}
				checkTab(t, ctx, offers, tab, server.URL+"/", agents[e.Name])
				if err := tab.Close(); err != nil {
					t.Error(err)
				}
			}
			// Its processes ran pages: they used some processor time.
			if used, err := b.CPUTime(); runtime.GOOS == "linux" && (err != nil || used <= 0) {
				t.Errorf("CPUTime: %v, %v; want the time its processes used", used, err)
			}
		})
	}
}

// versioned is a browser's name and version: "Firefox 153.8.0", "Chrome/156.0.8078.129".
var versioned = regexp.MustCompile(`^\w[\w ]*[ /]\d+(\.\d+)+$`)

func checkTab(t *testing.T, ctx context.Context, offers Offers, tab Tab, url, agent string) {
	t.Helper()
	if err := tab.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}
	if err := tab.Front(ctx); err != nil {
		t.Error(err)
	}
	var got struct {
		Title    string  `json:"title"`
		Answer   float64 `json:"answer"`
		Isolated bool    `json:"isolated"`
		Shared   bool    `json:"shared"`
		JSPI     bool    `json:"jspi"`
		Agent    string  `json:"agent"`
	}
	if err := tab.Evaluate(ctx, `({title: document.title, answer, isolated: crossOriginIsolated, shared: typeof SharedArrayBuffer === "function",
		jspi: typeof WebAssembly.Suspending === "function", agent: navigator.userAgent})`, &got); err != nil {
		t.Fatal(err)
	}
	if got.Title != "driver test" || got.Answer != 42 || !got.Isolated || !strings.Contains(got.Agent, agent) {
		t.Errorf("the page: %+v, want %q in the user agent", got, agent)
	}
	if got.Shared != offers.SharedMemory || got.JSPI != offers.JSPI {
		t.Errorf("the page has SharedArrayBuffer %v and JSPI %v; Find found %s", got.Shared, got.JSPI, offers)
	}
	var later []int
	if err := tab.Evaluate(ctx, `new Promise((resolve) => setTimeout(() => resolve([1, 2, 3]), 50))`, &later); err != nil || len(later) != 3 {
		t.Errorf("a promise's value: %v (%v)", later, err)
	}
	var nothing any = "unset"
	if err := tab.Evaluate(ctx, `undefined`, &nothing); err != nil || nothing != nil {
		t.Errorf("undefined: %v (%v)", nothing, err)
	}
	err := tab.Evaluate(ctx, `Promise.reject(new TypeError("no such thing"))`, &nothing)
	if err == nil || !strings.Contains(err.Error(), "TypeError: no such thing") {
		t.Errorf("a rejection: %v", err)
	}

	if err := tab.Evaluate(ctx, `(window.finalized = false, window.registry = new FinalizationRegistry(() => window.finalized = true), registry.register({}, 0))`, &nothing); err != nil {
		t.Fatal(err)
	}
	finalized := false
	for i := 0; i < 20 && !finalized; i++ {
		if err := tab.CollectGarbage(ctx); err != nil {
			t.Fatal(err)
		}
		if err := tab.Evaluate(ctx, `new Promise((resolve) => setTimeout(() => resolve(window.finalized), 10))`, &finalized); err != nil {
			t.Fatal(err)
		}
	}
	if !finalized {
		t.Error("an object dropped by the page was not finalized after 20 collections")
	}
}

// Major reads the version's first number, as each driver reports it.
func TestMajor(t *testing.T) {
	for version, want := range map[string]int{
		"firefox 153.8.0":        153,
		"firefox 140.10.2esr":    140,
		"Chrome/156.0.8078.129":  156,
		"MiniBrowser 2.50.6":     2,
		"HeadlessChrome/148.0.1": 148,
		"MiniBrowser":            0,
		"":                       0,
	} {
		if got := (Offers{Version: version}).Major(); got != want {
			t.Errorf("Major of %q: %d, want %d", version, got, want)
		}
	}
}
