package mirror

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
)

// LockFile is the name of Pyodide's lock file in its folder.
const LockFile = "pyodide-lock.json"

// Package is what the mirror needs of a lock-file entry.
type Package struct {
	Name     string   `json:"name"`
	Version  string   `json:"version"`
	FileName string   `json:"file_name"`
	SHA256   string   `json:"sha256"`
	Depends  []string `json:"depends"`
	Imports  []string `json:"imports"`
}

// Lock is a Pyodide lock file's packages, by name.
type Lock struct {
	Packages map[string]Package `json:"packages"`
}

// ReadLock reads the lock file of the Pyodide folder fsys.
func ReadLock(fsys fs.FS) (*Lock, error) {
	data, err := fs.ReadFile(fsys, LockFile)
	if err != nil {
		return nil, fmt.Errorf("the Pyodide folder's %s: %w", LockFile, err)
	}
	var lock Lock
	if err := json.Unmarshal(data, &lock); err != nil {
		return nil, fmt.Errorf("%s: %w", LockFile, err)
	}
	for name, pkg := range lock.Packages {
		if !mirrorable(pkg) {
			delete(lock.Packages, name)
		}
	}
	return &lock, nil
}

// mirrorable: a file beside the lock file, checked by a SHA-256. A lock file
// may also name files elsewhere by URL; those are not the mirror's.
func mirrorable(pkg Package) bool {
	return pkg.FileName != "" && !strings.Contains(pkg.FileName, "/") && path.Clean(pkg.FileName) == pkg.FileName &&
		len(pkg.SHA256) == 64 && strings.Trim(strings.ToLower(pkg.SHA256), "0123456789abcdef") == ""
}

// Closure is the packages names ask for with all they depend on, sorted by
// name. A name is a package's ("python-dateutil", any case, _ for -), or
// else a module it provides ("dateutil"); "all" is every package.
func (l *Lock) Closure(names []string) ([]Package, error) {
	want := map[string]bool{}
	var missing []string
	var add func(name string)
	add = func(name string) {
		if want[name] {
			return
		}
		want[name] = true
		for _, dep := range l.Packages[name].Depends {
			if found, ok := l.find(dep); ok {
				add(found)
			}
		}
	}
	for _, name := range names {
		if name == "all" {
			for name := range l.Packages {
				add(name)
			}
			continue
		}
		found, ok := l.find(name)
		if !ok {
			missing = append(missing, name)
			continue
		}
		add(found)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no package %s in Pyodide's lock file (%d packages; \"all\" names them all)", strings.Join(missing, ", "), len(l.Packages))
	}
	var out []Package
	for _, name := range slices.Sorted(maps.Keys(want)) {
		out = append(out, l.Packages[name])
	}
	return out, nil
}

// Provider is the lock-file name of the package that provides module, if any.
func (l *Lock) Provider(module string) (string, bool) {
	for _, key := range slices.Sorted(maps.Keys(l.Packages)) {
		if slices.Contains(l.Packages[key].Imports, module) {
			return key, true
		}
	}
	return "", false
}

// find is the lock-file name of the package that name means.
func (l *Lock) find(name string) (string, bool) {
	norm := normalize(name)
	for key := range l.Packages {
		if normalize(key) == norm {
			return key, true
		}
	}
	return l.Provider(name)
}

func normalize(name string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "_", "-")
}
