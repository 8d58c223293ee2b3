package assets

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// fetchCDN downloads each of files from base+name into the empty folder
// dir, checking every file's size and SHA-256 as it arrives.
func fetchCDN(ctx context.Context, dir, base string, files []File, p *printer) error {
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	var total int64
	for _, f := range files {
		total += f.Size
	}
	p.printf("fetching pyodide %s from %s (%d files, %s)…", PyodideVersion, base, len(files), mb(total))
	m := newMeter(p, "downloading", total)
	for _, f := range files {
		if err := fetchOne(ctx, base+f.Name, dir, f, m); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("pyodide assets: fetch interrupted: %w", ctx.Err())
			}
			return err
		}
	}
	return nil
}

func fetchOne(ctx context.Context, url, dir string, f File, m *meter) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("pyodide asset %s: %w", f.Name, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("pyodide asset %s: %w", f.Name, err)
	}
	defer resp.Body.Close()
	// Read at most one byte more than expected: enough to tell a wrong
	// size, never an unbounded body.
	body := io.LimitReader(resp.Body, f.Size+1)
	h := sha256.New()
	if resp.StatusCode != http.StatusOK {
		n, _ := io.Copy(h, body)
		return fmt.Errorf("pyodide asset %s: GET %s: %s: %w", f.Name, url, resp.Status, checkFile(f, n, h.Sum(nil)))
	}
	if err := writeFile(ctx, dir, f, body, m); err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	return nil
}
