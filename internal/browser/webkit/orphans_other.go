//go:build !linux

package webkit

import "os/exec"

// diesWithUs does nothing where the kernel cannot kill a child with its parent.
func diesWithUs(*exec.Cmd) {}
