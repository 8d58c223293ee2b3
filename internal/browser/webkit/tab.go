// A tab of WebKit: a window of the one session, which takes commands one tab at a time.

package webkit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Tab is one window of the session.
type Tab struct {
	browser *Browser
	handle  string
}

// NewTab opens a window. The session's first window is never a tab: closing
// the last window would end the session.
func (b *Browser) NewTab(ctx context.Context) (*Tab, error) {
	var created struct {
		Handle string `json:"handle"`
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.switchTo(ctx, b.home); err != nil { // a window opens from a window
		return nil, err
	}
	if err := request(ctx, http.MethodPost, b.session+"/window/new", map[string]any{"type": "window"}, &created); err != nil {
		return nil, fmt.Errorf("opening a WebKit window: %w", err)
	}
	return &Tab{browser: b, handle: created.Handle}, nil
}

// command sends one WebDriver command to the tab's window.
func (t *Tab) command(ctx context.Context, method, path string, body, out any) error {
	b := t.browser
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.switchTo(ctx, t.handle); err != nil {
		return err
	}
	return request(ctx, method, b.session+path, body, out)
}

// switchTo makes the window commands go to handle's; the caller holds mu.
func (b *Browser) switchTo(ctx context.Context, handle string) error {
	if b.current == handle {
		return nil
	}
	if err := request(ctx, http.MethodPost, b.session+"/window", map[string]any{"handle": handle}, nil); err != nil {
		return fmt.Errorf("switching to a window: %w", err)
	}
	b.current = handle
	return nil
}

// Navigate loads url and waits for it to load.
func (t *Tab) Navigate(ctx context.Context, url string) error {
	return t.command(ctx, http.MethodPost, "/url", map[string]any{"url": url}, nil)
}

// Evaluate runs a JavaScript expression in the page, awaits it if it is a
// promise, and decodes its value, as JSON, into out. A thrown error is
// returned with its message.
func (t *Tab) Evaluate(ctx context.Context, expression string, out any) error {
	// The value crosses as a JSON string, an error as {error}: WebDriver's own
	// conversion of objects loses what is not plain.
	script := `const done = arguments[arguments.length - 1];
(async () => JSON.stringify(await (` + expression + `)))().then(
  (json) => done({json}),
  (e) => done({error: String(e && e.stack ? e + "\n" + e.stack : e)}));`
	var result struct {
		JSON  *string `json:"json"`
		Error *string `json:"error"`
	}
	if err := t.command(ctx, http.MethodPost, "/execute/async", map[string]any{"script": script, "args": []any{}}, &result); err != nil {
		return fmt.Errorf("evaluating %s: %w", expression, err)
	}
	if result.Error != nil {
		return fmt.Errorf("evaluating %s: %s", expression, *result.Error)
	}
	if result.JSON == nil { // JSON.stringify(undefined) is undefined
		return json.Unmarshal([]byte("null"), out)
	}
	return json.Unmarshal([]byte(*result.JSON), out)
}

// Front does nothing: each tab is a window of its own, never hidden behind another.
func (t *Tab) Front(context.Context) error { return nil }

// Close closes the tab's window.
func (t *Tab) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := t.command(ctx, http.MethodDelete, "/window", nil, nil)
	t.browser.mu.Lock()
	t.browser.current = "" // the session has no current window now
	t.browser.mu.Unlock()
	return err
}
