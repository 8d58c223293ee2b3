// Package bundle turns TypeScript sources held in an fs.FS into browser
// JavaScript with esbuild's Go API, in memory: no node, no files written.
package bundle

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Options says what to bundle.
type Options struct {
	// Entries maps an output name (e.g. "pyworker.js") to its entry file in the FS.
	Entries map[string]string
	// Define replaces global identifiers with JavaScript expressions (JSON values).
	Define map[string]string
}

// Build bundles each entry of opts into one ES module and returns them by output name.
// Imports of absolute paths ("/pyworker/pyworker.js"), URLs and Node's own
// modules ("node:test", for the runtime's unit tests) stay imports.
func Build(fsys fs.FS, opts Options) (map[string][]byte, error) {
	out := make(map[string][]byte, len(opts.Entries))
	for name, entry := range opts.Entries {
		result := api.Build(api.BuildOptions{
			EntryPoints: []string{entry},
			Bundle:      true,
			Format:      api.FormatESModule,
			Target:      api.ES2022,
			Platform:    api.PlatformBrowser,
			Define:      opts.Define,
			Write:       false,
			Outfile:     name,
			LogLevel:    api.LogLevelSilent,
			Plugins:     []api.Plugin{fromFS(fsys)},
		})
		if len(result.Errors) > 0 {
			msgs := api.FormatMessages(result.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
			return nil, fmt.Errorf("bundling %s: %s", entry, strings.Join(msgs, ""))
		}
		for _, f := range result.OutputFiles {
			if strings.HasSuffix(f.Path, ".js") {
				out[name] = f.Contents
			}
		}
	}
	return out, nil
}

// fromFS makes esbuild read every module from fsys instead of the disk.
func fromFS(fsys fs.FS) api.Plugin {
	return api.Plugin{Name: "fs", Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
			if strings.HasPrefix(args.Path, "/") || strings.Contains(args.Path, "://") || strings.HasPrefix(args.Path, "node:") {
				return api.OnResolveResult{Path: args.Path, External: true}, nil
			}
			p := path.Clean(args.Path)
			if args.Importer != "" {
				p = path.Join(path.Dir(args.Importer), args.Path)
			}
			for _, candidate := range []string{p, p + ".ts", p + "/index.ts"} {
				if info, err := fs.Stat(fsys, candidate); err == nil && !info.IsDir() {
					return api.OnResolveResult{Path: candidate, Namespace: "fs"}, nil
				}
			}
			return api.OnResolveResult{}, fmt.Errorf("cannot find %q (imported by %q)", args.Path, args.Importer)
		})
		b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: "fs"}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
			data, err := fs.ReadFile(fsys, args.Path)
			if err != nil {
				return api.OnLoadResult{}, err
			}
			contents := string(data)
			loader := api.LoaderTS
			switch path.Ext(args.Path) {
			case ".py", ".txt":
				loader = api.LoaderText
			case ".js":
				loader = api.LoaderJS
			case ".css":
				loader = api.LoaderCSS
			}
			return api.OnLoadResult{Contents: &contents, Loader: loader, ResolveDir: path.Dir(args.Path)}, nil
		})
	}}
}
