package contact

import "time"

// SetClock replaces the service's clock (tests only).
func (s *Service) SetClock(now func() time.Time) { s.now = now }
