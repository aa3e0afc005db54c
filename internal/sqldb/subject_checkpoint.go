package sqldb

import "context"

// Compact makes erased data leave the database files, as far as the dialect allows
// (see (*DB).Compact).
func (s SubjectStore) Compact(ctx context.Context) error { return s.DB.Compact(ctx) }
