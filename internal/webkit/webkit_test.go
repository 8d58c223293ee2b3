package webkit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A real WebKit opens a cross-origin isolated page from a server on
// 127.0.0.1, with and without shared memory in its web process, evaluates
// expressions (awaiting promises), and reports what a page throws.
func TestWebKit(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
		w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>webkit test</title><script>window.answer = 42;</script>`))
	}))
	defer server.Close()
	for _, c := range []struct {
		name         string
		sharedMemory bool
		shared       string // typeof SharedArrayBuffer
	}{
		{"shared memory", true, "function"},
		{"no shared memory", false, "undefined"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			browser, err := Start(ctx, Options{SharedMemory: c.sharedMemory})
			if err != nil {
				t.Fatal(err)
			}
			defer browser.Close()
			if err := browser.Navigate(ctx, server.URL+"/"); err != nil {
				t.Fatal(err)
			}
			var page struct {
				Title    string  `json:"title"`
				Answer   float64 `json:"answer"`
				Isolated bool    `json:"isolated"`
				Shared   string  `json:"shared"`
				Agent    string  `json:"agent"`
			}
			if err := browser.Evaluate(ctx, `({title: document.title, answer, isolated: crossOriginIsolated, shared: typeof SharedArrayBuffer, agent: navigator.userAgent})`, &page); err != nil {
				t.Fatal(err)
			}
			if page.Title != "webkit test" || page.Answer != 42 || !page.Isolated || page.Shared != c.shared || !strings.Contains(page.Agent, "AppleWebKit/") {
				t.Errorf("the page: %+v", page)
			}
			var later []int
			if err := browser.Evaluate(ctx, `new Promise((resolve) => setTimeout(() => resolve([1, 2, 3]), 50))`, &later); err != nil || len(later) != 3 {
				t.Errorf("a promise's value: %v (%v)", later, err)
			}
			var nothing any = "unset"
			if err := browser.Evaluate(ctx, `undefined`, &nothing); err != nil || nothing != nil {
				t.Errorf("undefined: %v (%v)", nothing, err)
			}
			err = browser.Evaluate(ctx, `Promise.reject(new TypeError("no such thing"))`, &nothing)
			if err == nil || !strings.Contains(err.Error(), "TypeError: no such thing") {
				t.Errorf("a rejection: %v", err)
			}
		})
	}
}
