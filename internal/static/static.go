// Package static writes a site as a folder any static host serves: each
// file with its brotli and gzip variants beside it, a `_headers` file for
// the hosts that read one (Netlify, Cloudflare Pages), and the pages wired
// to isolate themselves through a service worker on hosts that send no
// headers (GitHub Pages). It also finds the modules an app's Python imports.
// The same files always make the same folder, byte for byte.
package static

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pyworker/pyworker/internal/fileserver"
)

// Files are a site's files by their paths in it ("index.html",
// "pyworker/worker.js"), each read when it is written.
type Files map[string]func() ([]byte, error)

// Write writes files into the folder out, replacing it only once the new one
// is complete: each file, and beside each that compresses (see
// fileserver.Compressible) its best brotli (.br) and gzip (.gz) variants,
// taken from the disk cache compressed or made and kept there.
func Write(out string, files Files, compressed string, progress io.Writer) error {
	out = filepath.Clean(out)
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // gone once renamed
	var total int64
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if !fsValid(name) {
			return fmt.Errorf("static: %q is not a path inside the site", name)
		}
		data, err := files[name]()
		if err != nil {
			return fmt.Errorf("static: %s: %w", name, err)
		}
		target := filepath.Join(tmp, filepath.FromSlash(name))
		if err := writeFile(target, data); err != nil {
			return err
		}
		total += int64(len(data))
		if !fileserver.Compressible(name, int64(len(data))) {
			continue
		}
		for _, v := range []struct{ enc, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			variant, err := fileserver.BestVariant(compressed, data, v.enc)
			if err != nil {
				return fmt.Errorf("static: compressing %s: %w", name, err)
			}
			if variant != nil {
				if err := writeFile(target+v.ext, variant); err != nil {
					return err
				}
			}
		}
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	if progress != nil {
		fmt.Fprintf(progress, "wrote %d files (%.1f MB before compression) to %s\n", len(files), float64(total)/1e6, out)
	}
	return nil
}

func fsValid(name string) bool {
	return name != "" && !strings.HasPrefix(name, "/") && path.Clean(name) == name && !strings.HasPrefix(name, "../") && name != ".."
}

func writeFile(target string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	return os.WriteFile(target, data, 0o644)
}

// Headers is the `_headers` file of Netlify and Cloudflare Pages: the
// isolation headers on every response, and the folders whose files never
// change under their names (immutable) cached for good.
func Headers(immutable []string) []byte {
	var b strings.Builder
	b.WriteString("# Written by pyworker build: cross-origin isolation for shared memory, and caching.\n")
	b.WriteString("/*\n  Cross-Origin-Opener-Policy: same-origin\n  Cross-Origin-Embedder-Policy: require-corp\n  Cross-Origin-Resource-Policy: cross-origin\n")
	for _, folder := range immutable {
		fmt.Fprintf(&b, "/%s*\n  Cache-Control: public, max-age=31536000, immutable\n", folder)
	}
	return []byte(b.String())
}

// IsolateTag is the script tag that isolates a page at pagePath through the
// service worker at the site's root: the tag's paths are relative to the
// page, so the site works in a sub-folder of its host (a GitHub project page).
func IsolateTag(pagePath, isolateScript, serviceWorker string) string {
	up := strings.Repeat("../", strings.Count(pagePath, "/"))
	return fmt.Sprintf(`<script src="%s%s" data-service-worker="%s%s"></script>`, up, isolateScript, up, serviceWorker)
}

// WithTag puts tag first in the page's head (a page that names the script
// already is left as it is): before any other script runs.
func WithTag(page []byte, tag, script string) []byte {
	html := string(page)
	if strings.Contains(html, path.Base(script)) {
		return page
	}
	lower := strings.ToLower(html)
	at := 0
	if i := strings.Index(lower, "<head"); i >= 0 {
		if end := strings.Index(lower[i:], ">"); end >= 0 {
			at = i + end + 1
		}
	} else if i := strings.Index(lower, "<!doctype"); i >= 0 {
		if end := strings.Index(lower[i:], ">"); end >= 0 {
			at = i + end + 1
		}
	}
	return []byte(html[:at] + tag + html[at:])
}
