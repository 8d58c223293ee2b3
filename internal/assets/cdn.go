package assets

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// fetchCDN downloads each manifest file from base+name into the empty
// folder dir, checking every file's size and SHA-256 as it arrives.
func (pkg *Package) fetchCDN(ctx context.Context, dir, base string, p *printer) error {
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	var total int64
	for _, f := range pkg.files {
		total += f.Size
	}
	p.printf("fetching %s from %s (%d files, %s)…", pkg.label(), base, len(pkg.files), mb(total))
	m := newMeter(p, "downloading", total)
	for _, f := range pkg.files {
		if err := fetchOne(ctx, base+f.Name, dir, f, m); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("fetch interrupted: %w", ctx.Err())
			}
			return err
		}
	}
	return nil
}

func fetchOne(ctx context.Context, url, dir string, f File, m *meter) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	defer resp.Body.Close()
	// Read at most one byte more than expected: enough to tell a wrong
	// size, never an unbounded body.
	body := io.LimitReader(resp.Body, f.Size+1)
	h := sha256.New()
	if resp.StatusCode != http.StatusOK {
		n, _ := io.Copy(h, body)
		return fmt.Errorf("GET %s: %s: %w", url, resp.Status, checkFile(f, n, h.Sum(nil)))
	}
	if err := writeFile(ctx, dir, f, body, m); err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	return nil
}
