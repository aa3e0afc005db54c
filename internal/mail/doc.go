// Package mail is Candor's outgoing mail: every message, transactional or campaign, is
// a row in the outbox (a per-recipient ledger) before it is sent, written in the same
// transaction as the change that causes it. Workers claim rows, send them through the
// configured relay and mark them; a crash repeats at most the messages in flight.
//
// Invariants:
//   - A transactional message's recipient and content are sealed at rest; a campaign
//     message stores only campaign and subscriber ids and is rendered at send time.
//   - Nothing from a message (recipient, subject, body) is ever logged; errors record the
//     SMTP stage, code and class only (SendError), never the server's text.
//   - A row is sent only while claimed ('sending' under a lease). Claims never overlap
//     (FOR UPDATE SKIP LOCKED on PostgreSQL, the single writer on SQLite). Claims name
//     their instance, which renews a heartbeat every Options.Heartbeat; claims of an
//     expired lease, of an instance silent for StaleAfter heartbeats, or of a restarted
//     instance's previous incarnation are reclaimed, so a killed worker loses nothing;
//     a sender waits until its sent message is recorded, so a crash repeats at most one
//     message per sender;
//     a row is not started when its lease is too short to finish, and settling a row
//     checks the lease, so a stale worker cannot requeue a row another one holds.
//   - Campaign rows are claimed only while their campaign is 'sending' (pause and cancel
//     stop it at the next claim); a campaign becomes 'sent', with finished_at, when none
//     of its rows is queued or sending.
//   - 4xx, network and connection failures are retried with exponential backoff and
//     jitter, then dead DeadAfter (72 h) after the first failure; 5xx is final, and a
//     mailbox 5xx (hard bounce) suppresses the address by its blind index.
//   - Without a relay nothing is sent: messages wait in the outbox, readable by staff
//     with the mail.outbox permission, marked as not sent.
//
// Wiring, in `candor serve` (see docs/mail.md):
//
//	var sender mail.Sender // stays nil without --smtp: nothing is sent
//	if cfg.SMTP != nil {
//		o, err := smtp.OptionsFromConfig(cfg)
//		if err != nil {
//			return err
//		}
//		relay, err := smtp.New(o)
//		if err != nil {
//			return err
//		}
//		defer relay.Close()
//		sender = relay
//	}
//	var campaigns *newsletter.Campaigns // built below; the closure breaks the cycle
//	mailer := mail.NewService(mail.Options{
//		Store: sqldb.MailStore{DB: db}, Sealer: sealer, Sender: sender, Rate: cfg.SMTPRate, Log: log,
//		Renderer: mail.RendererFunc(func(ctx context.Context, c, s int64) (pii.Email, mail.Content, error) {
//			return campaigns.RenderMessage(ctx, c, s)
//		}),
//	})
//	news := newsletter.NewService(sqldb.NewsletterStore{DB: db}, sealer, audit, mailer, opts) // mailer is its Notifier
//	campaigns = news.Campaigns(sqldb.NewsletterStore{DB: db})
//	go mailer.Run(ctx) // returns at once without a relay; on ctx end finishes in-flight sends
//
// Queueing, in any domain, inside the domain's own transaction:
//
//	q, err := mail.Compose(sealer, mail.Draft{Purpose: "contact.reply", To: to, Content: c}, domain, now)
//	…
//	err = db.InTx(ctx, func(tx *sqldb.Tx) error {
//		// … the change that causes the mail …
//		_, err := sqldb.InsertOutbox(ctx, tx, q)
//		return err
//	})
//	mailer.Notify() // after the commit
package mail
