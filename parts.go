package pyworker

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pyworker/pyworker/internal/assets"
	"github.com/pyworker/pyworker/internal/fileserver"
	"github.com/pyworker/pyworker/internal/mirror"
	"github.com/pyworker/pyworker/internal/snapshot"
	"github.com/pyworker/pyworker/runtime"
)

// parts is what Handler serves under Prefix, by where it comes from; Build
// writes the same out.
type parts struct {
	// runtime is the bundle: pyworker.js, worker.js, sw.js, isolate.js, pyworker.d.ts.
	runtime map[string][]byte
	// folders are the interpreters', the TOML parser's and the terminal's.
	folders []folder
	// snapshot is the memory snapshot the runtime names, if any, served at snapshot/.
	snapshot *snapshot.Snapshot
}

// pyodide is the self-hosted Pyodide folder, if Pyodide is served.
func (p *parts) pyodide() (folder, bool) {
	for _, f := range p.folders {
		if f.name == "pyodide" {
			return f, true
		}
	}
	return folder{}, false
}

// folder is a folder of files served under Prefix.
type folder struct {
	name  string // "pyodide", "micropython", "toml", "xterm"
	files fs.FS
	// pinned: a package pinned by pyworker, with its compressed variants on disk.
	pinned bool
	// version, if set, names the folder the runtime loads it from (url).
	version string
	// mirror, if set, has the lock-file packages of a Pyodide folder.
	mirror *mirror.Mirror
}

// url is the folder the runtime loads it from, relative to Prefix: named
// by its version when it has one, so that it may be cached for good.
func (f folder) url() string {
	if f.version == "" {
		return f.name + "/"
	}
	return f.name + "/v" + f.version + "/"
}

// assemble gathers what Handler serves for opts (see newHandler).
func assemble(opts Options, withSnapshot bool) (*parts, error) {
	p := &parts{}
	cfg := runtime.Config{AssetSizes: map[string]int64{}, ServiceWorker: opts.ServiceWorker}
	if strings.HasPrefix(opts.Pyodide, "http://") || strings.HasPrefix(opts.Pyodide, "https://") {
		cfg.IndexURL = strings.TrimSuffix(opts.Pyodide, "/") + "/"
		for _, f := range assets.Pyodide.Files() {
			if slices.Contains(runtime.StartAssets, f.Name) {
				cfg.AssetSizes[f.Name] = f.Size
			}
		}
	} else {
		pyodide, err := pyodideFolder(opts, withSnapshot)
		if err != nil {
			return nil, err
		}
		for _, name := range runtime.StartAssets {
			if info, err := fs.Stat(pyodide.files, name); err == nil {
				cfg.AssetSizes[name] = info.Size()
			}
		}
		if pyodide.pinned && withSnapshot {
			if p.snapshot, err = findSnapshot(opts.Snapshot); err != nil {
				return nil, err
			}
			if s := p.snapshot; s != nil {
				// Its URL changes with its content (the query), so browsers may keep it for good.
				cfg.Snapshot = &runtime.Snapshot{URL: "snapshot/" + url.PathEscape(filepath.Base(s.Path)) + "?" + s.SHA256[:16], SHA256: s.SHA256, BuildID: s.BuildID}
			}
		}
		if pyodide.mirror, err = pyodideMirror(pyodide, opts); err != nil {
			return nil, err
		}
		if pyodide.mirror != nil {
			pyodide.files = pyodide.mirror.FS()
		}
		cfg.IndexURL = pyodide.url()
		p.folders = append(p.folders, pyodide)
	}
	// MicroPython, the TOML parser and the terminal: the pinned copies
	// whatever opts.Pyodide says (ready at once if Prepare did it above).
	for _, pkg := range []*assets.Package{assets.MicroPython, assets.TOML, assets.XTerm} {
		dir, err := prepare(context.Background(), pkg, nil)
		if err != nil {
			return nil, err
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, fmt.Errorf("pyworker: the %s folder: %w", pkg.Stem, err)
		}
		f := folder{name: pkg.Stem, files: root.FS(), pinned: true, version: pkg.Version}
		p.folders = append(p.folders, f)
		switch pkg {
		case assets.MicroPython:
			cfg.MicroPythonURL = f.url()
		case assets.TOML:
			cfg.TOMLURL = f.url()
		case assets.XTerm:
			cfg.XTermURL = f.url()
		}
	}
	var err error
	if p.runtime, err = runtime.Build(cfg); err != nil {
		return nil, err
	}
	return p, nil
}

// pyodideFolder is the Pyodide folder opts names: the pinned copy (fetched
// and compressed first if need be) or a folder of the user's.
func pyodideFolder(opts Options, withSnapshot bool) (folder, error) {
	dir := opts.Pyodide
	if dir == "" {
		prepare := prepareAssets
		if withSnapshot {
			prepare = Prepare
		}
		var err error
		if dir, err = prepare(context.Background(), nil); err != nil {
			return folder{}, err
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return folder{}, fmt.Errorf("pyworker: the Pyodide folder: %w", err)
	}
	if _, err := root.Stat("pyodide.mjs"); err != nil {
		return folder{}, fmt.Errorf("pyworker: %s holds no pyodide.mjs: not a Pyodide folder", dir)
	}
	if opts.Pyodide != "" {
		return folder{name: "pyodide", files: root.FS()}, nil
	}
	return folder{name: "pyodide", files: root.FS(), pinned: true, version: assets.PyodideVersion}, nil
}

// pyodideMirror has the packages of the Pyodide folder f's lock file
// fetched on first use from opts.PackagesFrom, or else from the pinned
// version's CDN folder when f is the pinned copy; nil for a folder of the
// user's that it does not name.
func pyodideMirror(f folder, opts Options) (*mirror.Mirror, error) {
	if !f.pinned && opts.PackagesFrom == "" {
		return nil, nil
	}
	store := opts.PackageStore
	if store == "" {
		var err error
		if store, err = PackageStoreDir(); err != nil {
			return nil, err
		}
	}
	m, err := mirror.Open(f.files, mirror.Options{From: cmp.Or(opts.PackagesFrom, assets.CDNURL), Store: store, Log: os.Stderr})
	if err != nil {
		return nil, fmt.Errorf("pyworker: %w", err)
	}
	return m, nil
}

// findSnapshot is the snapshot that option (Options.Snapshot) names for the
// pinned Pyodide, if there is one.
func findSnapshot(option string) (*snapshot.Snapshot, error) {
	if option == "off" {
		return nil, nil
	}
	dir, err := assets.Pyodide.Dir()
	if err != nil {
		return nil, err
	}
	buildID, err := snapshot.BuildID(dir)
	if err != nil {
		return nil, err
	}
	if option != "" {
		s, err := snapshot.Open(option, buildID)
		if err != nil {
			return nil, fmt.Errorf("pyworker: the snapshot %s: %w", option, err)
		}
		return &s, nil
	}
	cache, err := assets.CacheRoot()
	if err != nil {
		return nil, err
	}
	if s, ok := snapshot.Find(cache, buildID); ok {
		return &s, nil
	}
	return nil, nil
}

// serveSnapshot serves s and nothing else: a file of the user's may have
// others beside it.
func serveSnapshot(s snapshot.Snapshot, compressed string) http.Handler {
	files := fileserver.New(os.DirFS(filepath.Dir(s.Path)), fileserver.Options{Immutable: true, CacheDir: compressed})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != filepath.Base(s.Path) {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}
