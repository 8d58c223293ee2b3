package fileserver

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// serve starts h on 127.0.0.1 (httptest's default) for the test's lifetime.
func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// client neither decompresses nor follows redirects: the tests look at the
// raw responses.
var client = &http.Client{
	Transport:     &http.Transport{DisableCompression: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// do sends method on url with the given header lines ("Name: value") and
// returns the response with its body read.
func do(t *testing.T, method, url string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// rawGet sends a GET with target written verbatim in the request line, so
// nothing on the client side cleans or re-encodes it.
func rawGet(t *testing.T, srv *httptest.Server, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", target)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %q: %v", target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func openRoot(t *testing.T, dir string) *os.Root {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return root
}

// bigText is compressible text of about n bytes.
func bigText(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "export function f%d(x) { return x * %d + %q; }\n", i, i*7, strings.Repeat("ab", i%13))
	}
	return b.Bytes()[:n]
}

// randomBytes is incompressible data.
func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestPaths(t *testing.T) {
	const secret = "TOP-SECRET"
	base := t.TempDir()
	writeFile(t, filepath.Join(base, "secret.txt"), secret)
	writeFile(t, filepath.Join(base, "outdir", "secret.txt"), secret)
	www := filepath.Join(base, "www")
	writeFile(t, filepath.Join(www, "index.html"), "root index")
	writeFile(t, filepath.Join(www, "a.js"), "console.log(1)")
	writeFile(t, filepath.Join(www, "sub", "index.html"), "sub index")
	writeFile(t, filepath.Join(www, "sub", "x.txt"), "x content")
	writeFile(t, filepath.Join(www, "dirindex", "index.html", "y.txt"), "y")
	if err := os.Mkdir(filepath.Join(www, "emptydir"), 0o755); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"out.txt":    "../secret.txt",
		"outabs.txt": filepath.Join(base, "secret.txt"),
		"outdir":     "../outdir",
		"in.txt":     "sub/x.txt",
		"insub":      "sub",
	} {
		if err := os.Symlink(target, filepath.Join(www, link)); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	srv := serve(t, New(openRoot(t, www).FS(), Options{}))

	const refused = -1 // 400 or 404
	tests := []struct {
		target   string
		status   int
		body     string // expected body (200) or Location (301)
		rawCheck bool   // send the request line verbatim
	}{
		{"/", 200, "root index", false},
		{"/index.html", 200, "root index", false},
		{"/a.js", 200, "console.log(1)", false},
		{"/sub", 301, "sub/", false},
		{"/sub?x=1", 301, "sub/?x=1", false},
		{"/sub/", 200, "sub index", false},
		{"/sub/x.txt", 200, "x content", false},
		{"/emptydir", 301, "emptydir/", false},
		{"/emptydir/", 404, "", false},
		{"/dirindex/", 404, "", false},
		{"/missing.js", 404, "", false},
		{"/a.js/", 404, "", false},
		{"/in.txt", 200, "x content", false},      // symlink inside: fine
		{"/insub/x.txt", 200, "x content", false}, // directory symlink inside: fine
		{"/out.txt", 404, "", false},              // symlink leaving the root
		{"/outabs.txt", 404, "", false},
		{"/outdir/secret.txt", 404, "", false},
		{"/outdir/", 404, "", false},

		{"/../secret.txt", refused, "", true},
		{"/sub/../../secret.txt", refused, "", true},
		{"/sub/../index.html", refused, "", true},
		{"/..%2fsecret.txt", refused, "", true},
		{"/..%2Fsecret.txt", refused, "", true},
		{"/%2e%2e/secret.txt", refused, "", true},
		{"/%2E%2E%2Fsecret.txt", refused, "", true},
		{"/sub/%2e%2e/%2e%2e/secret.txt", refused, "", true},
		{"/%252e%252e/secret.txt", refused, "", true},
		{"/%252e%252e%252fsecret.txt", refused, "", true},
		{"/..%5csecret.txt", refused, "", true},
		{`/..\secret.txt`, refused, "", true},
		{"/a.js%00", refused, "", true},
		{"/a.js%00.txt", refused, "", true},
		{"//secret.txt", refused, "", true},
		{"/" + base + "/secret.txt", refused, "", true},
		{"/C:/secret.txt", refused, "", true},
		{"http://test/../secret.txt", refused, "", true},
	}
	for _, tt := range tests {
		var status int
		var body, location string
		if tt.rawCheck {
			status, body = rawGet(t, srv, tt.target)
		} else {
			resp, b := do(t, "GET", srv.URL+tt.target)
			status, body, location = resp.StatusCode, string(b), resp.Header.Get("Location")
		}
		switch {
		case strings.Contains(body, secret):
			t.Errorf("GET %q served the secret (status %d)", tt.target, status)
		case tt.status == refused:
			if status != 400 && status != 404 {
				t.Errorf("GET %q: status %d, want 400 or 404", tt.target, status)
			}
		case status != tt.status:
			t.Errorf("GET %q: status %d, want %d", tt.target, status, tt.status)
		case status == 200 && body != tt.body:
			t.Errorf("GET %q: body %q, want %q", tt.target, body, tt.body)
		case status == 301 && location != tt.body:
			t.Errorf("GET %q: Location %q, want %q", tt.target, location, tt.body)
		}
	}
}

func TestStripPrefix(t *testing.T) {
	fsys := Memory(map[string][]byte{"index.html": []byte("root"), "sub/index.html": []byte("sub")}, time.Time{})
	srv := serve(t, http.StripPrefix("/static", New(fsys, Options{})))
	resp, _ := do(t, "GET", srv.URL+"/static/sub")
	if loc := resp.Header.Get("Location"); resp.StatusCode != 301 || loc != "sub/" {
		t.Fatalf("redirect: %d %q", resp.StatusCode, loc)
	}
	loc, _ := resp.Request.URL.Parse(resp.Header.Get("Location"))
	if resp, body := do(t, "GET", loc.String()); resp.StatusCode != 200 || string(body) != "sub" {
		t.Fatalf("GET %s: %d %q", loc, resp.StatusCode, body)
	}
	if status, _ := rawGet(t, srv, "/static/..%2fx"); status != 400 {
		t.Errorf("escaped slash behind StripPrefix: status %d, want 400", status)
	}
}

func TestMethods(t *testing.T) {
	srv := serve(t, New(Memory(map[string][]byte{"a.txt": []byte("hello")}, time.Time{}), Options{}))
	resp, _ := do(t, "POST", srv.URL+"/a.txt")
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func TestContentTypes(t *testing.T) {
	tests := map[string]string{
		"a.wasm":       "application/wasm",
		"a.mjs":        "text/javascript; charset=utf-8",
		"a.js":         "text/javascript; charset=utf-8",
		"A.JS":         "text/javascript; charset=utf-8",
		"a.json":       "application/json",
		"a.zip":        "application/zip",
		"a-1.0.whl":    "application/zip",
		"a.py":         "text/x-python; charset=utf-8",
		"a.d.ts":       "text/plain; charset=utf-8",
		"a.html":       "text/html; charset=utf-8",
		"a.css":        "text/css; charset=utf-8",
		"a.svg":        "image/svg+xml",
		"a.tar":        "application/x-tar",
		"a.tar.gz":     "application/gzip",
		"a.js.map":     "application/json",
		"a.png":        "image/png",
		"page":         "text/html; charset=utf-8", // sniffed
		"blob.zzunkzz": "application/octet-stream", // sniffed
	}
	files := map[string][]byte{}
	for name := range tests {
		files[name] = []byte("x")
	}
	files["page"] = []byte("<!DOCTYPE html><html><body>hi</body></html>")
	files["blob.zzunkzz"] = []byte{0, 1, 2, 3, 0xff, 0xfe}
	srv := serve(t, New(Memory(files, time.Time{}), Options{}))
	for name, want := range tests {
		resp, _ := do(t, "GET", srv.URL+"/"+name)
		if got := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || got != want {
			t.Errorf("%s: %d %q, want %q", name, resp.StatusCode, got, want)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", name, got)
		}
	}
}

func TestConditional(t *testing.T) {
	mod := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	big := bigText(20_000)
	fsys := Memory(map[string][]byte{"a.txt": []byte("hello"), "big.js": big}, mod)
	srv := serve(t, New(fsys, Options{}))
	url := srv.URL + "/a.txt"

	resp, body := do(t, "GET", url)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || string(body) != "hello" {
		t.Fatalf("GET: %d %q", resp.StatusCode, body)
	}
	if len(etag) < 10 || !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) {
		t.Fatalf("ETag %q is not a strong ETag", etag)
	}
	if got := resp.Header.Get("Last-Modified"); got != mod.Format(http.TimeFormat) {
		t.Errorf("Last-Modified %q", got)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control %q", got)
	}

	tests := []struct {
		header string
		status int
	}{
		{"If-None-Match: " + etag, 304},
		{"If-None-Match: \"other\", " + etag, 304},
		{"If-None-Match: *", 304},
		{`If-None-Match: "other"`, 200},
		{"If-Modified-Since: " + mod.Format(http.TimeFormat), 304},
		{"If-Modified-Since: " + mod.Add(time.Hour).Format(http.TimeFormat), 304},
		{"If-Modified-Since: " + mod.Add(-time.Hour).Format(http.TimeFormat), 200},
		{"If-Match: " + etag, 200},
		{`If-Match: "other"`, 412},
	}
	for _, tt := range tests {
		resp, body := do(t, "GET", url, tt.header)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.header, resp.StatusCode, tt.status)
		}
		if tt.status == 304 && len(body) != 0 {
			t.Errorf("%s: 304 with a body", tt.header)
		}
	}

	// Each encoding has its own ETag, and revalidates against it.
	tags := map[string]bool{}
	for _, enc := range []string{"br", "gzip", "identity"} {
		resp, _ := do(t, "GET", srv.URL+"/big.js", "Accept-Encoding: "+enc)
		tag := resp.Header.Get("ETag")
		tags[tag] = true
		if enc != "identity" && !strings.HasSuffix(tag, "-"+enc+`"`) {
			t.Errorf("%s ETag %q", enc, tag)
		}
		resp, _ = do(t, "GET", srv.URL+"/big.js", "Accept-Encoding: "+enc, "If-None-Match: "+tag)
		if resp.StatusCode != 304 {
			t.Errorf("%s revalidation: status %d", enc, resp.StatusCode)
		}
	}
	if len(tags) != 3 {
		t.Errorf("ETags not distinct per encoding: %v", tags)
	}

	// Immutable.
	srv = serve(t, New(fsys, Options{Immutable: true}))
	resp, _ = do(t, "GET", srv.URL+"/a.txt")
	if got := resp.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("immutable Cache-Control %q", got)
	}
}

func TestETagChangesWithFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a.txt")
	writeFile(t, name, "version 1")
	srv := serve(t, New(openRoot(t, dir).FS(), Options{}))
	resp, _ := do(t, "GET", srv.URL+"/a.txt")
	tag1 := resp.Header.Get("ETag")

	writeFile(t, name, "version 2")
	if err := os.Chtimes(name, time.Time{}, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	resp, body := do(t, "GET", srv.URL+"/a.txt", "If-None-Match: "+tag1)
	if resp.StatusCode != 200 || string(body) != "version 2" || resp.Header.Get("ETag") == tag1 {
		t.Errorf("after change: %d %q ETag %s (was %s)", resp.StatusCode, body, resp.Header.Get("ETag"), tag1)
	}
}

func TestRange(t *testing.T) {
	data := []byte("0123456789abcdefghijklmnopqrstuvwxyz")
	big := bigText(10_000)
	srv := serve(t, New(Memory(map[string][]byte{"a.txt": data, "big.js": big}, time.Now()), Options{}))
	url := srv.URL + "/a.txt"

	resp, body := do(t, "GET", url, "Range: bytes=2-5")
	if resp.StatusCode != 206 || string(body) != "2345" || resp.Header.Get("Content-Range") != "bytes 2-5/36" {
		t.Errorf("single range: %d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Range"))
	}
	resp, body = do(t, "GET", url, "Range: bytes=-3")
	if resp.StatusCode != 206 || string(body) != "xyz" {
		t.Errorf("suffix range: %d %q", resp.StatusCode, body)
	}

	resp, body = do(t, "GET", url, "Range: bytes=0-1,10-12")
	mt, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != 206 || mt != "multipart/byteranges" {
		t.Fatalf("multi range: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var parts []string
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		parts = append(parts, string(b))
	}
	if strings.Join(parts, "|") != "01|abc" {
		t.Errorf("multi range parts %q", parts)
	}

	resp, _ = do(t, "GET", url, "Range: bytes=100-")
	if resp.StatusCode != 416 || resp.Header.Get("Content-Range") != "bytes */36" {
		t.Errorf("unsatisfiable: %d %q", resp.StatusCode, resp.Header.Get("Content-Range"))
	}

	// If-Range: the current ETag gets the range, a stale one the whole file.
	resp, _ = do(t, "GET", url)
	etag := resp.Header.Get("ETag")
	if resp, body := do(t, "GET", url, "Range: bytes=0-0", "If-Range: "+etag); resp.StatusCode != 206 || string(body) != "0" {
		t.Errorf("If-Range current: %d %q", resp.StatusCode, body)
	}
	if resp, body := do(t, "GET", url, "Range: bytes=0-0", `If-Range: "stale"`); resp.StatusCode != 200 || !bytes.Equal(body, data) {
		t.Errorf("If-Range stale: %d %q", resp.StatusCode, body)
	}

	// A Range request on a compressible file gets identity bytes.
	resp, body = do(t, "GET", srv.URL+"/big.js", "Range: bytes=100-199", "Accept-Encoding: br, gzip")
	if resp.StatusCode != 206 || resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, big[100:200]) {
		t.Errorf("range with Accept-Encoding: %d %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
}

func decode(t *testing.T, enc string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch enc {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", enc, err)
	}
	return out
}

func TestChooseEncoding(t *testing.T) {
	tests := map[string]string{
		"":                          "",
		"br":                        "br",
		"gzip":                      "gzip",
		"x-gzip":                    "gzip",
		"gzip, deflate, br, zstd":   "br",
		"BR, GZIP":                  "br",
		"br;q=0, gzip":              "gzip",
		"br; q=0.5, gzip;q=0.8":     "gzip",
		"br;q=0.8, gzip;q=0.8":      "br",
		"br;q=0, gzip;q=0":          "",
		"br;q=0.000, gzip;Q=0.0":    "",
		"*":                         "br",
		"*;q=0":                     "",
		"gzip;q=0, *":               "br",
		"br;q=0, *;q=0.1":           "gzip",
		"identity":                  "",
		"deflate":                   "",
		"br;q=abc, gzip":            "gzip",
		"br;q=2, gzip":              "gzip",
		"br;q=NaN":                  "",
		"gzip;level=1;q=0.5":        "gzip",
		"identity;q=0, gzip;q=0.01": "gzip",
	}
	for in, want := range tests {
		if got := chooseEncoding(in); got != want {
			t.Errorf("chooseEncoding(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCompression(t *testing.T) {
	big := bigText(50_000)
	files := map[string][]byte{
		"big.js":    big,
		"big.wasm":  big,
		"small.js":  big[:500],
		"big.zip":   big,
		"big.png":   big,
		"random.js": randomBytes(8_000),
	}
	srv := serve(t, New(Memory(files, time.Now()), Options{}))

	tests := []struct {
		file, accept, want string // want: the Content-Encoding
		vary               bool
	}{
		{"big.js", "br", "br", true},
		{"big.js", "gzip", "gzip", true},
		{"big.js", "gzip, deflate, br", "br", true},
		{"big.js", "br;q=0, gzip", "gzip", true},
		{"big.js", "br;q=0.5, gzip;q=1", "gzip", true},
		{"big.js", "br;q=0, gzip;q=0", "", true},
		{"big.js", "", "", true},
		{"big.wasm", "br", "br", true},
		{"big.wasm", "gzip", "gzip", true},
		{"small.js", "br, gzip", "", false},
		{"big.zip", "br, gzip", "br", true}, // zip shrinks a little; served only when smaller
		{"big.png", "br, gzip", "", false},
		{"random.js", "br", "", true},   // not smaller: identity
		{"random.js", "gzip", "", true}, // not smaller: identity
	}
	for _, tt := range tests {
		headers := []string{"Accept-Encoding: " + tt.accept}
		if tt.accept == "" {
			headers = nil
		}
		resp, body := do(t, "GET", srv.URL+"/"+tt.file, headers...)
		name := tt.file + " " + tt.accept
		if got := resp.Header.Get("Content-Encoding"); resp.StatusCode != 200 || got != tt.want {
			t.Errorf("%s: %d Content-Encoding %q, want %q", name, resp.StatusCode, got, tt.want)
			continue
		}
		if got := resp.Header.Get("Vary") == "Accept-Encoding"; got != tt.vary {
			t.Errorf("%s: Vary %q", name, resp.Header.Get("Vary"))
		}
		if got := resp.Header.Get("Content-Length"); got != fmt.Sprint(len(body)) {
			t.Errorf("%s: Content-Length %s, body %d bytes", name, got, len(body))
		}
		if tt.want != "" && len(body) >= len(files[tt.file]) {
			t.Errorf("%s: compressed %d bytes to %d", name, len(files[tt.file]), len(body))
		}
		if !bytes.Equal(decode(t, tt.want, body), files[tt.file]) {
			t.Errorf("%s: decoded body differs from the file", name)
		}
	}
}

func TestHead(t *testing.T) {
	big := bigText(50_000)
	srv := serve(t, New(Memory(map[string][]byte{"big.js": big}, time.Now()), Options{}))
	for _, enc := range []string{"br", "gzip", "identity"} {
		get, getBody := do(t, "GET", srv.URL+"/big.js", "Accept-Encoding: "+enc)
		head, headBody := do(t, "HEAD", srv.URL+"/big.js", "Accept-Encoding: "+enc)
		if head.StatusCode != 200 || len(headBody) != 0 {
			t.Errorf("HEAD %s: %d, %d body bytes", enc, head.StatusCode, len(headBody))
		}
		for _, k := range []string{"Content-Length", "Content-Encoding", "Content-Type", "ETag", "Last-Modified"} {
			if head.Header.Get(k) != get.Header.Get(k) {
				t.Errorf("HEAD %s: %s %q, GET has %q", enc, k, head.Header.Get(k), get.Header.Get(k))
			}
		}
		if head.Header.Get("Content-Length") != fmt.Sprint(len(getBody)) {
			t.Errorf("HEAD %s: Content-Length %s, GET body %d", enc, head.Header.Get("Content-Length"), len(getBody))
		}
	}
}

func TestCompressOnce(t *testing.T) {
	dir, cache := t.TempDir(), filepath.Join(t.TempDir(), "cache", "br")
	big := bigText(300_000)
	random := randomBytes(4_000)
	writeFile(t, filepath.Join(dir, "big.js"), string(big))
	writeFile(t, filepath.Join(dir, "random.js"), string(random))
	root := openRoot(t, dir)

	h := New(root.FS(), Options{CacheDir: cache}).(*handler)
	srv := serve(t, h)

	// Many concurrent first requests: one compression.
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			resp, body := do(t, "GET", srv.URL+"/big.js", "Accept-Encoding: br")
			if resp.Header.Get("Content-Encoding") != "br" || !bytes.Equal(decode(t, "br", body), big) {
				t.Errorf("concurrent br: bad response")
			}
		})
	}
	wg.Wait()
	if n := h.compressions.Load(); n != 1 {
		t.Fatalf("16 concurrent br requests compressed %d times, want 1", n)
	}
	do(t, "GET", srv.URL+"/big.js", "Accept-Encoding: gzip")
	do(t, "GET", srv.URL+"/big.js", "Accept-Encoding: gzip")
	do(t, "GET", srv.URL+"/big.js", "Accept-Encoding: br")
	do(t, "GET", srv.URL+"/random.js", "Accept-Encoding: br")
	do(t, "GET", srv.URL+"/random.js", "Accept-Encoding: br")
	if n := h.compressions.Load(); n != 3 {
		t.Fatalf("compressed %d times, want 3 (big br, big gzip, random br)", n)
	}
	entries, err := os.ReadDir(cache)
	if err != nil || len(entries) != 3 {
		t.Fatalf("cache dir: %v, %v", entries, err)
	}

	// A new handler (a restart) reuses the disk cache.
	h2 := New(root.FS(), Options{CacheDir: cache}).(*handler)
	srv2 := serve(t, h2)
	for _, enc := range []string{"br", "gzip"} {
		resp, body := do(t, "GET", srv2.URL+"/big.js", "Accept-Encoding: "+enc)
		if resp.Header.Get("Content-Encoding") != enc || !bytes.Equal(decode(t, enc, body), big) {
			t.Errorf("%s from the disk cache: bad response", enc)
		}
	}
	resp, body := do(t, "GET", srv2.URL+"/random.js", "Accept-Encoding: br")
	if resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, random) {
		t.Errorf("random.js from the disk cache: bad response")
	}
	if n := h2.compressions.Load(); n != 0 {
		t.Fatalf("new handler compressed %d times, want 0 (disk cache)", n)
	}

	// A changed file gets a new variant.
	big2 := append(bigText(300_000), "// changed\n"...)
	writeFile(t, filepath.Join(dir, "big.js"), string(big2))
	if err := os.Chtimes(filepath.Join(dir, "big.js"), time.Time{}, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	resp, body = do(t, "GET", srv2.URL+"/big.js", "Accept-Encoding: br")
	if !bytes.Equal(decode(t, resp.Header.Get("Content-Encoding"), body), big2) {
		t.Errorf("changed file: stale content served")
	}
	if n := h2.compressions.Load(); n != 1 {
		t.Fatalf("changed file: compressed %d times, want 1", n)
	}
}

func TestCompressOnceInMemory(t *testing.T) {
	big := bigText(200_000)
	h := New(Memory(map[string][]byte{"big.wasm": big}, time.Time{}), Options{}).(*handler)
	srv := serve(t, h)
	var wg sync.WaitGroup
	for i := range 20 {
		enc := []string{"br", "gzip"}[i%2]
		wg.Go(func() {
			resp, body := do(t, "GET", srv.URL+"/big.wasm", "Accept-Encoding: "+enc)
			if !bytes.Equal(decode(t, resp.Header.Get("Content-Encoding"), body), big) {
				t.Errorf("%s: bad body", enc)
			}
		})
	}
	wg.Wait()
	if n := h.compressions.Load(); n != 2 {
		t.Fatalf("compressed %d times, want 2 (br and gzip once each)", n)
	}
}

// Precompress leaves the best variants on disk; a handler then serves them
// without compressing, and they are at least as small as its own.
func TestPrecompress(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	big := bigText(300_000)
	writeFile(t, filepath.Join(dir, "big.js"), string(big))
	writeFile(t, filepath.Join(dir, "sub", "big.wasm"), string(big))
	writeFile(t, filepath.Join(dir, "small.js"), "tiny")
	root := openRoot(t, dir)

	fresh := serve(t, New(root.FS(), Options{}))
	_, quick := do(t, "GET", fresh.URL+"/big.js", "Accept-Encoding: br")

	var log bytes.Buffer
	if err := Precompress(root.FS(), cache, &log); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(log.String(), "\n"); n != 4 {
		t.Errorf("progress lines: %d, want 4 (two files, two encodings):\n%s", n, log.String())
	}
	h := New(root.FS(), Options{CacheDir: cache}).(*handler)
	srv := serve(t, h)
	for _, path := range []string{"/big.js", "/sub/big.wasm"} {
		for _, enc := range []string{"br", "gzip"} {
			resp, body := do(t, "GET", srv.URL+path, "Accept-Encoding: "+enc)
			if resp.Header.Get("Content-Encoding") != enc || !bytes.Equal(decode(t, enc, body), big) {
				t.Errorf("%s %s: bad response", path, enc)
			}
			if enc == "br" && len(body) > len(quick) {
				t.Errorf("%s: best brotli %d bytes, bigger than quality %d's %d", path, len(body), brotliQuality, len(quick))
			}
		}
	}
	if n := h.compressions.Load(); n != 0 {
		t.Errorf("the handler compressed %d times after Precompress, want 0", n)
	}
	log.Reset()
	if err := Precompress(root.FS(), cache, &log); err != nil || log.Len() != 0 {
		t.Errorf("a second Precompress redid work: %q, %v", log.String(), err)
	}
}

// Dotfiles and dot-folders are 404, however the path spells the dot, but
// for .well-known/; ServeDotfiles serves them.
func TestDotfiles(t *testing.T) {
	www := t.TempDir()
	files := map[string]string{
		".env": "SECRET=1", ".git/config": "[core]", "app/.secret": "token", "app/.cache/x/y.txt": "cached",
		".well-known/security.txt": "Contact: mailto:someone@example.org", "index.html": "root index", "app/main.py": "print(1)",
	}
	for name, content := range files {
		writeFile(t, filepath.Join(www, filepath.FromSlash(name)), content)
	}
	hiding := serve(t, New(openRoot(t, www).FS(), Options{}))
	serving := serve(t, New(openRoot(t, www).FS(), Options{ServeDotfiles: true}))
	for target, name := range map[string]string{
		"/.env": ".env", "/.git/config": ".git/config", "/app/.secret": "app/.secret", "/app/.cache/x/y.txt": "app/.cache/x/y.txt",
		"/%2egit/config": ".git/config", "/%2Eenv": ".env", "/app/%2esecret": "app/.secret", "/.git/": "", "/.git": "",
	} {
		if status, body := rawGet(t, hiding, target); status != http.StatusNotFound || strings.Contains(body, "SECRET") || strings.Contains(body, "[core]") {
			t.Errorf("GET %s: %d %q, want 404", target, status, body)
		}
		if name == "" || strings.Contains(target, "%") {
			continue
		}
		if status, body := rawGet(t, serving, target); status != http.StatusOK || body != files[name] {
			t.Errorf("GET %s with ServeDotfiles: %d %q, want 200 %q", target, status, body, files[name])
		}
	}
	for target, name := range map[string]string{"/.well-known/security.txt": ".well-known/security.txt", "/": "index.html", "/app/main.py": "app/main.py"} {
		if status, body := rawGet(t, hiding, target); status != http.StatusOK || body != files[name] {
			t.Errorf("GET %s: %d %q, want 200 %q", target, status, body, files[name])
		}
	}
}
