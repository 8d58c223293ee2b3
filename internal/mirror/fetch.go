package mirror

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// fetchers is how many files Fetch fetches at once.
const fetchers = 4

// Fetch gets the packages names ask for and all they depend on (see
// Lock.Closure) into the store ahead of time, for offline use, with the
// checks of a request; progress, if not nil, gets a line for each. It
// returns every failure, not only the first.
func (m *Mirror) Fetch(ctx context.Context, names []string, progress io.Writer) error {
	pkgs, err := m.lock.Closure(names)
	if err != nil {
		return err
	}
	var (
		mu     sync.Mutex
		errs   []error
		done   int
		wg     sync.WaitGroup
		queue  = make(chan Package)
		report = func(pkg Package, err error) {
			mu.Lock()
			defer mu.Unlock()
			done++
			if err != nil {
				errs = append(errs, err)
			} else if progress != nil {
				fmt.Fprintf(progress, "[%d/%d] %s %s: %s\n", done, len(pkgs), pkg.Name, pkg.Version, pkg.FileName)
			}
		}
	)
	for range fetchers {
		wg.Go(func() {
			for pkg := range queue {
				report(pkg, m.Get(ctx, pkg))
			}
		})
	}
	for _, pkg := range pkgs {
		queue <- pkg
	}
	close(queue)
	wg.Wait()
	return errors.Join(errs...)
}
