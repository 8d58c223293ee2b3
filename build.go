package pyworker

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/pyworker/pyworker/internal/assets"
	"github.com/pyworker/pyworker/internal/dotfiles"
	"github.com/pyworker/pyworker/internal/mirror"
	"github.com/pyworker/pyworker/internal/static"
)

// BuildOptions configures Build.
type BuildOptions struct {
	// App is the site's own files, at its root.
	App fs.FS
	// Packages are lock-file packages to include beyond those the app's
	// Python imports (see Build), by name or module; "all" for every one.
	Packages []string
	// PackagesFrom, PackageStore and Snapshot are as in Options.
	PackagesFrom, PackageStore, Snapshot string
	// AllowDotfiles builds in the app's dotfiles and dot-folders (.env,
	// .git/); by default they are left out, and Build says which, but
	// .well-known/ (see Options.AllowDotfiles).
	AllowDotfiles bool
}

// RootServiceWorker is the copy of sw.js Build puts at the site's root, for
// hosts that send no headers (see isolate.ts).
const RootServiceWorker = "pyworker-sw.js"

// Build writes into the folder out a static copy of the app with what
// Handler would serve it: the runtime, the pinned Pyodide, MicroPython and
// TOML parser in the folders of their versions, the memory snapshot, and the
// lock-file packages the app's Python imports (its .py files and Python
// tags, read as written) with all they depend on, fetched as the server
// would. Beside each file that compresses are its .br and .gz; `_headers`
// gives Netlify and Cloudflare Pages the isolation headers and the caching;
// each page gets isolate.js first, with the service worker at the root, so
// that it isolates itself where the host sends no headers (GitHub Pages).
// The same input makes the same folder, byte for byte. out is replaced only
// once the new folder is complete.
func Build(ctx context.Context, out string, opts BuildOptions, progress io.Writer) error {
	p, err := assemble(Options{ServiceWorker: true, Snapshot: opts.Snapshot, PackagesFrom: opts.PackagesFrom, PackageStore: opts.PackageStore}, true)
	if err != nil {
		return err
	}
	if !opts.AllowDotfiles {
		if opts.App, err = withoutDotfiles(opts.App, progress); err != nil {
			return err
		}
	}
	files := static.Files{}
	if err := addApp(files, opts.App); err != nil {
		return err
	}
	for name, data := range p.runtime {
		files["pyworker/"+name] = bytesOf(data)
	}
	files[RootServiceWorker] = bytesOf(p.runtime["sw.js"])
	var immutable []string
	for _, f := range p.folders {
		immutable = append(immutable, "pyworker/"+f.name+"/")
		if err := addFolder(files, "pyworker/"+f.url(), f.files); err != nil {
			return err
		}
	}
	if s := p.snapshot; s != nil {
		immutable = append(immutable, "pyworker/snapshot/")
		files["pyworker/snapshot/"+filepath.Base(s.Path)] = func() ([]byte, error) { return os.ReadFile(s.Path) }
	}
	if pyodide, ok := p.pyodide(); ok {
		if err := addPackages(ctx, files, pyodide, opts, progress); err != nil {
			return err
		}
	}
	files["_headers"] = bytesOf(static.Headers(immutable))
	compressed, err := assets.CompressedDir()
	if err != nil {
		return err
	}
	return static.Write(out, files, compressed, progress)
}

func bytesOf(data []byte) func() ([]byte, error) {
	return func() ([]byte, error) { return data, nil }
}

// withoutDotfiles is app without its dotfiles and dot-folders, and says
// to progress which it leaves out.
func withoutDotfiles(app fs.FS, progress io.Writer) (fs.FS, error) {
	left, err := dotfiles.Left(app)
	if err != nil {
		return nil, err
	}
	if len(left) > 0 && progress != nil {
		shown := left
		if len(shown) > 5 {
			shown = append(shown[:5:5], "...")
		}
		fmt.Fprintf(progress, "dotfiles and dot-folders left out (%d): %s; --dotfiles allow builds them in\n", len(left), strings.Join(shown, ", "))
	}
	return dotfiles.Hide(app), nil
}

// addApp adds the app's files, each page with isolate.js first.
func addApp(files static.Files, app fs.FS) error {
	return fs.WalkDir(app, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(name, "pyworker/") || name == RootServiceWorker || name == "_headers" {
			return fmt.Errorf("the app's %s would be overwritten by pyworker's: rename it", name)
		}
		page := strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".htm")
		files[name] = func() ([]byte, error) {
			data, err := fs.ReadFile(app, name)
			if err != nil || !page {
				return data, err
			}
			return static.WithTag(data, static.IsolateTag(name, "pyworker/isolate.js", RootServiceWorker), "isolate.js"), nil
		}
		return nil
	})
}

// addFolder adds the files of fsys under prefix.
func addFolder(files static.Files, prefix string, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Base(name) == assets.MarkerName {
			return err
		}
		files[prefix+name] = func() ([]byte, error) { return fs.ReadFile(fsys, name) }
		return nil
	})
}

// addPackages adds to the Pyodide folder pyodide the lock-file packages the
// app imports and opts names, with all they depend on, fetched if need be.
func addPackages(ctx context.Context, files static.Files, pyodide folder, opts BuildOptions, progress io.Writer) error {
	if pyodide.mirror == nil {
		return nil
	}
	imports, err := static.Imports(opts.App)
	if err != nil {
		return err
	}
	pkgs, err := packagesFor(pyodide.mirror.Lock(), imports, opts.Packages)
	if err != nil {
		return err
	}
	for _, pkg := range pkgs {
		if err := pyodide.mirror.Get(ctx, pkg); err != nil {
			return err
		}
		if progress != nil {
			fmt.Fprintf(progress, "package %s %s\n", pkg.Name, pkg.Version)
		}
		files["pyworker/"+pyodide.url()+pkg.FileName] = func() ([]byte, error) { return fs.ReadFile(pyodide.files, pkg.FileName) }
	}
	return nil
}

// packagesFor are the lock-file packages of the modules imported (those the
// lock file provides; the rest are the standard library's or the app's
// own) and of the names asked for, with all they depend on.
func packagesFor(lock *mirror.Lock, imported, asked []string) ([]mirror.Package, error) {
	names := append([]string(nil), asked...)
	for _, module := range imported {
		if name, ok := lock.Provider(module); ok {
			names = append(names, name)
		}
	}
	return lock.Closure(names)
}
