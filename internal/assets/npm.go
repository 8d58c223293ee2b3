package assets

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// fetchNPM runs `npm pack` for the pinned version into a scratch folder
// inside dir, then verifies and extracts the tarball into dir. The user's
// npm configuration decides which registry npm asks.
func (pkg *Package) fetchNPM(ctx context.Context, npm, dir string, p *printer) error {
	p.printf("fetching %s via npm pack…", pkg.label())
	packDir := filepath.Join(dir, ".npm-pack")
	if err := os.Mkdir(packDir, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(packDir)
	tgz, err := npmPack(ctx, npm, pkg.Name+"@"+pkg.Version, packDir)
	if err != nil {
		return err
	}
	return extractPackage(ctx, tgz, dir, pkg.integrity, pkg.files, p)
}

// npmPack runs `npm pack spec` into packDir and returns the tarball's path.
func npmPack(ctx context.Context, npm, spec, packDir string) (string, error) {
	cmd := exec.CommandContext(ctx, npm, "pack", spec, "--json", "--pack-destination", packDir)
	cmd.Dir = packDir // keep npm away from whatever project the caller sits in
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("npm pack interrupted: %w", ctx.Err())
		}
		return "", fmt.Errorf("npm pack %s: %v%s", spec, err, tail(stderr.String()))
	}
	return packedFile(stdout.Bytes(), packDir)
}

// FetchNPM puts the files under package/<prefix> of the npm package spec
// ("name@version"), checked against its integrity ("sha512-<base64>"), into
// dest (made if missing), with the user's npm. The benchmark uses it for
// the systems it compares pyworker with; entries that could escape dest fail
// the whole package.
func FetchNPM(ctx context.Context, spec, integrity, prefix, dest string) error {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("fetching %s needs npm: %w", spec, err)
	}
	packDir, err := os.MkdirTemp("", "pyworker-npm-pack-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(packDir)
	tgz, err := npmPack(ctx, npm, spec, packDir)
	if err != nil {
		return err
	}
	if err := extractUnder(tgz, integrity, prefix, dest); err != nil {
		return fmt.Errorf("%s: %w", spec, err)
	}
	return nil
}

// extractUnder is FetchNPM once the tarball is packed.
func extractUnder(tgz, integrity, prefix, dest string) error {
	if err := checkIntegrity(tgz, integrity); err != nil {
		return err
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(dest)
	if err != nil {
		return err
	}
	defer root.Close()
	fh, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		return fmt.Errorf("%s: %w", tgz, err)
	}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", tgz, err)
		}
		rel, err := entryName(hdr)
		if err != nil {
			return err
		}
		name, ok := strings.CutPrefix(rel, prefix)
		if rel == "" || !ok {
			continue
		}
		if err := root.MkdirAll(path.Dir(name), 0o755); err != nil {
			return err
		}
		out, err := root.Create(name)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, tr)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %s: %w", tgz, name, err)
		}
	}
}

// packedFile finds the tarball `npm pack --json` wrote into packDir.
func packedFile(out []byte, packDir string) (string, error) {
	var packed []struct {
		Filename string `json:"filename"`
	}
	if i := bytes.IndexByte(out, '['); i >= 0 && json.Unmarshal(out[i:], &packed) == nil &&
		len(packed) == 1 && packed[0].Filename != "" {
		name := filepath.Join(packDir, filepath.Base(filepath.FromSlash(packed[0].Filename)))
		if _, err := os.Stat(name); err == nil {
			return name, nil
		}
	}
	// Older or unusual npm output: take the only tarball in packDir.
	found, _ := filepath.Glob(filepath.Join(packDir, "*.tgz"))
	if len(found) != 1 {
		return "", fmt.Errorf("npm pack wrote %d tarballs, want 1 (output: %s)", len(found), tail(string(out)))
	}
	return found[0], nil
}

// tail returns the last lines of command output, for error messages.
func tail(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return ": " + strings.Join(lines, " | ")
}

