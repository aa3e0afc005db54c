package sqldb

import (
	"context"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/staff"
)

// SealedColumn is a column that holds sealed personal data or secrets, with the context
// its values are sealed under. Re-sealing after a key rotation walks this list, and the
// canary tests allow a test value to appear only inside these columns.
type SealedColumn struct {
	Table, Key, Column, Context string
}

// SealedColumns lists every sealed column; a migration adding one must add it here.
var SealedColumns = []SealedColumn{
	{"staff", "id", "email_sealed", staff.SealEmail},
	{"staff", "id", "totp_sealed", staff.SealTOTP},
	{"staff", "id", "totp_pending_sealed", staff.SealTOTP},
	{"staff", "id", "display_name_sealed", staff.SealName},
	{"subscribers", "id", "email_sealed", newsletter.SealEmail},
	{"subscribers", "id", "name_sealed", newsletter.SealName},
	{"signup_intake", "id", "payload_sealed", newsletter.SealIntake},
	{"contact_conversations", "id", "email_sealed", contact.SealEmail},
	{"contact_conversations", "id", "name_sealed", contact.SealName},
	{"contact_conversations", "id", "subject_sealed", contact.SealSubject},
	{"contact_messages", "id", "body_sealed", contact.SealBody},
	{"shop_orders", "id", "email_sealed", shop.SealEmail},
	{"shop_orders", "id", "name_sealed", shop.SealName},
	{"mail_outbox", "id", "to_sealed", mail.SealTo},
	{"mail_outbox", "id", "content_sealed", mail.SealContent},
	{"data_requests", "id", "email_sealed", privacy.SealRequestEmail},
}

// Resealer re-encrypts a sealed value under the newest key (pii.Sealer).
type Resealer interface {
	NeedsReseal(sealed string) bool
	Reseal(context, sealed string) (string, error)
}

// Reseal re-encrypts every sealed value not under the newest key, in transactions of up
// to 500 rows, and returns how many it changed. Rows written meanwhile already use the
// newest key, so it is safe to run while Candor serves.
func (db *DB) Reseal(ctx context.Context, r Resealer) (int, error) {
	total := 0
	for _, c := range SealedColumns {
		for {
			n, err := db.resealBatch(ctx, r, c)
			total += n
			if err != nil {
				return total, err
			}
			if n == 0 {
				break
			}
		}
	}
	return total, nil
}

// resealBatch reseals up to 500 stale values of one column. Its two statements are
// outside queries/ (as is columnValuesSQL; doc.go): they name the table and columns of
// c, which come from SealedColumns, a list in code (identifiers cannot be bound
// arguments).
func (db *DB) resealBatch(ctx context.Context, r Resealer, c SealedColumn) (int, error) {
	type row struct {
		key    int64
		sealed string
	}
	var stale []row
	rows, err := db.Query(ctx, "SELECT "+c.Key+", "+c.Column+" FROM "+c.Table+" WHERE "+c.Column+" IS NOT NULL AND "+c.Column+" <> '' ORDER BY "+c.Key)
	if err != nil {
		return 0, err
	}
	for rows.Next() && len(stale) < 500 {
		var x row
		if err := rows.Scan(&x.key, &x.sealed); err != nil {
			rows.Close()
			return 0, translate(err)
		}
		if r.NeedsReseal(x.sealed) {
			stale = append(stale, x)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, translate(err)
	}
	err = db.InTx(ctx, func(tx *Tx) error {
		for _, x := range stale {
			fresh, err := r.Reseal(c.Context, x.sealed)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "UPDATE "+c.Table+" SET "+c.Column+" = ? WHERE "+c.Key+" = ? AND "+c.Column+" = ?", fresh, x.key, x.sealed); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(stale), nil
}
