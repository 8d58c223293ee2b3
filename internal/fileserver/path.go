package fileserver

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// CleanPath turns a URL path into an fs.FS path (as fs.ValidPath wants) or returns an error saying what is wrong with it.
//
// The leading slash is optional (http.StripPrefix may or may not leave one)
// and one trailing slash is dropped, so "/", "" and "/dir/" give "." and
// "dir". It does not clean: a path that is not already clean ("a//b",
// "a/./b", "a/../b") is refused rather than reinterpreted. It also refuses
// NUL bytes, backslashes, absolute paths ("//x", "c:/x") and percent escapes
// of '.', '/', '\' or NUL left in the decoded path (double encoding).
func CleanPath(urlPath string) (string, error) {
	p := strings.TrimPrefix(urlPath, "/")
	if p == "" {
		return ".", nil
	}
	if strings.HasPrefix(p, "/") {
		return "", errors.New("absolute path (starts with //)")
	}
	p = strings.TrimSuffix(p, "/")
	if strings.IndexByte(p, 0) >= 0 {
		return "", errors.New("NUL byte in path")
	}
	if strings.IndexByte(p, '\\') >= 0 {
		return "", errors.New(`backslash in path`)
	}
	if err := checkEscapes(p); err != nil {
		return "", err
	}
	for i, elem := range strings.Split(p, "/") {
		switch elem {
		case "":
			return "", errors.New("empty path element (//)")
		case ".", "..":
			return "", fmt.Errorf("%q path element", elem)
		}
		if i == 0 && len(elem) == 2 && elem[1] == ':' && isLetter(elem[0]) {
			return "", errors.New("absolute path (drive letter)")
		}
	}
	if !fs.ValidPath(p) { // already implied by the checks above; kept as the final word
		return "", errors.New("invalid path")
	}
	return p, nil
}

// checkEscapes refuses percent escapes of '.', '/', '\' and NUL. Run on the
// raw (escaped) request path, it catches encoded separators ("..%2f") that
// decoding would otherwise hide; run on the decoded path, it catches double
// encoding ("%252e%252e" decodes to "%2e%2e").
func checkEscapes(s string) error {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			continue
		}
		switch c := hi<<4 | lo; c {
		case '/', '\\', 0:
			return fmt.Errorf("escaped %q in path", rune(c))
		case '.':
			// Harmless in the raw path ("%2e%2e" decodes to a ".." that
			// CleanPath refuses), but never needed: refuse it too.
			return errors.New(`escaped "." in path`)
		}
	}
	return nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func isLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
