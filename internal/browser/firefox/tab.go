// A tab of Firefox: a top-level browsing context, driven by BiDi commands.

package firefox

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Tab is one top-level browsing context.
type Tab struct {
	browser *Browser
	context string
}

// NewTab opens a tab.
func (b *Browser) NewTab(ctx context.Context) (*Tab, error) {
	result, err := b.call(ctx, "browsingContext.create", map[string]any{"type": "tab"})
	if err != nil {
		return nil, err
	}
	var created struct {
		Context string `json:"context"`
	}
	if err := json.Unmarshal(result, &created); err != nil {
		return nil, err
	}
	return &Tab{browser: b, context: created.Context}, nil
}

// Navigate loads url and waits for its load event.
func (t *Tab) Navigate(ctx context.Context, url string) error {
	_, err := t.browser.call(ctx, "browsingContext.navigate", map[string]any{"context": t.context, "url": url, "wait": "complete"})
	return err
}

// Evaluate runs a JavaScript expression in the page, awaits it if it is a
// promise, and decodes its value, as JSON, into out. A thrown error is
// returned with its message.
func (t *Tab) Evaluate(ctx context.Context, expression string, out any) error {
	// The value crosses as a JSON string: BiDi's own serialization of objects is richer but
	// harder to read back, and tests want plain values.
	wrapped := "(async () => JSON.stringify(await (" + expression + ")))()"
	result, err := t.browser.call(ctx, "script.evaluate", map[string]any{
		"expression":   wrapped,
		"target":       map[string]any{"context": t.context},
		"awaitPromise": true,
	})
	if err != nil {
		return err
	}
	var evaluated struct {
		Type   string `json:"type"`
		Result struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(result, &evaluated); err != nil {
		return err
	}
	if evaluated.Type == "exception" {
		return fmt.Errorf("evaluating %s: %s", expression, evaluated.ExceptionDetails.Text)
	}
	if evaluated.Result.Type != "string" { // JSON.stringify(undefined) is undefined
		return json.Unmarshal([]byte("null"), out)
	}
	return json.Unmarshal([]byte(evaluated.Result.Value), out)
}

// Close closes the tab.
func (t *Tab) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := t.browser.call(ctx, "browsingContext.close", map[string]any{"context": t.context})
	return err
}

// Front makes the tab the one shown: Firefox slows the timers of the others.
func (t *Tab) Front(ctx context.Context) error {
	_, err := t.browser.call(ctx, "browsingContext.activate", map[string]any{"context": t.context})
	return err
}
