package assets

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entry is one member of a crafted tarball.
type entry struct {
	name     string
	body     string
	typeflag byte // 0 = regular file
	link     string
}

// craftTarball writes a gzipped tarball of entries into dir and returns its
// path and its npm-style integrity string.
func craftTarball(t *testing.T, dir string, entries []entry) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Mode: 0o644, Typeflag: e.typeflag, Linkname: e.link}
		switch e.typeflag {
		case 0:
			hdr.Typeflag = tar.TypeReg
			hdr.Size = int64(len(e.body))
		case tar.TypeDir:
			hdr.Mode = 0o755
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag == tar.TypeReg {
			tw.Write([]byte(e.body))
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	name := filepath.Join(dir, "crafted.tgz")
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha512.Sum512(buf.Bytes())
	return name, "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

func fileOf(name, body string) File {
	s := sha256.Sum256([]byte(body))
	return File{Name: name, Size: int64(len(body)), SHA256: hex.EncodeToString(s[:])}
}

func TestExtractRefusesEscapes(t *testing.T) {
	good := entry{name: "package/pyodide.mjs", body: "export {}\n"}
	small := []File{fileOf("pyodide.mjs", good.body)}
	outside := t.TempDir() // where an escaping entry would land
	cases := []struct {
		name  string
		evil  entry
		where string // a path that must not exist afterwards
	}{
		{"dot-dot inside package", entry{name: "package/../evil", body: "x"}, ""},
		{"dot-dot at the top", entry{name: "../evil", body: "x"}, ""},
		{"deep dot-dot", entry{name: "package/a/../../../evil", body: "x"}, ""},
		{"absolute", entry{name: filepath.ToSlash(filepath.Join(outside, "evil-abs")), body: "x"}, filepath.Join(outside, "evil-abs")},
		{"symlink", entry{name: "package/pyodide.js", typeflag: tar.TypeSymlink, link: filepath.Join(outside, "target")}, ""},
		{"symlink named in manifest", entry{name: "package/pyodide.mjs", typeflag: tar.TypeSymlink, link: "/etc/passwd"}, ""},
		{"hardlink", entry{name: "package/pyodide.js", typeflag: tar.TypeLink, link: "/etc/passwd"}, ""},
		{"device", entry{name: "package/dev", typeflag: tar.TypeChar}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			work := t.TempDir()
			dest := filepath.Join(work, "dest", "inner")
			os.MkdirAll(dest, 0o755)
			// The bad entry comes first so nothing is written before it is refused.
			tgz, integrity := craftTarball(t, work, []entry{c.evil, good})
			err := extractPackage(context.Background(), tgz, dest, integrity, small, nil)
			if err == nil || !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), c.evil.name) {
				t.Fatalf("extractPackage = %v, want a refusal naming %q", err, c.evil.name)
			}
			for _, p := range []string{filepath.Join(work, "evil"), filepath.Join(work, "dest", "evil"), filepath.Join(dest, "evil"), c.where} {
				if p == "" {
					continue
				}
				if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("%s was written", p)
				}
			}
			if entries, _ := os.ReadDir(dest); len(entries) != 0 {
				t.Fatalf("dest holds %d entries after a refusal", len(entries))
			}
		})
	}
}

