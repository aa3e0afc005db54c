//go:build !unix

package payment

// DisableCoreDumps does nothing on systems without RLIMIT_CORE.
func DisableCoreDumps() error { return nil }
