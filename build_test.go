package pyworker

import (
	"slices"
	"testing"

	"github.com/pyworker/pyworker/internal/mirror"
)

// A build takes the lock-file packages of the modules the app imports (by
// module, not package name) and those asked for, with what they depend on;
// the standard library's and the app's own modules are no package.
func TestPackagesFor(t *testing.T) {
	lock := &mirror.Lock{Packages: map[string]mirror.Package{
		"pyyaml":     {Name: "pyyaml", Imports: []string{"yaml"}},
		"matplotlib": {Name: "matplotlib", Imports: []string{"matplotlib", "pylab"}, Depends: []string{"numpy"}},
		"numpy":      {Name: "numpy", Imports: []string{"numpy"}},
		"regex":      {Name: "regex", Imports: []string{"regex"}},
	}}
	var names []string
	pkgs, err := packagesFor(lock, []string{"json", "yaml", "pylab", "my_module"}, []string{"Regex"})
	for _, p := range pkgs {
		names = append(names, p.Name)
	}
	if want := []string{"matplotlib", "numpy", "pyyaml", "regex"}; err != nil || !slices.Equal(names, want) {
		t.Errorf("got %v, %v; want %v", names, err, want)
	}
	if _, err := packagesFor(lock, nil, []string{"nonesuch"}); err == nil {
		t.Error("an unknown package asked for was not refused")
	}
}
