// Package playground is the default app of `pyworker serve`: an editor, Run and
// Stop, streamed output with tracebacks, a line to type in when the program
// asks, a load progress bar and a frame-rate meter.
package playground

import (
	"embed"
	"io/fs"
	"time"

	"github.com/pyworker/pyworker/internal/bundle"
	"github.com/pyworker/pyworker/internal/fileserver"
)

// The app imports types from the runtime; they are erased when bundled.
//
//go:embed index.html app.ts
var sources embed.FS

// FS returns the playground's files: index.html and app.js.
func FS() (fs.FS, error) {
	files, err := bundle.Build(sources, bundle.Options{Entries: map[string]string{"app.js": "app.ts"}})
	if err != nil {
		return nil, err
	}
	files["index.html"], _ = fs.ReadFile(sources, "index.html")
	return fileserver.Memory(files, time.Now()), nil
}
