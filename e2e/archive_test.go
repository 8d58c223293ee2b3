package e2e

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/browser"
)

// createWorker({archive}): the project in testdata/app, packed on the fly by
// the server, is importable when ready resolves, and its src runs from it.
func TestArchive(t *testing.T) {
	tab := openPage(t)
	got := call[[]string](t, tab, "archive.project")
	if strings.Join(got, "|") != "Hello, archive!|/home/pyodide|Hello, Ada!" {
		t.Errorf("got %q", got)
	}
}

// createWorker refuses an archive with an entry that would land outside its
// folder, naming the entry, and the worker does not start; an archive whose
// URL gives nothing fails the start without waiting for the interpreter, and
// a format that is unknown is refused by createWorker itself.
func TestArchiveRefused(t *testing.T) {
	tab := warmPage(t)
	cases := []struct {
		name    string
		archive map[string]string // createWorker's archive option
		want    string
	}{
		{"zip with ../", map[string]string{"url": "data:application/zip;base64," + zipOf(t, "../escape.py"), "format": "zip"},
			`the archive (a data: URL) was refused: entry '../escape.py' would land outside /home/pyodide; nothing was unpacked`},
		{"missing", map[string]string{"url": "/missing.zip"}, "missing.zip: 404"},
		{"unknown format", map[string]string{"url": "/app.rar"}, "archive /app.rar: its format cannot be told from the URL; give archive.format, one of zip, tar, gztar"},
		{"bad format", map[string]string{"url": "/app.zip", "format": "rar"}, `archive /app.zip: its format "rar" is unknown`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := call[string](t, tab, "archive.start", c.archive)
			if !strings.Contains(msg, c.want) {
				t.Errorf("got %q, want it to say %q", msg, c.want)
			}
		})
	}
}

// The archive check refuses entries that would land outside the folder, and
// bytes that are not an archive, unpacking nothing (checked in the warm
// worker: createWorker hands the check's message on, as above).
func TestArchiveCheck(t *testing.T) {
	tab := warmPage(t)
	cases := []struct {
		name, archive, format, want string
	}{
		{"zip with an absolute path", zipOf(t, "/tmp/abs.py"), "zip", `entry '/tmp/abs.py' would land outside /tmp/check`},
		{"tar with a link out", tarOf(t, tar.Header{Name: "evil", Linkname: "../../etc", Typeflag: tar.TypeSymlink, Mode: 0o777}), "gztar",
			`the archive was refused: entry 'evil' is a link leading outside /tmp/check; nothing was unpacked`},
		{"not an archive", base64.StdEncoding.EncodeToString([]byte("not a zip")), "zip", "is not a valid zip archive"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := unpackInWarmWorker(t, tab, c.archive, c.format, "/tmp/check")
			if msg, _ := got[0].(string); !strings.Contains(msg, c.want) {
				t.Errorf("got %q, want it to say %q", msg, c.want)
			}
			if got[1] != false {
				t.Errorf("%s was made, although the archive was refused", "/tmp/check")
			}
		})
	}
}

// A tar whose second member is a FIFO is refused before its first is written.
func TestArchiveWithSpecialFile(t *testing.T) {
	tab := warmPage(t)
	archive := tarOf(t,
		tar.Header{Name: "first.py", Typeflag: tar.TypeReg, Mode: 0o644},
		tar.Header{Name: "pipe", Typeflag: tar.TypeFifo, Mode: 0o644})
	got := unpackInWarmWorker(t, tab, archive, "gztar", "/tmp/special")
	if msg, _ := got[0].(string); !strings.Contains(msg, "the archive was refused") || !strings.Contains(msg, "'pipe' is a special file") ||
		!strings.Contains(msg, "nothing was unpacked") {
		t.Errorf("message: %q", msg)
	}
	if got[1] != false {
		t.Errorf("first.py was written, although the archive was refused")
	}
}

// unpackInWarmWorker has the warm worker's archive check unpack the archive
// (base64) into dir: what it says was wrong, and whether dir exists after.
func unpackInWarmWorker(t *testing.T, tab browser.Tab, archive, format, dir string) []any {
	t.Helper()
	got := call[[]any](t, tab, "archive.unpack", archive, format, dir)
	if len(got) != 2 {
		t.Fatalf("got %v", got)
	}
	return got
}

// zipOf is a zip holding one file named name, base64-encoded.
func zipOf(t *testing.T, name string) string {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, err := z.Create(name)
	if err == nil {
		_, err = w.Write([]byte("print('escaped')\n"))
	}
	if err == nil {
		err = z.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

// tarOf is a gzipped tar of these entries, base64-encoded; a regular file holds a line of Python.
func tarOf(t *testing.T, entries ...tar.Header) string {
	var b bytes.Buffer
	g := gzip.NewWriter(&b)
	w := tar.NewWriter(g)
	var err error
	for _, h := range entries {
		content := []byte("print('unpacked')\n")
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(content))
		}
		if err = w.WriteHeader(&h); err == nil && h.Typeflag == tar.TypeReg {
			_, err = w.Write(content)
		}
		if err != nil {
			break
		}
	}
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		err = g.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}
