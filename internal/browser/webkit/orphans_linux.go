package webkit

import (
	"os/exec"
	"syscall"
)

// diesWithUs has cmd killed when this process dies, even by a signal it
// cannot catch (a test binary's timeout): a MiniBrowser left behind would
// spin its workers on. Xvfb going takes the MiniBrowser with it.
func diesWithUs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
