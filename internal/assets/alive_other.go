//go:build !unix

package assets

import "os"

// processAlive reports whether a process with this pid may exist. Where
// that cannot be told (FindProcess always succeeds), it answers true and
// stale folders go by age instead.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
