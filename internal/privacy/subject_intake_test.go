package privacy_test

import (
	"context"
	"testing"

	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// Promise (issue 10, erasure): a sign-up /subscribe acknowledged but not yet stored
// (still sealed in the intake, where no blind index finds it) does not outlive an
// erasure of its address: the erasure stores it first and erases it with the rest, so
// no later intake pass re-creates the subscriber or mails the person.
func TestErasureTakesASignUpStillInTheIntake(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	nl := newsletter.NewService(sqldb.NewsletterStore{DB: e.db}, e.sealer, e.audit, nil, newsletter.Options{
		PublicURL: "https://candor.example", MailDomain: "example.com", VendorName: "Northwind", PostalAddress: "1 Main St",
	})
	e.svc.SetIntake(nl)
	p := newPerson(1)
	v, err := nl.Validate(ctx, newsletter.SubscribeInput{Email: p.email, Name: p.name, ConsentVersion: newsletter.ConsentVersion, Source: "footer"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nl.Accept(ctx, v); err != nil {
		t.Fatal(err)
	}
	res, err := e.svc.EraseSubject(ctx, staff.CLI, p.email)
	if err != nil || res.Counts.Subscriber != 1 {
		t.Fatalf("erasure = %+v, %v; want the intake's sign-up erased as a subscriber", res, err)
	}
	if n, err := nl.ProcessIntake(ctx, 0); err != nil || n != 0 {
		t.Errorf("intake pass after the erasure joined %d, %v; want nothing left", n, err)
	}
	index := e.sealer.Index(newsletter.SealEmail, p.email)
	for table, q := range map[string]string{
		"subscribers":   "SELECT COUNT(*) FROM subscribers WHERE email_index = ?",
		"mail_outbox":   "SELECT COUNT(*) FROM mail_outbox WHERE ? <> ''",
		"signup_intake": "SELECT COUNT(*) FROM signup_intake WHERE ? <> ''",
	} {
		var n int
		if err := e.db.QueryRow(ctx, q, index).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows, %v; want none", table, n, err)
		}
	}
}
