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
		table string
		idx   []string
	}{{"contact_conversations", contactIdx}, {"shop_orders", orderIdx}} {
		for chunk := range slices.Chunk(q.idx, 500) {
			args := make([]any, len(chunk))
			for i, x := range chunk {
				args[i] = x
			}
			rows, err := s.DB.Query(ctx, "SELECT DISTINCT email_index FROM "+q.table+" WHERE email_index IN ("+placeholders(len(chunk))+")", args...)
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
