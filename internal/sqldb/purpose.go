package sqldb

import (
	"context"
	"slices"
)

// HeldElsewhere returns which of the given blind indexes a contact conversation
// (contactIdx) or an order (orderIdx) uses: newsletter purpose limitation.
func (s NewsletterStore) HeldElsewhere(ctx context.Context, contactIdx, orderIdx []string) (map[string]bool, error) {
	found := map[string]bool{}
	for _, q := range []struct {
		query string
		idx   []string
	}{{query("contact-indexes-held"), contactIdx}, {query("order-indexes-held"), orderIdx}} {
		for chunk := range slices.Chunk(q.idx, inListBatch) {
			args := make([]any, len(chunk))
			for i, x := range chunk {
				args[i] = x
			}
			rows, err := s.DB.Query(ctx, list(q.query, "idx", len(chunk)), args...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var x string
				if err := rows.Scan(&x); err != nil {
					rows.Close()
					return nil, translate(err)
				}
				found[x] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, translate(err)
			}
		}
	}
	return found, nil
}
