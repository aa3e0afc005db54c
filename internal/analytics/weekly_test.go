package analytics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// weeklyEnv is the weekly mail over a real database, with its own clock.
type weeklyEnv struct {
	*env
	sealer *pii.Sealer
	weekly *analytics.Weekly
	now    *clock
	woken  int
}

func newWeeklyEnv(t *testing.T) *weeklyEnv {
	t.Helper()
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	w := &weeklyEnv{env: newEnv(t), sealer: pii.NewSealer(kr), now: &clock{day0.Add(24 * time.Hour)}} // Tuesday 3 March
	w.weekly = analytics.NewWeekly(sqldb.StatsReportStore{DB: w.db}, analytics.NewReports(w.store, 5, analytics.WeeklyTopN),
		w.sealer, audit.New(sqldb.AuditStore{DB: w.db}, w.sealer.Index),
		analytics.WeeklyOptions{PublicURL: "https://candor.example", MailDomain: "candor.example", Now: w.now.Now, Notify: func() { w.woken++ }})
	return w
}

// member adds an active staff member (a row: these tests never sign in).
func (w *weeklyEnv) member(t *testing.T, email string, role staff.Role) staff.Principal {
	t.Helper()
	sealed, err := w.sealer.SealString(staff.SealEmail, email)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	id, err := sqldb.StaffStore{DB: w.db}.CreateMember(context.Background(), staff.Record{EmailIndex: w.sealer.Index("staff.email", email),
		EmailSealed: sealed, Role: role, PasswordHash: "unused", CreatedAt: now, PasswordChangedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	return staff.Principal{ID: id, Role: role, Name: staff.Subject(id)}
}

func (w *weeklyEnv) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := w.db.Exec(context.Background(), q, args...); err != nil {
		t.Fatal(err)
	}
}

// send runs the job at at and returns how many mails it queued.
func (w *weeklyEnv) send(t *testing.T, at time.Time) int64 {
	t.Helper()
	w.now.t = at
	n, err := w.weekly.Send(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

type sentMail struct {
	to      string
	content mail.Content
}

// outbox opens every queued mail, oldest first.
func (w *weeklyEnv) outbox(t *testing.T) []sentMail {
	t.Helper()
	rows, err := w.db.Query(context.Background(), "SELECT purpose, to_sealed, content_sealed FROM mail_outbox ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []sentMail
	for rows.Next() {
		var q mail.Queued
		if err := rows.Scan(&q.Purpose, &q.ToSealed, &q.ContentSealed); err != nil {
			t.Fatal(err)
		}
		to, c, err := mail.Open(w.sealer, q)
		if err != nil || q.Purpose != "stats.weekly" {
			t.Fatalf("outbox row %q: %v", q.Purpose, err)
		}
		out = append(out, sentMail{to.Reveal(), c})
	}
	return out
}

func TestWeeklyMailOncePerWeekToPermittedMembers(t *testing.T) {
	w := newWeeklyEnv(t)
	ctx := context.Background()
	analyst := w.member(t, "analyst@staff.example", staff.Analyst)
	owner := w.member(t, "owner@staff.example", staff.Owner)
	demoted := w.member(t, "demoted@staff.example", staff.Analyst)
	disabled := w.member(t, "disabled@staff.example", staff.Analyst)
	w.member(t, "quiet@staff.example", staff.Analyst) // never opts in
	support := w.member(t, "support@staff.example", staff.Support)
	for _, p := range []staff.Principal{analyst, owner, demoted, disabled} {
		if err := w.weekly.Subscribe(ctx, p, w.site.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.weekly.Subscribe(ctx, support, w.site.ID, true); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("support opting in: %v, want forbidden", err)
	}
	if err := w.weekly.Subscribe(ctx, analyst, w.site.ID+99, true); !errs.Is(err, errs.NotFound) {
		t.Fatalf("unknown site: %v, want not_found", err)
	}
	if on, err := w.weekly.Subscribed(ctx, analyst, w.site.ID); err != nil || !on {
		t.Fatalf("Subscribed = %v, %v", on, err)
	}
	w.exec(t, "UPDATE staff SET role = 'support' WHERE id = ?", demoted.ID)
	w.exec(t, "UPDATE staff SET disabled_at = 1 WHERE id = ?", disabled.ID)

	// The week of Monday 2 March: six visitors on /, one alone on /only-me.
	a := w.aggregator(analytics.Options{})
	for v := 1; v <= 6; v++ {
		e := w.env
		e.view(a, v, "/", day0.Add(time.Duration(v)*time.Hour))
	}
	w.view(a, 7, "/only-me", day0.Add(48*time.Hour))
	flush(t, a)

	// Subscribed on Tuesday: nothing for the week before; nothing before Monday 06:00.
	if n := w.send(t, w.now.t); n != 0 {
		t.Fatalf("queued %d mails on the day of opting in, want 0", n)
	}
	monday := time.Date(2026, 3, 9, 6, 0, 0, 0, time.UTC)
	if n := w.send(t, monday.Add(-time.Minute)); n != 0 {
		t.Fatalf("queued %d mails at 05:59, want 0", n)
	}
	if n := w.send(t, monday); n != 2 {
		t.Fatalf("queued %d mails on Monday 06:00, want 2 (analyst and owner)", n)
	}
	for _, at := range []time.Time{monday.Add(time.Hour), monday.Add(3 * 24 * time.Hour)} {
		if n := w.send(t, at); n != 0 {
			t.Fatalf("queued %d more mails at %s, want none twice in a week", n, at)
		}
	}
	if err := w.weekly.Subscribe(ctx, owner, w.site.ID, true); err != nil { // again: still once a week
		t.Fatal(err)
	}
	if n := w.send(t, monday.Add(4*24*time.Hour)); n != 0 {
		t.Fatalf("opting in again queued %d mails, want 0", n)
	}
	mails := w.outbox(t)
	if len(mails) != 2 || mails[0].to != "analyst@staff.example" || mails[1].to != "owner@staff.example" || w.woken != 1 {
		t.Fatalf("mails to %v (woken %d), want the analyst and the owner", mails, w.woken)
	}
	m := mails[0].content
	for _, want := range []string{"Weekly statistics: example, 2 Mar – 8 Mar 2026", "Visitors    7", "Page views  7",
		"6        /\n", "< 5      (other)", "Top sources", "/admin/stats?from=2026-03-02&range=custom&site="} {
		if !strings.Contains(m.Subject+"\n"+m.Text, want) {
			t.Errorf("mail lacks %q:\n%s\n%s", want, m.Subject, m.Text)
		}
	}
	if strings.Contains(m.Text, "only-me") {
		t.Errorf("a page seen by one visitor is named:\n%s", m.Text)
	}

	// The next week: a week of fewer than k visitors is "< 5" throughout; the owner opted out.
	if err := w.weekly.Subscribe(ctx, owner, w.site.ID, false); err != nil {
		t.Fatal(err)
	}
	w.view(a, 1, "/", monday)
	flush(t, a)
	if n := w.send(t, monday.Add(7*24*time.Hour)); n != 1 {
		t.Fatalf("second week: %d mails, want 1", n)
	}
	mails = w.outbox(t)
	last := mails[len(mails)-1]
	if last.to != "analyst@staff.example" || !strings.Contains(last.content.Text, "Visitors    < 5") || strings.Contains(last.content.Text, "Bounce rate") {
		t.Fatalf("second week's mail to %s:\n%s", last.to, last.content.Text)
	}
}