func TestExtractChecksContent(t *testing.T) {
	a, b := "console.log(1)\n", "{}\n"
	small := []File{fileOf("pyodide.mjs", a), fileOf("package.json", b)}
	cases := []struct {
		name    string
		entries []entry
		want    string // in the error; "" = success
	}{
		{"ok, extras skipped", []entry{
			{name: "package/", typeflag: tar.TypeDir},
			{name: "package/README.md", body: "readme"},
			{name: "package/pyodide.mjs", body: a},
			{name: "package/pyodide.mjs.map", body: "{}"},
			{name: "package/package.json", body: b},
		}, ""},
		{"missing file", []entry{{name: "package/pyodide.mjs", body: a}}, "lacks package/package.json"},
		{"wrong bytes", []entry{{name: "package/pyodide.mjs", body: strings.ToUpper(a)}, {name: "package/package.json", body: b}}, "expected sha256 " + small[0].SHA256},
		{"wrong size", []entry{{name: "package/pyodide.mjs", body: a + "x"}, {name: "package/package.json", body: b}}, "expected 15 bytes"},
		{"twice", []entry{{name: "package/pyodide.mjs", body: a}, {name: "package/pyodide.mjs", body: a}}, "twice"},
		{"outside package/", []entry{{name: "other/pyodide.mjs", body: a}}, "outside package/"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			work := t.TempDir()
			dest := filepath.Join(work, "dest")
			os.Mkdir(dest, 0o755)
			tgz, integrity := craftTarball(t, work, c.entries)
			err := extractPackage(context.Background(), tgz, dest, integrity, small, nil)
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if err := verifyDir(dest, small); err != nil {
					t.Fatal(err)
				}
				if entries, _ := os.ReadDir(dest); len(entries) != len(small) {
					t.Fatalf("dest holds %d entries, want %d (extras must be skipped)", len(entries), len(small))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("extractPackage = %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestExtractRefusesIntegrityMismatch(t *testing.T) {
	work := t.TempDir()
	dest := filepath.Join(work, "dest")
	os.Mkdir(dest, 0o755)
	body := "export {}\n"
	tgz, integrity := craftTarball(t, work, []entry{{name: "package/pyodide.mjs", body: body}})
	// The pinned integrity (the real package) does not match this tarball.
	err := extractPackage(context.Background(), tgz, dest, Pyodide.integrity, []File{fileOf("pyodide.mjs", body)}, nil)
	if err == nil || !strings.Contains(err.Error(), "does not match the pinned integrity") ||
		!strings.Contains(err.Error(), "expected "+Pyodide.integrity) || !strings.Contains(err.Error(), "got "+integrity) {
		t.Fatalf("extractPackage = %v, want an integrity refusal with both hashes", err)
	}
	if entries, _ := os.ReadDir(dest); len(entries) != 0 {
		t.Fatalf("dest holds %d entries after an integrity refusal", len(entries))
	}
	if err := extractPackage(context.Background(), tgz, dest, "sha1-abc", nil, nil); err == nil {
		t.Fatal("a non-sha512 integrity was accepted")
	}
}

// TestExtractRealPackage runs the npm path's extraction on a tarball laid
// out like the npm package, built from the real files plus the entries the
// manifest leaves out.
func TestExtractRealPackage(t *testing.T) {
	files := sourceFiles(t, Pyodide)
	entries := []entry{{name: "package/", typeflag: tar.TypeDir}}
	for _, extra := range []string{"README.md", "console.html", "pyodide.js.map"} {
		entries = append(entries, entry{name: "package/" + extra, body: "not needed"})
	}
	for _, f := range Pyodide.files {
		entries = append(entries, entry{name: "package/" + f.Name, body: string(files[f.Name])})
	}
	work := t.TempDir()
	dest := filepath.Join(work, "dest")
	os.Mkdir(dest, 0o755)
	tgz, integrity := craftTarball(t, work, entries)
	var progress bytes.Buffer
	if err := extractPackage(context.Background(), tgz, dest, integrity, Pyodide.files, &printer{w: &progress}); err != nil {
		t.Fatal(err)
	}
	if err := verifyDir(dest, Pyodide.files); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadDir(dest); len(got) != len(Pyodide.files) {
		t.Fatalf("dest holds %d entries, want %d", len(got), len(Pyodide.files))
	}
	out := progress.String()
	if !strings.Contains(out, "extracting 50%") || !strings.Contains(out, "extracting 100% (13.6 MB of 13.6 MB)") {
		t.Fatalf("progress:\n%s", out)
	}

	// Cancelled before it starts: nothing is extracted.
	dest2 := filepath.Join(work, "dest2")
	os.Mkdir(dest2, 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := extractPackage(ctx, tgz, dest2, integrity, Pyodide.files, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled extractPackage = %v", err)
	}
}

func TestPackedFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pyodide-314.0.7.tgz"), nil, 0o644)
	out := "npm warn something\n[\n  {\n    \"id\": \"pyodide@314.0.7\",\n    \"filename\": \"pyodide-314.0.7.tgz\"\n  }\n]\n"
	if got, err := packedFile([]byte(out), dir); err != nil || got != filepath.Join(dir, "pyodide-314.0.7.tgz") {
		t.Fatalf("packedFile = %q, %v", got, err)
	}
	if got, err := packedFile([]byte("garbage"), dir); err != nil || filepath.Base(got) != "pyodide-314.0.7.tgz" {
		t.Fatalf("packedFile fallback = %q, %v", got, err)
	}
	if _, err := packedFile(nil, t.TempDir()); err == nil {
		t.Fatal("packedFile found a tarball in an empty folder")
	}
}

// FetchNPM's extraction: the files under the prefix, nothing else, and an
// entry that could escape the folder fails the package.
func TestExtractUnder(t *testing.T) {
	dir := t.TempDir()
	tgz, integrity := craftTarball(t, dir, []entry{
		{name: "package/package.json", body: "{}"},
		{name: "package/dist/core.js", body: "export {}"},
		{name: "package/dist/chunks/a.js", body: "a"},
	})
	dest := filepath.Join(dir, "out")
	if err := extractUnder(tgz, integrity, "dist/", dest); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"core.js": "export {}", "chunks/a.js": "a"} {
		if b, err := os.ReadFile(filepath.Join(dest, name)); err != nil || string(b) != want {
			t.Errorf("%s: %q, %v", name, b, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "package.json")); err == nil {
		t.Error("a file outside the prefix was extracted")
	}
	if err := extractUnder(tgz, "sha512-AAAA", "dist/", filepath.Join(dir, "bad")); err == nil {
		t.Error("a tarball with the wrong integrity was extracted")
	}

	evil, evilIntegrity := craftTarball(t, t.TempDir(), []entry{
		{name: "package/dist/ok.js", body: "ok"},
		{name: "package/dist/../../../escaped.js", body: "x"},
	})
	err := extractUnder(evil, evilIntegrity, "dist/", filepath.Join(dir, "evil"))
	if err == nil || !strings.Contains(err.Error(), "escapes the package folder") {
		t.Errorf("an escaping entry: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "escaped.js")); err == nil {
		t.Error("the escaping entry was written")
	}
}