// extractPackage checks that the npm tarball at tgz has the given
// integrity ("sha512-<base64>"), then writes the entries package/<name>
// for each of files into dest, checking size and SHA-256. Entries that
// could escape dest (absolute names, "..", links, devices) fail the whole
// archive; other entries not in files are not extracted.
func extractPackage(ctx context.Context, tgz, dest, integrity string, files []File, p *printer) error {
	if err := checkIntegrity(tgz, integrity); err != nil {
		return err
	}
	p.printf("npm tarball matches the pinned sha512")

	fh, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer fh.Close()
	zr, err := gzip.NewReader(fh)
	if err != nil {
		return fmt.Errorf("npm tarball: %w", err)
	}
	tr := tar.NewReader(zr)

	want := make(map[string]File, len(files))
	var total int64
	for _, f := range files {
		want[f.Name] = f
		total += f.Size
	}
	done := make(map[string]bool, len(files))
	m := newMeter(p, "extracting", total)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("npm tarball: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("extraction interrupted: %w", err)
		}
		rel, err := entryName(hdr)
		if err != nil {
			return err
		}
		if rel == "" {
			continue // a folder or a pax global header: nothing to write
		}
		f, ok := want[rel]
		if !ok {
			continue // not needed at run time (see manifest)
		}
		if done[rel] {
			return fmt.Errorf("npm tarball holds %s twice", hdr.Name)
		}
		done[rel] = true
		if err := extractFile(ctx, tr, dest, f, hdr.Size, m); err != nil {
			return err
		}
	}
	for _, f := range files {
		if !done[f.Name] {
			return fmt.Errorf("npm tarball lacks package/%s", f.Name)
		}
	}
	return nil
}

// entryName vets one tar entry and returns its name relative to package/,
// or "" for entries that carry nothing to write.
func entryName(hdr *tar.Header) (string, error) {
	name := hdr.Name
	refuse := func(why string) (string, error) {
		return "", fmt.Errorf("npm tarball entry %q refused: %s", name, why)
	}
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) ||
		filepath.IsAbs(name) || filepath.VolumeName(name) != "" || strings.Contains(name, ":") {
		return refuse("absolute name")
	}
	for _, el := range strings.Split(name, "/") {
		if el == ".." {
			return refuse("escapes the package folder")
		}
	}
	switch hdr.Typeflag {
	case tar.TypeReg: // the reader already turns the old TypeRegA into TypeReg
	case tar.TypeDir, tar.TypeXGlobalHeader:
		return "", nil
	case tar.TypeSymlink, tar.TypeLink:
		return refuse("links are not allowed")
	default:
		return refuse(fmt.Sprintf("entry type %q is not allowed", hdr.Typeflag))
	}
	rel, ok := strings.CutPrefix(path.Clean(name), "package/")
	if !ok || rel == "" || rel == "." {
		return refuse("outside package/")
	}
	return rel, nil
}

func extractFile(ctx context.Context, r io.Reader, dest string, f File, size int64, m *meter) error {
	if size != f.Size {
		return fmt.Errorf("%s does not match the pinned manifest: expected %d bytes, the npm tarball has %d", f.Name, f.Size, size)
	}
	err := writeFile(ctx, dest, f, r, m)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("extraction interrupted: %w", ctx.Err())
	}
	return err
}

// checkIntegrity compares the file's sha512 with an npm integrity string.
func checkIntegrity(name, integrity string) error {
	b64, ok := strings.CutPrefix(integrity, "sha512-")
	if !ok {
		return errors.New("integrity must be sha512-<base64>: " + integrity)
	}
	fh, err := os.Open(name)
	if err != nil {
		return err
	}
	defer fh.Close()
	h := sha512.New()
	if _, err := io.Copy(h, fh); err != nil {
		return fmt.Errorf("reading the npm tarball: %w", err)
	}
	got := base64.StdEncoding.EncodeToString(h.Sum(nil))
	if got != b64 {
		return fmt.Errorf("npm tarball %s does not match the pinned integrity: expected sha512-%s, got sha512-%s",
			filepath.Base(name), b64, got)
	}
	return nil
}
