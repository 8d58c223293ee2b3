package assets

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// The pinned packages' manifests are sane, and each package's fetched
// package.json names the package and version it is pinned as.
func TestPackages(t *testing.T) {
	if MicroPython.Name != "@micropython/micropython-webassembly-pyscript" || MicroPython.Version != "1.27.0" || MicroPython.folder() != "micropython-1.27.0" {
		t.Fatalf("MicroPython = %s@%s in %s", MicroPython.Name, MicroPython.Version, MicroPython.folder())
	}
	if Pyodide.Name != "pyodide" || Pyodide.Version != PyodideVersion || Pyodide.folder() != "pyodide-314.0.7" || Pyodide.cdn != CDNURL {
		t.Fatalf("Pyodide = %s@%s in %s from %s", Pyodide.Name, Pyodide.Version, Pyodide.folder(), Pyodide.cdn)
	}
	var names []string
	for _, f := range MicroPython.Files() {
		names = append(names, f.Name)
	}
	if want := []string{"micropython.mjs", "micropython.wasm", "package.json"}; !slices.Equal(names, want) {
		t.Fatalf("MicroPython's manifest holds %v, want %v", names, want)
	}
	for _, pkg := range packages {
		if strings.ContainsAny(pkg.Stem, `/\. `) || pkg.Stem == "" {
			t.Errorf("%s: bad stem %q", pkg.Name, pkg.Stem)
		}
		sum, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(pkg.integrity, "sha512-"))
		if !strings.HasPrefix(pkg.integrity, "sha512-") || err != nil || len(sum) != 64 {
			t.Errorf("%s: bad integrity %q", pkg.Name, pkg.integrity)
		}
		if !strings.HasPrefix(pkg.cdn, "https://") || !strings.HasSuffix(pkg.cdn, "/") || !strings.Contains(pkg.cdn, pkg.Version) {
			t.Errorf("%s: bad CDN folder %q", pkg.Name, pkg.cdn)
		}
		if !slices.IsSortedFunc(pkg.files, func(a, b File) int { return strings.Compare(a.Name, b.Name) }) {
			t.Errorf("%s: manifest not sorted by name", pkg.Name)
		}
		for _, f := range pkg.files {
			// A name may hold folders (smol-toml's dist/), never a way out of the package's.
			if f.Size <= 0 || len(f.SHA256) != 64 || strings.Trim(f.SHA256, "0123456789abcdef") != "" ||
				strings.Contains(f.Name, `\`) || path.Clean(f.Name) != f.Name || path.IsAbs(f.Name) || strings.HasPrefix(f.Name, "..") ||
				f.Name == "README.md" {
				t.Errorf("%s: bad manifest entry %+v", pkg.Name, f)
			}
		}
		if !slices.ContainsFunc(pkg.files, func(f File) bool { return f.Name == "package.json" }) {
			t.Errorf("%s: manifest lacks package.json", pkg.Name)
		}
		var meta struct{ Name, Version string }
		if err := json.Unmarshal(sourceFiles(t, pkg)["package.json"], &meta); err != nil || meta.Name != pkg.Name || meta.Version != pkg.Version {
			t.Errorf("%s@%s: its package.json says %s@%s (%v)", pkg.Name, pkg.Version, meta.Name, meta.Version, err)
		}
	}
	if Pyodide.markerText() == MicroPython.markerText() || !strings.HasPrefix(MicroPython.markerText(), MicroPython.Name+" 1.27.0\n") {
		t.Errorf("markers: %q, %q", Pyodide.markerText(), MicroPython.markerText())
	}
}

// A fetch into an empty cache gives a ready folder with exactly the
// manifest files, and leaves Pyodide's place alone.
func TestMicroPythonFetchCDN(t *testing.T) {
	files := sourceFiles(t, MicroPython)
	root := newCache(t)
	srv := newCDN(t, files, nil)
	if MicroPython.Ready() {
		t.Fatal("Ready() = true in an empty cache")
	}
	var progress bytes.Buffer
	dir, err := MicroPython.Fetch(context.Background(), FetchOptions{Progress: &progress, CDN: srv.base(), Source: SourceCDN})
	if err != nil {
		t.Fatal(err)
	}
	if got := checkComplete(t, MicroPython, files); dir != got || dir != filepath.Join(root, "micropython-1.27.0") {
		t.Fatalf("Fetch returned %q, Dir() is %q", dir, got)
	}
	if n := srv.hits.Load(); n != 3 {
		t.Fatalf("server got %d requests, want 3", n)
	}
	for _, want := range []string{"fetching micropython 1.27.0 from " + srv.base(), "verified 3 files of micropython 1.27.0"} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, progress.String())
		}
	}
	if entries, _ := os.ReadDir(root); len(entries) != 1 || Pyodide.Ready() {
		t.Fatalf("the cache root holds %d entries after fetching MicroPython alone", len(entries))
	}
}

func TestMicroPythonRefusesTamperedFile(t *testing.T) {
	files := sourceFiles(t, MicroPython)
	root := newCache(t)
	srv := newCDN(t, files, tampering(files, "micropython.wasm"))
	_, err := MicroPython.Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceCDN})
	if err == nil || !strings.Contains(err.Error(), "micropython 1.27.0 assets: ") ||
		!strings.Contains(err.Error(), "micropython.wasm does not match the pinned manifest") {
		t.Fatalf("Fetch of a tampered micropython.wasm = %v", err)
	}
	checkNothingComplete(t, MicroPython, root)
}

// tampering serves the named file with one bit flipped (see newCDN).
func tampering(files map[string][]byte, tampered string) func(w http.ResponseWriter, r *http.Request, name string) bool {
	return func(w http.ResponseWriter, r *http.Request, name string) bool {
		if name != tampered {
			return false
		}
		b := bytes.Clone(files[name])
		b[len(b)/2] ^= 1
		w.Write(b)
		return true
	}
}

// fakeNPM puts on PATH an npm whose `pack` writes tgz into the pack
// destination; the file named by the returned path gets its arguments.
func fakeNPM(t *testing.T, tgz string) (argsFile string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake npm is a shell script")
	}
	bin := t.TempDir()
	argsFile = filepath.Join(bin, "args")
	script := `#!/bin/sh
echo "$@" > "$FAKE_NPM_ARGS"
while [ $# -gt 0 ]; do
	if [ "$1" = --pack-destination ]; then dest=$2; fi
	shift
done
cp "$FAKE_NPM_TARBALL" "$dest/package.tgz" || exit 1
echo '[{"filename": "package.tgz"}]'
`
	if err := os.WriteFile(filepath.Join(bin, "npm"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("FAKE_NPM_TARBALL", tgz)
	t.Setenv("FAKE_NPM_ARGS", argsFile)
	return argsFile
}

// The npm path, with a tarball laid out like the real one (README.md
// included) and a stand-in npm: the pinned integrity refuses it naming the
// package; with its integrity pinned instead it is extracted and kept
// without README.md; a file that differs from the manifest is refused.
func TestMicroPythonFetchNPM(t *testing.T) {
	files := sourceFiles(t, MicroPython)
	tarball := func(tamper string) (string, string) {
		entries := []entry{{name: "package/", typeflag: tar.TypeDir}, {name: "package/README.md", body: "# MicroPython\n"}}
		for _, f := range MicroPython.files {
			body := bytes.Clone(files[f.Name])
			if f.Name == tamper {
				body[0] ^= 1
			}
			entries = append(entries, entry{name: "package/" + f.Name, body: string(body)})
		}
		return craftTarball(t, t.TempDir(), entries)
	}

	tgz, integrity := tarball("")
	args := fakeNPM(t, tgz)
	root := newCache(t)
	_, err := MicroPython.Fetch(context.Background(), FetchOptions{Source: SourceNPM})
	if err == nil || !strings.Contains(err.Error(), "micropython 1.27.0 assets: npm tarball") ||
		!strings.Contains(err.Error(), "does not match the pinned integrity: expected "+MicroPython.integrity) {
		t.Fatalf("Fetch of a tarball with another integrity = %v", err)
	}
	checkNothingComplete(t, MicroPython, root)
	if b, _ := os.ReadFile(args); !strings.HasPrefix(string(b), "pack @micropython/micropython-webassembly-pyscript@1.27.0 ") {
		t.Fatalf("npm was run with %q", b)
	}

	crafted := *MicroPython
	crafted.integrity = integrity
	var progress bytes.Buffer
	if _, err := crafted.Fetch(context.Background(), FetchOptions{Source: SourceNPM, Progress: &progress}); err != nil {
		t.Fatal(err)
	}
	checkComplete(t, &crafted, files)
	if !strings.Contains(progress.String(), "fetching micropython 1.27.0 via npm pack") {
		t.Errorf("progress:\n%s", progress.String())
	}

	tgz, crafted.integrity = tarball("micropython.mjs")
	t.Setenv("FAKE_NPM_TARBALL", tgz)
	root = newCache(t)
	_, err = crafted.Fetch(context.Background(), FetchOptions{Source: SourceNPM})
	if err == nil || !strings.Contains(err.Error(), "micropython 1.27.0 assets: micropython.mjs does not match the pinned manifest") {
		t.Fatalf("Fetch of a tarball with a tampered file = %v", err)
	}
	checkNothingComplete(t, &crafted, root)
}

// The TOML parser's files lie in a folder (dist/): a fetch into an empty
// cache puts each where its name says, and a tampered one is refused.
func TestTOMLFetchCDN(t *testing.T) {
	files := sourceFiles(t, TOML)
	root := newCache(t)
	srv := newCDN(t, files, nil)
	dir, err := TOML.Fetch(context.Background(), FetchOptions{CDN: srv.base(), Source: SourceCDN})
	if err != nil {
		t.Fatal(err)
	}
	if got := checkComplete(t, TOML, files); dir != got || dir != filepath.Join(root, "toml-1.9.1") {
		t.Fatalf("Fetch returned %q, Dir() is %q", dir, got)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "dist", "index.js")); err != nil || !bytes.Equal(b, files["dist/index.js"]) {
		t.Fatalf("dist/index.js: %v", err)
	}

	newCache(t)
	tampered := newCDN(t, files, tampering(files, "dist/parse.js"))
	if _, err := TOML.Fetch(context.Background(), FetchOptions{CDN: tampered.base(), Source: SourceCDN}); err == nil || !strings.Contains(err.Error(), "dist/parse.js") || TOML.Ready() {
		t.Fatalf("a tampered dist/parse.js: %v (ready: %v)", err, TOML.Ready())
	}
}
