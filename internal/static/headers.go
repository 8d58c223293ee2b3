package static

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"strings"
)

// WithHeaders applies a `_headers` file to h's responses as Netlify and
// Cloudflare Pages do: each rule's headers on every path it matches (a
// trailing * matches the rest of the path). It shows a build as those hosts
// will serve it.
func WithHeaders(headersFile []byte, h http.Handler) (http.Handler, error) {
	type rule struct {
		pattern string
		headers [][2]string
	}
	var rules []rule
	lines := bufio.NewScanner(bytes.NewReader(headersFile))
	for n := 1; lines.Scan(); n++ {
		line := lines.Text()
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
		case line[0] != ' ' && line[0] != '\t':
			rules = append(rules, rule{pattern: strings.TrimSpace(line)})
		case len(rules) > 0:
			name, value, ok := strings.Cut(strings.TrimSpace(line), ":")
			if !ok {
				return nil, fmt.Errorf("_headers, line %d: %q is not a header", n, line)
			}
			rules[len(rules)-1].headers = append(rules[len(rules)-1].headers, [2]string{name, strings.TrimSpace(value)})
		default:
			return nil, fmt.Errorf("_headers, line %d: a header before any path", n)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, rule := range rules {
			prefix, splat := strings.CutSuffix(rule.pattern, "*")
			if r.URL.Path == rule.pattern || (splat && strings.HasPrefix(r.URL.Path, prefix)) {
				for _, header := range rule.headers {
					w.Header().Set(header[0], header[1])
				}
			}
		}
		h.ServeHTTP(w, r)
	}), nil
}
