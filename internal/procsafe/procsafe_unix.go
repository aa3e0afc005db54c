//go:build unix && !linux

package procsafe

import (
	"fmt"
	"syscall"
)

// DisableCoreDumps sets RLIMIT_CORE to 0, soft and hard. Unlike on Linux, the process
// stays attachable by a debugger of the same user: the standard library offers no
// portable way to refuse that here.
func DisableCoreDumps() error {
	if err := syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{Cur: 0, Max: 0}); err != nil {
		return fmt.Errorf("procsafe: setting RLIMIT_CORE to 0: %w", err)
	}
	return nil
}
