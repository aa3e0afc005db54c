package promises

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/staff"
)

// Ledger keeps the last result of each check (sqldb.PromiseStore): the Promises page
// reads it, and the daily run compares with it to see which checks turned red.
type Ledger interface {
	LastResults(ctx context.Context) ([]Result, error)
	SaveResults(ctx context.Context, rs []Result) error
}

// OwnerMail queues one mail to every active owner: compose gets the owner's sealed
// address (staff.SealEmail) and returns the sealed outbox row. It returns how many it
// queued.
type OwnerMail interface {
	QueueToOwners(ctx context.Context, compose func(emailSealed string) (mail.Queued, error)) (int, error)
}

// Daily is the daily run of `candor serve`: every check, the results kept, and a mail
// with a link (never a detail) to the owners when a check turns red. The Promises
// page's button runs it too (RunNow): one Daily serves both, and runs one at a time.
type Daily struct {
	Inputs     func() Inputs // the inputs of one run, read afresh
	Ledger     Ledger
	Owners     OwnerMail
	Sealer     mail.Sealer
	PublicURL  string // without a trailing slash
	MailDomain string
	Notify     func()       // wakes the mail worker after the owners' mail is queued (nil: none)
	Log        *slog.Logger // one line a run: counts and the ids of red checks (nil: none)
	Audit      Recorder     // records a run asked for on the page (nil: not recorded)

	mu sync.Mutex // one run at a time: two at once could both mail the owners
}

// Run runs every check, stores the results, queues the owners' mail when a check that
// was ok (or never ran) is now red, and returns the report and how many mails it queued.
// A run waits for the one under way, if any, to end.
func (d *Daily) Run(ctx context.Context) (Report, int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	rep, n, err := d.run(ctx)
	if n > 0 && d.Notify != nil {
		d.Notify()
	}
	d.logRun(rep, n)
	return rep, n, err
}

func (d *Daily) run(ctx context.Context) (Report, int, error) {
	before, err := d.Ledger.LastResults(ctx)
	if err != nil {
		return Report{}, 0, err
	}
	rep := Run(ctx, d.Inputs())
	if err := d.Ledger.SaveResults(ctx, rep.Results); err != nil {
		return rep, 0, err
	}
	wasRed := map[string]bool{}
	for _, r := range before {
		wasRed[r.ID] = r.Red()
	}
	var turned []string
	for _, r := range rep.Red() {
		if !wasRed[r.ID] {
			turned = append(turned, r.Title)
		}
	}
	if len(turned) == 0 {
		return rep, 0, nil
	}
	n, err := d.Owners.QueueToOwners(ctx, func(sealed string) (mail.Queued, error) {
		return d.compose(sealed, len(turned), rep.RanAt)
	})
	return rep, n, err
}

// compose writes the owners' mail: how many checks turned red and the link to the
// Promises page, nothing else (the page, behind sign-in, says which and why).
func (d *Daily) compose(sealed string, n int, now time.Time) (mail.Queued, error) {
	plain, err := d.Sealer.OpenString(staff.SealEmail, sealed)
	if err != nil {
		return mail.Queued{}, errs.Wrap(errs.Internal, "", err)
	}
	addr, err := pii.NewEmail(plain)
	if err != nil {
		return mail.Queued{}, errs.Wrap(errs.Internal, "", err)
	}
	var b strings.Builder
	b.WriteString("A privacy check of Candor turned red")
	if n > 1 {
		b.WriteString(" (several checks)")
	}
	b.WriteString(".\n\nSee which promise and why, after signing in:\n" + d.PublicURL + "/admin/promises\n")
	b.WriteString("\nOr run on the server: candor audit privacy\n")
	return mail.Compose(d.Sealer, mail.Draft{Purpose: "promises.red", To: addr, Content: mail.Content{
		Subject: "A privacy check turned red",
		Text:    b.String(),
		Headers: map[string]string{"Auto-Submitted": "auto-generated"},
	}}, d.MailDomain, now)
}

// Latest returns, for the Promises page, every check in the order of Checks with its
// title, promise and last stored result; a check that has not run yet has StatusNotRun.
func Latest(ctx context.Context, l Ledger) ([]Result, error) {
	stored, err := l.LastResults(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]Result{}
	for _, r := range stored {
		byID[r.ID] = r
	}
	var out []Result
	for _, c := range Checks() {
		r, ok := byID[c.ID]
		if !ok {
			r = Result{ID: c.ID, Status: StatusNotRun, Message: "not run yet"}
		}
		r.Title, r.Promise = c.Title, c.Promise
		out = append(out, r)
	}
	return out, nil
}
