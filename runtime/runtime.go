// Package runtime is the browser runtime of pyworker: the TypeScript of the
// page and worker sides (src/, a folder for each thread that runs it) and the
// Python module the worker installs (python/), bundled at start into the
// files served under /pyworker/.
package runtime

import (
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"strconv"

	"github.com/pyworker/pyworker/internal/bundle"
)

//go:embed src python/pyworker/*.py python/pyscript/*.py python/pyscript/web/*.py
var sources embed.FS

// Config is what the server tells the runtime when it bundles it.
type Config struct {
	// IndexURL is where pages load the interpreter assets from: relative to
	// /pyworker/ (e.g. "pyodide/") when self-hosted, or a CDN's URL.
	IndexURL string
	// MicroPythonURL, TOMLURL and XTermURL are the folders of MicroPython,
	// the TOML parser and the terminal, relative to /pyworker/:
	// "micropython/", "toml/" and "xterm/" if empty.
	MicroPythonURL, TOMLURL, XTermURL string
	// AssetSizes are the uncompressed sizes of the assets a start downloads
	// (pyodide.asm.wasm, python_stdlib.zip, pyodide-lock.json), for progress.
	AssetSizes map[string]int64
	// ServiceWorker lets pages without another channel take the service
	// worker's (see src/shared/channel.ts).
	ServiceWorker bool
	// Snapshot is the memory snapshot served for the server's own Pyodide
	// (see src/worker/snapshot.ts), if there is one.
	Snapshot *Snapshot
}

// Snapshot names a Pyodide memory snapshot for the runtime.
type Snapshot struct {
	// URL is relative to /pyworker/.
	URL     string `json:"url"`
	SHA256  string `json:"sha256"`
	BuildID string `json:"buildId"`
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
	snapshot, _ := json.Marshal(cfg.Snapshot) // null when nil
	micropython, _ := json.Marshal(cmp.Or(cfg.MicroPythonURL, "micropython/"))
	toml, _ := json.Marshal(cmp.Or(cfg.TOMLURL, "toml/"))
	xterm, _ := json.Marshal(cmp.Or(cfg.XTermURL, "xterm/"))
	files, err := bundle.Build(sources, bundle.Options{
		Entries: map[string]string{"pyworker.js": "src/page/pyworker.ts", "worker.js": "src/worker/worker.ts", "sw.js": "src/sw/sw.ts", "isolate.js": "src/page/isolate.ts"},
		Define: map[string]string{
			"PYWORKER_INDEX_URL":       string(indexURL),
			"PYWORKER_ASSET_SIZES":     string(sizes),
			"PYWORKER_SERVICE_WORKER":  strconv.FormatBool(cfg.ServiceWorker),
			"PYWORKER_SNAPSHOT":        string(snapshot),
			"PYWORKER_MICROPYTHON_URL": string(micropython),
			"PYWORKER_TOML_URL":        string(toml),
			"PYWORKER_XTERM_URL":       string(xterm),
		},
	})
	if err != nil {
		return nil, err
	}
	types, err := fs.ReadFile(sources, "src/shared/types.ts")
	if err != nil {
		return nil, err
	}
	files["pyworker.d.ts"] = append(types, "\nexport declare const asyncRun: AsyncRun;\nexport declare const createWorker: CreateWorker;\nexport declare const workers: Workers;\n"...)
	return files, nil
}

// SourceHash is the SHA-256 (hex) of the runtime's sources, by which a
// memory snapshot made by one version of them is told from another's.
func SourceHash() string {
	h := sha256.New()
	// WalkDir goes in lexical order: the same sources always hash the same.
	err := fs.WalkDir(sources, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sources, name)
		h.Write([]byte(name + "\x00"))
		h.Write(data)
		return err
	})
	if err != nil {
		panic("runtime: reading the embedded sources: " + err.Error()) // they are in the binary
	}
	return hex.EncodeToString(h.Sum(nil))
}
