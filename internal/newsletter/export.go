package newsletter

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/csvsafe"
	"github.com/candor-dev/candor/internal/staff"
)

// ExportHeader is the header line of a subscriber export. ParseImport reads such a file
// back (as the plain format: email, name and status are used).
var ExportHeader = []string{"email", "name", "status", "lists", "consent_source", "consent_text_hash", "signed_up", "confirmed"}

func exportTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// ExportSubscribers writes the subscribers matching q (paging ignored) as CSV to w and
// returns how many. The export is audited (count and filters, never an address) before
// the first byte is written, so a failed audit write exports nothing.
func (s *Service) ExportSubscribers(ctx context.Context, actor staff.Principal, q SubscriberQuery, w io.Writer) (int, error) {
	if err := actor.Require(staff.ManageSubscribers); err != nil {
		return 0, err
	}
	st := s.store
	q = q.Normalize()
	n, err := st.CountSubscribers(ctx, q)
	if err != nil {
		return 0, err
	}
	lists, err := s.listIndex(ctx)
	if err != nil {
		return 0, err
	}
	if err := s.audit.Record(ctx, actor.Name, "subscriber.export", "", "count", strconv.Itoa(n),
		"status", string(q.Status), "list", strconv.FormatInt(q.ListID, 10)); err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportHeader); err != nil {
		return 0, err
	}
	written := 0
	err = st.EachSubscriber(ctx, q, func(r Record, listIDs []int64) error {
		sub, err := s.openRecord(r, listIDs, lists)
		if err != nil {
			return err
		}
		slugs := make([]string, len(sub.Lists))
		for i, l := range sub.Lists {
			slugs[i] = l.Slug
		}
		written++
		return cw.Write([]string{
			csvsafe.Cell(sub.Email.Reveal()), csvsafe.Cell(sub.Name), string(sub.Status), csvsafe.Cell(strings.Join(slugs, " ")),
			csvsafe.Cell(sub.ConsentSource), csvsafe.Cell(r.ConsentTextHash), exportTime(sub.CreatedAt), exportTime(sub.ConfirmedAt),
		})
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return written, err
}
