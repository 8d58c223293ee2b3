// How a Package's files are fetched: by npm or from its CDN folder, each
// file checked against the manifest, into a temporary folder published
// whole (see the package doc).

package assets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// Source chooses how Fetch gets the files.
type Source int

const (
	// SourceAuto uses npm when it is on PATH and falls back to the CDN
	// when npm is missing or fails.
	SourceAuto Source = iota
	// SourceNPM uses npm only.
	SourceNPM
	// SourceCDN downloads each file from the CDN only.
	SourceCDN
)

func (s Source) String() string {
	switch s {
	case SourceAuto:
		return "auto"
	case SourceNPM:
		return "npm"
	case SourceCDN:
		return "cdn"
	}
	return "Source(" + strconv.Itoa(int(s)) + ")"
}

// FetchOptions tunes Fetch. The zero value is the normal setting.
type FetchOptions struct {
	// Progress receives short human-readable progress lines; nil is silent.
	Progress io.Writer
	// CDN is the base URL for the per-file CDN path; "" means the
	// package's own CDN folder (CDNURL for Pyodide).
	CDN string
	// Source chooses npm or the CDN; the zero value is SourceAuto.
	Source Source
}

// Fetch makes the pinned copy available in Dir and returns Dir. When the
// copy is already complete it returns at once without touching the
// network. A failed or cancelled fetch leaves no folder that looks
// complete and removes its temporary folder. Its errors start with the
// package and version ("micropython 1.27.0 assets: ...").
func (pkg *Package) Fetch(ctx context.Context, opts FetchOptions) (string, error) {
	dir, err := pkg.Dir()
	if err != nil {
		return "", err
	}
	if pkg.readyAt(dir) {
		return dir, nil
	}
	if err := pkg.fetch(ctx, dir, opts); err != nil {
		return "", fmt.Errorf("%s assets: %w", pkg.label(), err)
	}
	return dir, nil
}

// fetch is Fetch once it knows that dir is not ready.
func (pkg *Package) fetch(ctx context.Context, dir string, opts FetchOptions) error {
	p := &printer{w: opts.Progress}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	removeStaleTemps(parent)

	tmp, err := os.MkdirTemp(parent, pkg.tmpPrefix())
	if err != nil {
		return err
	}
	// Removing tmp is a no-op once it has been renamed into place.
	defer os.RemoveAll(tmp)
	// MkdirTemp makes the folder 0700; the published folder is a normal one.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}

	if err := pkg.fill(ctx, tmp, opts, p); err != nil {
		return err
	}
	if err := verifyDir(tmp, pkg.files); err != nil {
		return err
	}
	if err := writeSynced(filepath.Join(tmp, MarkerName), []byte(pkg.markerText())); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := pkg.install(tmp, dir); err != nil {
		return err
	}
	p.printf("verified %d files of %s, ready in %s", len(pkg.files), pkg.label(), dir)
	return nil
}

// fill puts the manifest files into the empty folder tmp.
func (pkg *Package) fill(ctx context.Context, tmp string, opts FetchOptions, p *printer) error {
	cdn := opts.CDN
	if cdn == "" {
		cdn = pkg.cdn
	}
	fromCDN := func() error {
		if cdn == "" {
			return fmt.Errorf("no CDN folder is known for %s: it needs npm", pkg.Name)
		}
		return pkg.fetchCDN(ctx, tmp, cdn, p)
	}
	switch opts.Source {
	case SourceCDN:
		return fromCDN()
	case SourceNPM:
		npm, err := exec.LookPath("npm")
		if err != nil {
			return fmt.Errorf("npm not found on PATH: %w", err)
		}
		return pkg.fetchNPM(ctx, npm, tmp, p)
	case SourceAuto:
		npm, err := exec.LookPath("npm")
		if err != nil {
			if cdn == "" {
				return fmt.Errorf("npm not found on PATH, and no CDN folder is known for %s: %w", pkg.Name, err)
			}
			p.printf("npm not found on PATH, using the CDN")
			return fromCDN()
		}
		npmErr := pkg.fetchNPM(ctx, npm, tmp, p)
		if npmErr == nil || ctx.Err() != nil || cdn == "" {
			return npmErr
		}
		p.printf("npm failed (%v), falling back to the CDN", npmErr)
		if err := emptyDir(tmp); err != nil {
			return err
		}
		if err := fromCDN(); err != nil {
			return fmt.Errorf("%w (after npm failed: %v)", err, npmErr)
		}
		return nil
	}
	return fmt.Errorf("unknown source %v", opts.Source)
}

// verifyDir checks that dir holds each manifest file with the right size
// and SHA-256, reading them back from disk.
func verifyDir(dir string, files []File) error {
	for _, f := range files {
		fh, err := os.Open(filepath.Join(dir, f.Name))
		if err != nil {
			return err
		}
		h := sha256.New()
		n, err := io.Copy(h, fh)
		fh.Close()
		if err != nil {
			return fmt.Errorf("reading %s: %w", f.Name, err)
		}
		if err := checkFile(f, n, h.Sum(nil)); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes manifest file f into dir from r, checking its size and
// sha256 as it goes; at most one byte past the expected size is read.
func writeFile(ctx context.Context, dir string, f File, r io.Reader, m *meter) error {
	name := filepath.Join(dir, filepath.FromSlash(f.Name))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h, meterWriter{ctx, m}), io.LimitReader(r, f.Size+1))
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	if err := checkFile(f, n, h.Sum(nil)); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return out.Close()
}

// checkFile compares what was received for f with the manifest.
func checkFile(f File, size int64, sum []byte) error {
	got := hex.EncodeToString(sum)
	if size != f.Size || got != f.SHA256 {
		return fmt.Errorf("%s does not match the pinned manifest: expected sha256 %s (%d bytes), got sha256 %s (%d bytes)",
			f.Name, f.SHA256, f.Size, got, size)
	}
	return nil
}
