package bench

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
)

// limitFiles are the interpreter files a cold start downloads. The brotli
// size of the lot is the limit for the bytes a cold start may cost.
var limitFiles = []string{"pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs", "python_stdlib.zip", "pyodide-lock.json"}

// limitQuality is the brotli quality of the limit: the file server's, so the
// limit is what the server could send if it compressed every file.
const limitQuality = 6

// brotliSizes returns the brotli size of each of limitFiles in dir (the
// Pyodide folder). A size is read from the file server's cache of compressed
// variants beside dir when it is there, and computed otherwise.
func brotliSizes(dir string) (map[string]int64, error) {
	cache := filepath.Join(filepath.Dir(dir), "compressed")
	sizes := make(map[string]int64, len(limitFiles))
	for _, name := range limitFiles {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("the cold-bytes limit: %w", err)
		}
		if n := cachedSize(cache, data); n > 0 {
			sizes[name] = n
			continue
		}
		n, err := brotliSize(data, limitQuality)
		if err != nil {
			return nil, fmt.Errorf("the cold-bytes limit: compressing %s: %w", name, err)
		}
		sizes[name] = n
	}
	return sizes, nil
}

// cachedSize returns the size of the brotli variant of data in the file
// server's disk cache (named by the first 16 bytes of the content's SHA-256,
// in hex, plus ".br"), or 0 when there is none. An empty entry records that
// brotli did not help; that also counts as none.
func cachedSize(cache string, data []byte) int64 {
	sum := sha256.Sum256(data)
	info, err := os.Stat(filepath.Join(cache, hex.EncodeToString(sum[:16])+".br"))
	if err != nil || !info.Mode().IsRegular() {
		return 0
	}
	return info.Size()
}

// brotliSize returns the length of data compressed with brotli at quality.
func brotliSize(data []byte, quality int) (int64, error) {
	var n countWriter
	w := brotli.NewWriterLevel(&n, quality)
	if _, err := w.Write(data); err != nil {
		return 0, err
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	return int64(n), nil
}

// countWriter counts what is written to it.
type countWriter int64

func (c *countWriter) Write(b []byte) (int, error) {
	*c += countWriter(len(b))
	return len(b), nil
}
