package static

import (
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
)

var (
	// An import statement at the start of a line: `import a.b as c, d` or `from a.b import c`.
	importLine = regexp.MustCompile(`(?m)^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b|import[ \t]+([^#\n;]+))`)
	// The Python of PyScript's tags in a page: <script type="py" ...>…</script>, <py-script>…</py-script>.
	pythonTag = regexp.MustCompile(`(?is)<script\b[^>]*\btype\s*=\s*["']?(?:py|mpy|pyodide|micropython|py-worker|mpy-worker)["'\s>][^>]*>(.*?)</script>|<(?:py|mpy)-script\b[^>]*>(.*?)</(?:py|mpy)-script>`)
)

// Imports are the top-level modules the app's Python imports: in its .py
// files and in the Python tags of its pages, sorted. It reads statements
// at the start of a line, as written; a module named only in a string
// (importlib) is not found, and a name in an `if` that never runs is.
func Imports(app fs.FS) ([]string, error) {
	found := map[string]bool{}
	err := fs.WalkDir(app, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var sources []string
		switch {
		case strings.HasSuffix(name, ".py"):
			data, err := fs.ReadFile(app, name)
			if err != nil {
				return err
			}
			sources = []string{string(data)}
		case strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".htm"):
			data, err := fs.ReadFile(app, name)
			if err != nil {
				return err
			}
			for _, m := range pythonTag.FindAllStringSubmatch(string(data), -1) {
				sources = append(sources, m[1]+m[2])
			}
		}
		for _, source := range sources {
			for _, module := range ModulesImported(source) {
				found[module] = true
			}
		}
		return nil
	})
	return slices.Sorted(maps.Keys(found)), err
}

// ModulesImported are the top-level modules source's import statements name.
func ModulesImported(source string) []string {
	var out []string
	for _, m := range importLine.FindAllStringSubmatch(source, -1) {
		if m[1] != "" {
			out = append(out, strings.Split(m[1], ".")[0])
			continue
		}
		for _, part := range strings.Split(m[2], ",") {
			fields := strings.Fields(strings.Trim(part, " \t()\\"))
			if len(fields) > 0 && fields[0] != "" && !strings.HasPrefix(fields[0], ".") {
				out = append(out, strings.Split(fields[0], ".")[0])
			}
		}
	}
	return out
}
