//go:build !unix

package procsafe

// DisableCoreDumps does nothing and returns nil: on Windows, crash dumps are written
// by Windows Error Reporting as configured system-wide (the LocalDumps registry key),
// and a Go program writes none unless GOTRACEBACK=crash asks for it; on Plan 9,
// WebAssembly and other platforms there is no core file to prevent.
func DisableCoreDumps() error { return nil }
