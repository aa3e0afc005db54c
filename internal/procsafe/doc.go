// Package procsafe hardens the running process against leaking its memory: keys,
// session tokens and decrypted personal data must not end up in a core file on disk.
//
// DisableCoreDumps is called first thing by `candor serve`. What it does depends on
// the platform:
//
//   - Linux: RLIMIT_CORE is set to 0, soft and hard (so the process cannot raise it
//     again), and prctl(PR_SET_DUMPABLE, 0) marks the process not dumpable, which also
//     stops other processes of the same user from attaching a debugger or reading
//     /proc/PID/mem. Both are attempted even if one fails.
//   - Other Unix systems (macOS, the BSDs, illumos, AIX): RLIMIT_CORE is set to 0, soft
//     and hard. There is no standard-library way to refuse ptrace there.
//   - Windows and the rest: nothing can be done from inside the process (Windows
//     Error Reporting's crash dumps are configured system-wide), so it returns nil.
//
// Invariants: it uses the standard library only; it never raises a limit; calling it
// again is harmless; and its effects are irreversible for the process, by design.
package procsafe
