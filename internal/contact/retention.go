package contact

import (
	"context"
	"time"
)

// Purge hard-deletes, with their messages, the conversations kept longer than their
// folder's retention, counted from the last folder change: spam after RetentionSpam,
// "needs review" after RetentionReview, closed after RetentionClosed. New, open and
// waiting conversations are kept until someone closes them. It returns how many it
// deleted; a periodic job of `candor serve` runs it.
func (s *Service) Purge(ctx context.Context) (int64, error) {
	now := s.now().UTC()
	var total int64
	for folder, keep := range map[Folder]time.Duration{
		Spam: s.opts.RetentionSpam, Review: s.opts.RetentionReview, Closed: s.opts.RetentionClosed,
	} {
		n, err := s.store.Purge(ctx, folder, now.Add(-keep))
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
