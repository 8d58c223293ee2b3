package pack

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pyworker/pyworker/internal/testfiles"
)

func get(t *testing.T, method, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func TestHandler(t *testing.T) {
	dir := testfiles.Folder(t, map[string]string{"main.py": "print(1)\n", "pkg/__init__.py": ""})
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h) // on 127.0.0.1
	t.Cleanup(srv.Close)

	res, body := get(t, "GET", srv.URL+"/app.zip")
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" || res.Header.Get("ETag") != etag {
		t.Fatalf("GET: %d %v", res.StatusCode, res.Header)
	}
	if string(body) != string(zipBytes(t, dir)) {
		t.Error("the served zip is not Zip's")
	}
	if res, _ := get(t, "GET", srv.URL+"/app.zip", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", res.StatusCode)
	}
	if res, body := get(t, "HEAD", srv.URL+"/app.zip"); res.StatusCode != 200 || len(body) != 0 || res.ContentLength != int64(len(zipBytes(t, dir))) {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %d", res.StatusCode, len(body), res.ContentLength)
	}
	if res, _ := get(t, "POST", srv.URL+"/app.zip"); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", res.StatusCode)
	}

	// An edit of the same size: the later time tells (set here, since the
	// file system's clock may not have ticked since the last write).
	main := filepath.Join(dir, "main.py")
	os.WriteFile(main, []byte("print(2)\n"), 0o644)
	later := time.Now().Add(time.Minute)
	os.Chtimes(main, later, later)
	res, body = get(t, "GET", srv.URL+"/app.zip", "If-None-Match", etag)
	_, contents := entries(t, body)
	if res.StatusCode != 200 || res.Header.Get("ETag") == etag || contents["main.py"] != "print(2)\n" {
		t.Errorf("after an edit: %d, ETag %s, main.py %q", res.StatusCode, res.Header.Get("ETag"), contents["main.py"])
	}

	// A folder gone bad answers with the reason.
	os.Symlink("/etc/passwd", filepath.Join(dir, "leak"))
	if res, body := get(t, "GET", srv.URL+"/app.zip"); res.StatusCode != 500 || !strings.Contains(string(body), "leak") {
		t.Errorf("with a symlink out: %d %q", res.StatusCode, body)
	}
}

func TestHandlerNeedsAFolder(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nothing")
	if _, err := Handler(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("err = %v, want one naming %s", err, missing)
	}
}
