package fileserver

import (
	"io/fs"
	"strings"
	"testing"
)

func TestCleanPath(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" means an error is expected
	}{
		{"/", "."},
		{"", "."},
		{"/index.html", "index.html"},
		{"index.html", "index.html"},
		{"/a/b/c.js", "a/b/c.js"},
		{"/a/b/", "a/b"},
		{"/pyodide.asm.wasm", "pyodide.asm.wasm"},
		{"/.well-known/x", ".well-known/x"},
		{"/a..b", "a..b"},
		{"/...", "..."},
		{"/100%", "100%"},
		{"/a%zz", "a%zz"},
		{"/a%41", "a%41"},

		{"/..", ""},
		{"/../etc/passwd", ""},
		{"/a/../../etc/passwd", ""},
		{"/a/..", ""},
		{"/a/../b", ""},
		{"/.", ""},
		{"/./a", ""},
		{"/a/./b", ""},
		{"//", ""},
		{"//etc/passwd", ""},
		{"/a//b", ""},
		{"/a//", ""},
		{"/c:/windows/win.ini", ""},
		{"/C:", ""},
		{"/a\x00.js", ""},
		{"/\x00", ""},
		{`/..\..\etc\passwd`, ""},
		{`/a\b`, ""},
		{"/%2e%2e/etc/passwd", ""},
		{"/%2E%2E/etc/passwd", ""},
		{"/a%2fb", ""},
		{"/a%2Fb", ""},
		{"/a%5cb", ""},
		{"/a%00b", ""},
		{"/%2e", ""},
	}
	for _, tt := range tests {
		got, err := CleanPath(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("CleanPath(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CleanPath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{
		"/", "", "/index.html", "a/b/", "/..", "/../x", "/a/../../b", "//x",
		"/a//b", "/./a", "/a\x00", `/a\..\b`, "/%2e%2e/x", "/%252e%252e/x",
		"/a%2fb", "/c:/x", "/.../x", "/a/b/c/d.wasm", "/.hidden/", "/%", "/%2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := CleanPath(in)
		if err != nil {
			return
		}
		if !fs.ValidPath(p) {
			t.Fatalf("CleanPath(%q) = %q: not fs.ValidPath", in, p)
		}
		for _, elem := range strings.Split(p, "/") {
			if elem == ".." {
				t.Fatalf("CleanPath(%q) = %q: has a .. element", in, p)
			}
		}
		if strings.ContainsAny(p, "\x00\\") {
			t.Fatalf("CleanPath(%q) = %q: has a NUL or backslash", in, p)
		}
		if checkEscapes(p) != nil {
			t.Fatalf("CleanPath(%q) = %q: has an escaped separator or dot", in, p)
		}
	})
}
