package promises

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/staff"
)

// Fakes of the stores: the real ones run in internal/e2e.
type noData struct{}

func (noData) Overdue(context.Context, string, time.Time) (int64, error)        { return 0, nil }
func (noData) Values(context.Context, string, string, func([]byte) error) error { return nil }
func (noData) TextColumns(context.Context, []string) ([][2]string, error)       { return nil, nil }
func (noData) QueuedBefore(context.Context, time.Time) (int64, error)           { return 0, nil }

type chain struct{ broken bool }

func (c *chain) Verify(context.Context) (int64, *audit.Problem, error) {
	if c.broken {
		return 3, &audit.Problem{Seq: 2, Reason: "its content was changed after it was written"}, nil
	}
	return 3, nil, nil
}

type ledger struct{ last []Result }

func (l *ledger) LastResults(context.Context) ([]Result, error) { return l.last, nil }
func (l *ledger) SaveResults(_ context.Context, rs []Result) error {
	l.last = rs
	return nil
}

type owners struct {
	sealed []string
	queued []mail.Queued
}

func (o *owners) QueueToOwners(_ context.Context, compose func(string) (mail.Queued, error)) (int, error) {
	for _, s := range o.sealed {
		q, err := compose(s)
		if err != nil {
			return 0, err
		}
		o.queued = append(o.queued, q)
	}
	return len(o.sealed), nil
}

// Promise: owners learn when a promise stops being kept: one mail each when a check
// turns red (not again while it stays red), holding the link to the Promises page and
// nothing of the finding.
func TestDailyMailsOwnersWhenACheckTurnsRed(t *testing.T) {
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	sealer := pii.NewSealer(kr)
	o := &owners{}
	for _, addr := range []string{"ann@owner.example", "bob@owner.example"} {
		s, err := sealer.SealString(staff.SealEmail, addr)
		if err != nil {
			t.Fatal(err)
		}
		o.sealed = append(o.sealed, s)
	}
	c := &chain{}
	dir := t.TempDir()
	l := &ledger{}
	if latest, err := Latest(context.Background(), l); err != nil || len(latest) != len(Checks()) || latest[0].Status != StatusNotRun || latest[0].Red() {
		t.Fatalf("before any run: %+v, %v", latest, err)
	}
	d := &Daily{
		Inputs: func() Inputs {
			return Inputs{Files: []string{dir}, MailLimit: mail.DeadAfter, Data: noData{}, Chain: c}
		},
		Ledger: l, Owners: o, Sealer: sealer, PublicURL: "https://candor.example", MailDomain: "candor.example",
	}
	for i, step := range []struct {
		broken bool
		mails  int
	}{{false, 0}, {true, 2}, {true, 0}, {false, 0}, {true, 2}} {
		c.broken = step.broken
		rep, n, err := d.Run(context.Background())
		if err != nil || n != step.mails {
			t.Fatalf("run %d: %d mails, %v; want %d", i, n, err, step.mails)
		}
		if len(rep.Red()) != map[bool]int{false: 0, true: 1}[step.broken] {
			t.Fatalf("run %d: red %+v", i, rep.Red())
		}
	}
	latest, err := Latest(context.Background(), l)
	if err != nil || latest[7].ID != "audit-chain" || latest[7].Status != StatusFinding || latest[7].Promise == "" {
		t.Fatalf("the Promises page's view: %+v, %v", latest, err)
	}
	for _, q := range o.queued {
		text, err := sealer.OpenString(mail.SealContent, q.ContentSealed)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "https://candor.example/admin/promises") || strings.Contains(text, "content was changed") ||
			strings.Contains(text, "audit") && !strings.Contains(text, "candor audit privacy") {
			t.Errorf("the owners' mail should hold the link and no detail:\n%s", text)
		}
	}
}
