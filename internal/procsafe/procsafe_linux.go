//go:build linux

package procsafe

import (
	"errors"
	"fmt"
	"syscall"
)

// prctl options from <linux/prctl.h>; package syscall does not name them.
const (
	prGetDumpable = 3
	prSetDumpable = 4
)

// DisableCoreDumps sets RLIMIT_CORE to 0 (soft and hard) and marks the process not
// dumpable with prctl(PR_SET_DUMPABLE, 0). It attempts both and returns the failures
// joined, or nil.
func DisableCoreDumps() error {
	var errs []error
	if err := syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{Cur: 0, Max: 0}); err != nil {
		errs = append(errs, fmt.Errorf("procsafe: setting RLIMIT_CORE to 0: %w", err))
	}
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetDumpable, 0, 0); errno != 0 {
		errs = append(errs, fmt.Errorf("procsafe: prctl(PR_SET_DUMPABLE, 0): %w", errno))
	}
	return errors.Join(errs...)
}

// dumpable returns prctl(PR_GET_DUMPABLE): 0 when the process is not dumpable.
func dumpable() (int, error) {
	r, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prGetDumpable, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}
