package webkit

import (
	"context"
	"testing"
	"time"

	"github.com/pyworker/pyworker/internal/drivertest"
)

// A real WebKit opens a cross-origin isolated page from a server on
// 127.0.0.1, with and without shared memory in its web process, evaluates
// expressions (awaiting promises), and reports what a page throws.
func TestWebKit(t *testing.T) {
	server := drivertest.IsolatedServer(t)
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
			drivertest.Check(t, ctx, browser, server, c.shared, "AppleWebKit/")
		})
	}
}
