package runtime

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// mayImport says, for each folder of src/, the folders its files may import
// from: each side keeps the other's code out of its bundle.
var mayImport = map[string][]string{
	"page":   {"page", "shared"},
	"worker": {"worker", "shared"},
	"shared": {"shared"},
	"sw":     {"sw", "shared"},
}

// importPattern finds the module named by `import ... from`, `import type ...
// from`, `export ... from`, `import "..."` and `import("...")` with a literal.
var importPattern = regexp.MustCompile(`\b(?:from|import)\s*\(?\s*["']([^"']+)["']`)

// layoutErrors checks src/'s import rule over files (name relative to src/,
// such as "page/tags.ts" → source): one message for each relative import
// that crosses into a folder its file's folder may not import from, and for
// each file outside the four folders. Imports leaving src/ (python.ts's .py
// files) are not checked.
func layoutErrors(files map[string]string) []string {
	var errs []string
	for name, source := range files {
		folder, _, ok := strings.Cut(name, "/")
		allowed, known := mayImport[folder]
		if !ok || !known {
			errs = append(errs, fmt.Sprintf("%s: not in page/, worker/, shared/ or sw/", name))
			continue
		}
		for _, m := range importPattern.FindAllStringSubmatch(source, -1) {
			spec := m[1]
			if !strings.HasPrefix(spec, ".") {
				continue // a URL or a package, not one of src/'s files
			}
			target := path.Join(path.Dir(name), spec)
			if strings.HasPrefix(target, "../") {
				continue
			}
			to, _, _ := strings.Cut(target, "/")
			if !slices.Contains(allowed, to) {
				errs = append(errs, fmt.Sprintf("%s imports %q (in %s/): %s/ may import only from %s/", name, spec, to, folder, strings.Join(allowed, "/, ")))
			}
		}
	}
	slices.Sort(errs)
	return errs
}

// TestLayout holds src/ to the import rule of its folders (see their
// README.md files), and shows first that the check finds each kind of crossing.
func TestLayout(t *testing.T) {
	madeUp := map[string]string{
		"page/a.ts":   `import { w } from "../worker/w";`,
		"shared/s.ts": "import {\n  a,\n} from \"../page/a\";",
		"worker/w.ts": `import type { A } from "../page/a"; export { s } from "../shared/s";`,
		"sw/x.ts":     `const { w } = await import("../worker/w");`,
		"loose.ts":    `export {};`,
		"page/ok.ts":  `import "./a"; export * from "../shared/s"; import p from "../../python/p.py"; import(url + "x.mjs");`,
	}
	want := []string{
		`loose.ts: not in page/, worker/, shared/ or sw/`,
		`page/a.ts imports "../worker/w" (in worker/): page/ may import only from page/, shared/`,
		`shared/s.ts imports "../page/a" (in page/): shared/ may import only from shared/`,
		`sw/x.ts imports "../worker/w" (in worker/): sw/ may import only from sw/, shared/`,
		`worker/w.ts imports "../page/a" (in page/): worker/ may import only from worker/, shared/`,
	}
	if got := layoutErrors(madeUp); !slices.Equal(got, want) {
		t.Fatalf("the check over a made-up src/ found\n%s\nnot\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	files := map[string]string{}
	err := fs.WalkDir(os.DirFS("src"), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".ts") {
			return err
		}
		data, err := fs.ReadFile(os.DirFS("src"), name)
		files[name] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("found only %d .ts files in src/", len(files))
	}
	for _, e := range layoutErrors(files) {
		t.Error(e)
	}
}
