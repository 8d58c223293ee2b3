package firefox

import (
	"context"
	"testing"
	"time"

	"github.com/pyworker/pyworker/internal/drivertest"
)

// A real Firefox opens a cross-origin isolated page from a server on
// 127.0.0.1 in a tab, evaluates expressions (awaiting promises), and reports
// what a page throws.
func TestFirefox(t *testing.T) {
	server := drivertest.IsolatedServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	browser, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer browser.Close()
	tab, err := browser.NewTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	drivertest.Check(t, ctx, tab, server, "function", "Firefox/")
	if err := tab.Activate(ctx); err != nil {
		t.Error(err)
	}
	if err := tab.Close(ctx); err != nil {
		t.Error(err)
	}
}
