package fileserver

import (
	"mime"
	"path"
	"strings"
)

// contentTypes fixes the types that matter here rather than trusting the
// system's mime.types (which, for one, calls .ts an MPEG transport stream).
var contentTypes = map[string]string{
	".html":     "text/html; charset=utf-8",
	".htm":      "text/html; charset=utf-8",
	".css":      "text/css; charset=utf-8",
	".js":       "text/javascript; charset=utf-8",
	".mjs":      "text/javascript; charset=utf-8",
	".cjs":      "text/javascript; charset=utf-8",
	".json":     "application/json",
	".map":      "application/json", // source maps
	".wasm":     "application/wasm",
	".py":       "text/x-python; charset=utf-8",
	".ts":       "text/plain; charset=utf-8", // TypeScript (.d.ts) has no registered type; plain text is never executed
	".mts":      "text/plain; charset=utf-8",
	".cts":      "text/plain; charset=utf-8",
	".txt":      "text/plain; charset=utf-8",
	".md":       "text/markdown; charset=utf-8",
	".xml":      "application/xml",
	".svg":      "image/svg+xml",
	".png":      "image/png",
	".jpg":      "image/jpeg",
	".jpeg":     "image/jpeg",
	".gif":      "image/gif",
	".webp":     "image/webp",
	".avif":     "image/avif",
	".ico":      "image/x-icon",
	".woff":     "font/woff",
	".woff2":    "font/woff2",
	".ttf":      "font/ttf",
	".otf":      "font/otf",
	".zip":      "application/zip",
	".whl":      "application/zip", // Python wheels are zip files
	".tar":      "application/x-tar",
	".gz":       "application/gzip",
	".tgz":      "application/gzip",
	".bz2":      "application/x-bzip2",
	".xz":       "application/x-xz",
	".zst":      "application/zstd",
	".pdf":      "application/pdf",
	".snapshot": "application/octet-stream", // Pyodide memory snapshots (see internal/snapshot)
}

// contentType gives the Content-Type for a file name, or "" when only
// sniffing the content can tell.
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	return mime.TypeByExtension(ext)
}

// compressible reports whether content of this type shrinks under brotli or
// gzip. Images (other than SVG) and fonts other than TTF/OTF are already
// compressed; zip archives shrink a little (their headers and directory:
// 2% for Pyodide's standard library), which a cold start still saves.
// Arbitrary bytes may or may not (a memory snapshot shrinks to a seventh):
// they are tried, and a variant that is not smaller is never served.
func compressible(ctype string) bool {
	mt, _, _ := strings.Cut(ctype, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	switch mt {
	case "application/javascript", "application/json", "application/wasm", "application/zip",
		"application/xml", "image/svg+xml", "application/x-tar",
		"font/ttf", "font/otf", "image/x-icon", "image/bmp", "application/octet-stream":
		return true
	}
	return strings.HasPrefix(mt, "text/") ||
		strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "+xml")
}
