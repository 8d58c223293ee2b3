//go:build !linux

package browser

import (
	"errors"
	"time"
)

// treeCPU is measured only on Linux (from /proc).
func treeCPU(root int) (time.Duration, error) {
	return 0, errors.New("a browser's processor time is measured only on Linux")
}
