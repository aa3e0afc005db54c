//go:build unix && !linux

package payment

import "syscall"

// DisableCoreDumps sets the process's core file size limit (RLIMIT_CORE) to zero, so
// a crash never writes memory that may hold card digits to disk. main should call it
// at start.
func DisableCoreDumps() error {
	return syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{Cur: 0, Max: 0})
}
