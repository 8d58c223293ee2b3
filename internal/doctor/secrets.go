package doctor

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// exposedFix says how to stop publishing dotfiles on the common hosts.
const exposedFix = "publish the output of pyworker build, which leaves dotfiles out, rather than a working folder " +
	"(Netlify, Cloudflare Pages: set the publish folder to it; GitHub Pages: upload it with actions/upload-pages-artifact); " +
	"on your own server, refuse dot-paths but .well-known: nginx `location ~ /\\.(?!well-known/) { return 404; }`, " +
	"Apache `RedirectMatch 404 /\\.(?!well-known/)`, Caddy `file_server { hide .* }`; then rotate every secret the file held"

// secret is a dotfile that a deployment must not publish, and how to tell
// it from a page a host answers every path with.
type secret struct {
	path  string
	looks func(body []byte) bool
}

var secrets = []secret{
	// A repository's config: its remotes, and a sign that .git/objects (the whole history) is there too.
	{".git/config", func(body []byte) bool { return bytes.Contains(body, []byte("[core]")) }},
	// An environment file: anything but a page.
	{".env", func(body []byte) bool { return !isHTML(body) }},
}

func isHTML(body []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(body), []byte("<"))
}

// checkSecrets asks for each secret beside the page, and at the site's root
// when the page is below it, and reports an error for each one served.
func (c *checker) checkSecrets(page *url.URL) {
	bases := []*url.URL{page.ResolveReference(&url.URL{Path: "./"})}
	if root := page.ResolveReference(&url.URL{Path: "/"}); root.String() != bases[0].String() {
		bases = append(bases, root)
	}
	var asked []string
	exposed := false
	for _, base := range bases {
		for _, s := range secrets {
			u := base.ResolveReference(&url.URL{Path: s.path})
			asked = append(asked, u.Path)
			if body, ok := c.fetchQuietly(u); ok && len(body) > 0 && s.looks(body) {
				exposed = true
				c.report.add(Error, fmt.Sprintf("%s is published (%d bytes): anyone can read it", u, len(body)), exposedFix)
			}
		}
	}
	if !exposed {
		c.report.add(OK, fmt.Sprintf("no dotfile is published (%s)", strings.Join(asked, ", ")), "")
	}
}

// fetchQuietly gets u and returns its body when it answers 200; what goes
// wrong is no finding of its own (a secret not found is what is wanted).
func (c *checker) fetchQuietly(u *url.URL) ([]byte, bool) {
	req, err := http.NewRequestWithContext(c.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, false
	}
	res, err := c.client.Do(req)
	if err != nil {
		return nil, false
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return body, err == nil && res.StatusCode == http.StatusOK
}
