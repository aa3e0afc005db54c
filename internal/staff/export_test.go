package staff

import "time"

// SetNow replaces the service's clock, so tests can travel in time (lockout expiry,
// session timeouts, TOTP steps). Compiled only into this package's tests.
func SetNow(s *Service, now func() time.Time) { s.now = now }
