// Package drivertest checks a browser driver (internal/firefox,
// internal/webkit) against its real browser: the same page and the same
// expressions for every engine.
package drivertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Page is what a driver does with a page.
type Page interface {
	Navigate(ctx context.Context, url string) error
	Evaluate(ctx context.Context, expression string, out any) error
}

// IsolatedServer serves, on 127.0.0.1, a cross-origin isolated page that sets window.answer.
func IsolatedServer(t *testing.T) *httptest.Server {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
		w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>driver test</title><script>window.answer = 42;</script>`))
	}))
	t.Cleanup(server.Close)
	return server
}

// Check opens the server's page and evaluates values, a promise, undefined
// and a rejection. shared is what `typeof SharedArrayBuffer` must be there,
// agent a part of the user agent.
func Check(t *testing.T, ctx context.Context, page Page, server *httptest.Server, shared, agent string) {
	t.Helper()
	if err := page.Navigate(ctx, server.URL+"/"); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Title    string  `json:"title"`
		Answer   float64 `json:"answer"`
		Isolated bool    `json:"isolated"`
		Shared   string  `json:"shared"`
		Agent    string  `json:"agent"`
	}
	if err := page.Evaluate(ctx, `({title: document.title, answer, isolated: crossOriginIsolated, shared: typeof SharedArrayBuffer, agent: navigator.userAgent})`, &got); err != nil {
		t.Fatal(err)
	}
	if got.Title != "driver test" || got.Answer != 42 || !got.Isolated || got.Shared != shared || !strings.Contains(got.Agent, agent) {
		t.Errorf("the page: %+v, want SharedArrayBuffer %s and %q in the user agent", got, shared, agent)
	}
	var later []int
	if err := page.Evaluate(ctx, `new Promise((resolve) => setTimeout(() => resolve([1, 2, 3]), 50))`, &later); err != nil || len(later) != 3 {
		t.Errorf("a promise's value: %v (%v)", later, err)
	}
	var nothing any = "unset"
	if err := page.Evaluate(ctx, `undefined`, &nothing); err != nil || nothing != nil {
		t.Errorf("undefined: %v (%v)", nothing, err)
	}
	err := page.Evaluate(ctx, `Promise.reject(new TypeError("no such thing"))`, &nothing)
	if err == nil || !strings.Contains(err.Error(), "TypeError: no such thing") {
		t.Errorf("a rejection: %v", err)
	}
}
