package payment

import "syscall"

// prSetDumpable is PR_SET_DUMPABLE from <linux/prctl.h>.
const prSetDumpable = 4

// DisableCoreDumps sets the process's core file size limit (RLIMIT_CORE) to zero and
// marks it not dumpable (prctl PR_SET_DUMPABLE 0, which also covers a core_pattern
// that pipes dumps to a helper, and refuses ptrace from other processes of the same
// user), so a crash never writes memory that may hold card digits to disk. main
// should call it at start.
func DisableCoreDumps() error {
	if err := syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{Cur: 0, Max: 0}); err != nil {
		return err
	}
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetDumpable, 0, 0); e != 0 {
		return e
	}
	return nil
}
