// Package runtime is the browser runtime of pyworker: the TypeScript of the
// page and worker sides (src/) and the Python module the worker installs
// (python/), bundled at start into the files served under /pyworker/.
package runtime

import (
	"embed"
	"encoding/json"
	"io/fs"
	"strconv"

	"github.com/pyworker/pyworker/internal/bundle"
)

//go:embed src python/pyworker/*.py python/pyscript/*.py
var sources embed.FS

// Config is what the server tells the runtime when it bundles it.
type Config struct {
	// IndexURL is where pages load the interpreter assets from: relative to
	// /pyworker/ (e.g. "pyodide/") when self-hosted, or a CDN's URL.
	IndexURL string
	// AssetSizes are the uncompressed sizes of the assets a start downloads
	// (pyodide.asm.wasm, python_stdlib.zip, pyodide-lock.json), for progress.
	AssetSizes map[string]int64
	// ServiceWorker lets pages without another channel take the service
	// worker's (see src/channel.ts).
	ServiceWorker bool
}

// StartAssets names the interpreter files every start downloads by fetch.
var StartAssets = []string{"pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}

// Build bundles the runtime: pyworker.js (the page's module), worker.js (the
// Web Worker), sw.js (the service worker), isolate.js (a script that makes a
// page cross-origin isolated through sw.js) and pyworker.d.ts (the
// TypeScript declarations of pyworker.js).
func Build(cfg Config) (map[string][]byte, error) {
	indexURL, _ := json.Marshal(cfg.IndexURL)
	sizes, _ := json.Marshal(cfg.AssetSizes)
	files, err := bundle.Build(sources, bundle.Options{
		Entries: map[string]string{"pyworker.js": "src/pyworker.ts", "worker.js": "src/worker.ts", "sw.js": "src/sw.ts", "isolate.js": "src/isolate.ts"},
		Define: map[string]string{
			"PYWORKER_INDEX_URL":      string(indexURL),
			"PYWORKER_ASSET_SIZES":    string(sizes),
			"PYWORKER_SERVICE_WORKER": strconv.FormatBool(cfg.ServiceWorker),
		},
	})
	if err != nil {
		return nil, err
	}
	types, err := fs.ReadFile(sources, "src/types.ts")
	if err != nil {
		return nil, err
	}
	files["pyworker.d.ts"] = append(types, "\nexport declare const asyncRun: AsyncRun;\nexport declare const createWorker: CreateWorker;\nexport declare const workers: Workers;\n"...)
	return files, nil
}
