package newsletter_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/csvsafe"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

var (
	owner     = staff.Principal{ID: 1, Role: staff.Owner, Name: "staff:1"}
	marketer  = staff.Principal{ID: 2, Role: staff.Marketing, Name: "staff:2"}
	supporter = staff.Principal{ID: 3, Role: staff.Support, Name: "staff:3"}
	analyst   = staff.Principal{ID: 4, Role: staff.Analyst, Name: "staff:4"}
)

func newsList(t *testing.T, e env) int64 {
	t.Helper()
	lists, err := e.svc.Lists(context.Background())
	if err != nil || len(lists) == 0 {
		t.Fatalf("lists: %v %v", lists, err)
	}
	return lists[0].ID
}

// importCSV runs a whole import as actor and returns what it did.
func importCSV(t *testing.T, e env, actor staff.Principal, file string) newsletter.ImportResult {
	t.Helper()
	ctx := context.Background()
	pv, err := e.svc.PreviewImport(ctx, actor, strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.svc.CommitImport(ctx, actor, pv.ID, "test fixture, double opt-in elsewhere", []int64{newsList(t, e)})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// auditText is every audit entry as one string, to search for addresses.
func auditText(t *testing.T, db *sqldb.DB) string {
	t.Helper()
	var b strings.Builder
	_, _, err := sqldb.AuditStore{DB: db}.Walk(context.Background(), func(e audit.Entry) error {
		fmt.Fprintf(&b, "%s %s %s %s\n", e.Actor, e.Action, e.Subject, audit.EncodeDetail(e.Detail))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func suppress(t *testing.T, e env, email, reason string) {
	t.Helper()
	if _, err := e.db.Exec(context.Background(), "INSERT INTO suppressions (email_index, reason, created_at) VALUES (?, ?, 0)",
		e.svc.EmailIndex(email), reason); err != nil {
		t.Fatal(err)
	}
}

// Promise: an unsubscribed, bounced or erased address is never added back by an import;
// imported people are confirmed with the declared consent source; the audit log records
// counts, never addresses.
func TestImportPreviewAndCommit(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	importCSV(t, e, owner, "email,name\nknown@example.com,Known\n")
	suppress(t, e, "gone@example.com", "unsubscribed")
	file := "email,name\nnew1@example.com,New One\nNEW2@example.com,\nknown@example.com,Known Again\ngone@example.com,Gone\nnope,Nope\nnew1@example.com,Twice\n"
	pv, err := e.svc.PreviewImport(ctx, marketer, strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if pv.New != 2 || pv.Existing != 1 || pv.Suppressed != 1 || pv.InvalidCount != 1 || pv.SkippedCount != 1 || pv.Rows != 4 {
		t.Fatalf("preview %+v", pv)
	}
	// Another member cannot commit it; a missing consent source or list is refused and
	// keeps the preview.
	if _, err := e.svc.CommitImport(ctx, supporter, pv.ID, "elsewhere", []int64{newsList(t, e)}); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another member committed the preview: %v", err)
	}
	if _, err := e.svc.CommitImport(ctx, marketer, pv.ID, " ", []int64{newsList(t, e)}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("no consent source: %v", err)
	}
	if _, err := e.svc.CommitImport(ctx, marketer, pv.ID, "Mailchimp 2026-11", nil); !errs.Is(err, errs.Invalid) {
		t.Fatalf("no list: %v", err)
	}
	// Meanwhile an address of the file unsubscribes elsewhere: the commit checks again.
	suppress(t, e, "new2@example.com", "hard_bounce")
	res, err := e.svc.CommitImport(ctx, marketer, pv.ID, "Mailchimp export 2026-11, double opt-in there", []int64{newsList(t, e)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 1 || res.Existing != 1 || res.Suppressed != 2 || res.Invalid != 1 || res.Skipped != 1 {
		t.Fatalf("result %+v", res)
	}
	if _, err := e.svc.CommitImport(ctx, marketer, pv.ID, "again", []int64{newsList(t, e)}); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a preview committed twice: %v", err)
	}
	for _, gone := range []string{"gone@example.com", "new2@example.com"} {
		if n := count(t, e.db, "SELECT COUNT(*) FROM subscribers WHERE email_index = ?", e.svc.EmailIndex(gone)); n != 0 {
			t.Errorf("suppressed %s was imported", gone)
		}
	}
	var status, source string
	if err := e.db.QueryRow(ctx, "SELECT status, consent_source FROM subscribers WHERE email_index = ?", e.svc.EmailIndex("new1@example.com")).
		Scan(&status, &source); err != nil {
		t.Fatal(err)
	}
	if status != "confirmed" || source != "import: Mailchimp export 2026-11, double opt-in there" {
		t.Errorf("imported as %q from %q", status, source)
	}
	if n := count(t, e.db, `SELECT COUNT(*) FROM subscriber_lists sl JOIN subscribers s ON s.id = sl.subscriber_id
		WHERE s.email_index = ? AND sl.subscribed = 1`, e.svc.EmailIndex("new1@example.com")); n != 1 {
		t.Errorf("imported subscriber on %d lists; want 1", n)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM subscriber_events WHERE event = 'imported'"); n != 2 {
		t.Errorf("%d imported events; want 2", n)
	}
	// The known address was left as it was (its name not replaced).
	page, err := e.svc.ListSubscribers(ctx, owner, newsletter.SubscriberQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range page.Subscribers {
		if s.Email.Reveal() == "known@example.com" && s.Name != "Known" {
			t.Errorf("the import changed a known subscriber's name to %q", s.Name)
		}
	}
	text := auditText(t, e.db)
	for _, addr := range []string{"new1@", "new2@", "known@", "gone@", "nope"} {
		if strings.Contains(text, addr) {
			t.Errorf("the audit log contains %q:\n%s", addr, text)
		}
	}
	if !strings.Contains(text, "subscriber.import ") || !strings.Contains(text, `"added":"1"`) {
		t.Errorf("no import entry with its counts:\n%s", text)
	}
}

func TestListSearchViewDelete(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	var file strings.Builder
	file.WriteString("email,name\n")
	for i := range 7 {
		fmt.Fprintf(&file, "p%d@example.com,Person %d\n", i, i)
	}
	importCSV(t, e, owner, file.String())
	if err := e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: "pending@example.com", Name: "Pat", ConsentVersion: "v1", Source: "footer"}); err != nil {
		t.Fatal(err)
	}

	// Paging and filters.
	pg, err := e.svc.ListSubscribers(ctx, supporter, newsletter.SubscriberQuery{Limit: 3})
	if err != nil || pg.Total != 8 || len(pg.Subscribers) != 3 {
		t.Fatalf("page 1: %d of %d, %v", len(pg.Subscribers), pg.Total, err)
	}
	if pg.Subscribers[0].Email.Reveal() != "pending@example.com" {
		t.Errorf("newest first: got %s first", pg.Subscribers[0].Email.Reveal())
	}
	pg, err = e.svc.ListSubscribers(ctx, supporter, newsletter.SubscriberQuery{Limit: 3, Offset: 6})
	if err != nil || len(pg.Subscribers) != 2 {
		t.Fatalf("last page: %d, %v", len(pg.Subscribers), err)
	}
	pg, _ = e.svc.ListSubscribers(ctx, supporter, newsletter.SubscriberQuery{Status: newsletter.Pending})
	if pg.Total != 1 || pg.Subscribers[0].Name != "Pat" {
		t.Errorf("pending filter: %+v", pg)
	}
	pg, _ = e.svc.ListSubscribers(ctx, supporter, newsletter.SubscriberQuery{ListID: newsList(t, e), Sort: newsletter.SortStatus, Asc: true})
	if pg.Total != 7 || len(pg.Subscribers[0].Lists) != 1 {
		t.Errorf("list filter: %d, lists %v", pg.Total, pg.Subscribers[0].Lists)
	}

	// Exact search through the blind index; the audit entry names ids only.
	found, err := e.svc.FindSubscriber(ctx, marketer, "  P3@EXAMPLE.com ")
	if err != nil || len(found) != 1 || found[0].Name != "Person 3" {
		t.Fatalf("search: %+v %v", found, err)
	}
	if none, err := e.svc.FindSubscriber(ctx, marketer, "p3@example.org"); err != nil || len(none) != 0 {
		t.Fatalf("search for an unknown address: %+v %v", none, err)
	}
	if _, err := e.svc.FindSubscriber(ctx, marketer, "p3"); !errs.Is(err, errs.Invalid) {
		t.Fatalf("partial search: %v", err)
	}

	// The detail: consent record and history.
	d, err := e.svc.GetSubscriber(ctx, supporter, found[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Email.Reveal() != "p3@example.com" || !strings.HasPrefix(d.ConsentSource, "import: ") || len(d.Events) != 1 || d.Events[0].Event != "imported" || len(d.Memberships) != 1 {
		t.Fatalf("detail %+v", d)
	}
	pend, _ := e.svc.FindSubscriber(ctx, owner, "pending@example.com")
	d, _ = e.svc.GetSubscriber(ctx, owner, pend[0].ID)
	if d.ConsentSource != "form:footer" || d.ConsentTextHash == "" || len(d.Events) != 2 {
		t.Errorf("pending detail %+v", d)
	}

	// Delete: plain, then with suppression (and the import then skips the address).
	if err := e.svc.DeleteSubscriber(ctx, owner, pend[0].ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.GetSubscriber(ctx, owner, pend[0].ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("deleted subscriber still found: %v", err)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM suppressions"); n != 0 {
		t.Fatal("a plain delete suppressed the address")
	}
	if err := e.svc.DeleteSubscriber(ctx, owner, found[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM suppressions WHERE reason = 'manual' AND email_index = ?", e.svc.EmailIndex("p3@example.com")); n != 1 {
		t.Fatal("no manual suppression")
	}
	if res := importCSV(t, e, owner, "p3@example.com\n"); res.Added != 0 || res.Suppressed != 1 {
		t.Fatalf("re-import of a suppressed address: %+v", res)
	}
	if err := e.svc.DeleteSubscriber(ctx, owner, found[0].ID, true); !errs.Is(err, errs.NotFound) {
		t.Fatalf("second delete: %v", err)
	}

	text := auditText(t, e.db)
	if strings.Contains(text, "example.com") || strings.Contains(text, "example.org") {
		t.Errorf("the audit log names an address:\n%s", text)
	}
	for _, want := range []string{
		"subscriber.list ", "subscriber.search ", `"found":"` + fmt.Sprint(found[0].ID) + `"`, `"found":"none"`,
		"subscriber.view subscriber:" + fmt.Sprint(found[0].ID), "subscriber.delete subscriber:" + fmt.Sprint(found[0].ID),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, text)
		}
	}
}

func TestStaffSideAuthorization(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	for name, err := range map[string]error{
		"list":    second(e.svc.ListSubscribers(ctx, analyst, newsletter.SubscriberQuery{})),
		"find":    second(e.svc.FindSubscriber(ctx, analyst, "a@example.com")),
		"view":    second(e.svc.GetSubscriber(ctx, analyst, 1)),
		"delete":  e.svc.DeleteSubscriber(ctx, analyst, 1, true),
		"export":  second(e.svc.ExportSubscribers(ctx, analyst, newsletter.SubscriberQuery{}, &bytes.Buffer{})),
		"import":  second(e.svc.PreviewImport(ctx, analyst, strings.NewReader("a@example.com\n"))),
		"commit":  second(e.svc.CommitImport(ctx, analyst, "x", "y", nil)),
		"counts":  second(e.camps.Counts(ctx, supporter, []int64{1})),
		"recipts": second(e.camps.RecipientCount(ctx, supporter, 1)),
		"test":    e.camps.TestSend(ctx, supporter, 1, "a@example.com"),
	} {
		if !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s: %v; want forbidden", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// failingAudit refuses every entry: the log is down.
type failingAudit struct{}

func (failingAudit) Record(context.Context, string, string, string, ...string) error {
	return errs.E(errs.Unavailable, "audit log down")
}

// Promise: no view of personal data without its audit entry. With the audit log down,
// every staff read of a subscriber fails and returns nothing.
func TestFailClosedWithoutAudit(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	importCSV(t, e, owner, "ana@example.com,Ana\n")
	down := newsletter.NewService(sqldb.NewsletterStore{DB: e.db}, e.sealer, failingAudit{}, nil, newsletter.Options{})
	pg, err := down.ListSubscribers(ctx, owner, newsletter.SubscriberQuery{})
	if err == nil || len(pg.Subscribers) != 0 {
		t.Errorf("list without audit: %d rows, %v", len(pg.Subscribers), err)
	}
	found, err := down.FindSubscriber(ctx, owner, "ana@example.com")
	if err == nil || found != nil {
		t.Errorf("search without audit: %v, %v", found, err)
	}
	d, err := down.GetSubscriber(ctx, owner, 1)
	if err == nil || !d.Email.IsZero() {
		t.Errorf("view without audit: %v", err)
	}
	var out bytes.Buffer
	if _, err := down.ExportSubscribers(ctx, owner, newsletter.SubscriberQuery{}, &out); err == nil || out.Len() != 0 {
		t.Errorf("export without audit wrote %d bytes, %v", out.Len(), err)
	}
	outbox := mail.NewOutboxAdmin(sqldb.OutboxAdminStore{DB: e.db}, e.sealer, failingAudit{})
	id := queueTest(t, e, "ana@example.com")
	if m, err := outbox.Open(ctx, owner, id); err == nil || !m.To.IsZero() || m.Content.Text != "" {
		t.Errorf("outbox message opened without audit: %v", err)
	}
}

func queueTest(t *testing.T, e env, to string) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := e.camps.Create(ctx, marketer, newsletter.Campaign{Subject: "Test me", BodyMarkdown: "Hi", Lists: []int64{newsList(t, e)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.camps.TestSend(ctx, marketer, id, to); err != nil {
		t.Fatal(err)
	}
	var msg int64
	if err := e.db.QueryRow(ctx, "SELECT MAX(id) FROM mail_outbox WHERE purpose = 'campaign.test'").Scan(&msg); err != nil {
		t.Fatal(err)
	}
	return msg
}

// Promise: exports cannot smuggle formulas into a spreadsheet; they are audited.
func TestExportCSV(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	importCSV(t, e, owner, "email,name\n=x@example.com,=1+2\n+y@example.com,+SUM(A1)\n-z@example.com,-2+3\nplain@example.com,Plain\nbob@example.com,\"Bob;=1+1;\"\n")
	var out bytes.Buffer
	n, err := e.svc.ExportSubscribers(ctx, supporter, newsletter.SubscriberQuery{Status: newsletter.Confirmed}, &out)
	if err != nil || n != 5 {
		t.Fatalf("export: %d, %v", n, err)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(newsletter.ExportHeader, ",") || len(recs) != 6 {
		t.Fatalf("export %q", recs)
	}
	for _, rec := range recs[1:] {
		for _, c := range rec {
			if !csvsafe.Safe(c) { // Promise (issue 12, item 6): also after a ";", "," or tab
				t.Errorf("cell %q starts a formula", c)
			}
		}
	}
	if !strings.Contains(fmt.Sprint(recs), "'=x@example.com '=1+2 confirmed news") {
		t.Errorf("export %q", recs)
	}
	if text := auditText(t, e.db); !strings.Contains(text, "subscriber.export") || !strings.Contains(text, `"count":"5"`) || strings.Contains(text, "example.com") {
		t.Errorf("export audit:\n%s", text)
	}
}

func TestCampaignTestSendAndCounts(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	importCSV(t, e, owner, "a1@example.com\na2@example.com\na3@example.com\n")
	suppress(t, e, "a3@example.com", "hard_bounce")
	msg := queueTest(t, e, "Me@Example.com")
	var purpose, toSealed, contentSealed string
	if err := e.db.QueryRow(ctx, "SELECT purpose, to_sealed, content_sealed FROM mail_outbox WHERE id = ?", msg).
		Scan(&purpose, &toSealed, &contentSealed); err != nil {
		t.Fatal(err)
	}
	to, c, err := mail.Open(e.sealer, mail.Queued{ToSealed: toSealed, ContentSealed: contentSealed})
	if err != nil || to.Reveal() != "me@example.com" || c.Subject != "[Test] Test me" || c.HTML == "" || c.Headers["List-Unsubscribe"] != "" {
		t.Fatalf("test message to %v: %+v, %v", to, c, err)
	}
	if err := e.camps.TestSend(ctx, marketer, 1, "not an address"); !errs.Is(err, errs.Invalid) {
		t.Errorf("test to a bad address: %v", err)
	}
	if text := auditText(t, e.db); !strings.Contains(text, "campaign.test campaign:1") || strings.Contains(strings.ToLower(text), "me@example.com") {
		t.Errorf("test-send audit:\n%s", text)
	}
	// Recipients: confirmed and not suppressed.
	if n, err := e.camps.RecipientCount(ctx, marketer, 1); err != nil || n != 2 {
		t.Fatalf("RecipientCount = %d, %v; want 2", n, err)
	}
	if _, err := e.camps.RecipientCount(ctx, marketer, 99); !errs.Is(err, errs.NotFound) {
		t.Errorf("recipients of no campaign: %v", err)
	}
	if n, err := e.camps.SendNow(ctx, marketer, 1); err != nil || n != 2 {
		t.Fatalf("SendNow = %d, %v", n, err)
	}
	if _, err := e.db.Exec(ctx, "UPDATE mail_outbox SET status = 'failed', hard_bounce = 1 WHERE id = (SELECT MIN(id) FROM mail_outbox WHERE campaign_id = 1)"); err != nil {
		t.Fatal(err)
	}
	// The counts the mail worker keeps with the ledger (here moved by hand, as the row).
	if _, err := e.db.Exec(ctx, "UPDATE campaigns SET queued_count = queued_count - 1, failed_count = 1, bounced_count = 1 WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	counts, err := e.camps.Counts(ctx, marketer, []int64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if c := counts[1]; c.Queued != 1 || c.Failed != 1 || c.Bounced != 1 || c.Done() != 1 {
		t.Errorf("counts %+v", c)
	}
	if _, ok := counts[2]; ok {
		t.Error("counts for a campaign that does not exist")
	}
}

// The outbox staff view: no recipient in lists, audited opening, dead letters requeued.
func TestOutboxAdmin(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	o := mail.NewOutboxAdmin(sqldb.OutboxAdminStore{DB: e.db}, e.sealer, audit.New(sqldb.AuditStore{DB: e.db}, e.sealer.Index))
	if err := e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: "olga@example.com"}); err != nil {
		t.Fatal(err)
	}
	id := queueTest(t, e, "tester@example.com")
	if _, err := o.List(ctx, marketer, mail.OutboxFilter{}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("marketing read the outbox: %v", err)
	}
	msgs, err := o.List(ctx, owner, mail.OutboxFilter{Kind: "transactional"})
	if err != nil || len(msgs) != 2 || msgs[0].ID != id || msgs[0].Purpose != "campaign.test" {
		t.Fatalf("list: %+v, %v", msgs, err)
	}
	if row := fmt.Sprintf("%+v", msgs); strings.Contains(row, "tester@") || strings.Contains(row, "olga@") {
		t.Errorf("a list row carries an address: %+v", msgs)
	}
	if msgs, _ := o.List(ctx, owner, mail.OutboxFilter{Status: mail.StatusDead}); len(msgs) != 0 {
		t.Errorf("dead filter: %+v", msgs)
	}
	counts, err := o.Counts(ctx, owner)
	if err != nil || counts[mail.StatusQueued] != 2 {
		t.Fatalf("counts %v %v", counts, err)
	}
	m, err := o.Open(ctx, owner, id)
	if err != nil || m.To.Reveal() != "tester@example.com" || !strings.Contains(m.Content.Subject, "Test me") {
		t.Fatalf("open: %+v %v", m, err)
	}
	if _, err := o.Open(ctx, owner, 999); !errs.Is(err, errs.NotFound) {
		t.Errorf("open a missing message: %v", err)
	}
	if err := o.Requeue(ctx, owner, id); !errs.Is(err, errs.Conflict) {
		t.Errorf("requeue a queued message: %v", err)
	}
	if _, err := e.db.Exec(ctx, "UPDATE mail_outbox SET status = 'dead', attempts = 9, last_error = '421 4.7.0 temporary', first_failure_at = 5 WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	if err := o.Requeue(ctx, owner, id); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM mail_outbox WHERE id = ? AND status = 'queued' AND attempts = 0 AND first_failure_at = 0", id); n != 1 {
		t.Error("the dead letter was not put back in the queue")
	}
	// A dead campaign message of a cancelled campaign stays dead.
	importCSV(t, e, owner, "c1@example.com\n")
	camp, _ := e.camps.Create(ctx, marketer, newsletter.Campaign{Subject: "C", BodyMarkdown: "c", Lists: []int64{newsList(t, e)}})
	if _, err := e.camps.SendNow(ctx, marketer, camp); err != nil {
		t.Fatal(err)
	}
	var cm int64
	_ = e.db.QueryRow(ctx, "SELECT id FROM mail_outbox WHERE campaign_id = ?", camp).Scan(&cm)
	if _, err := e.db.Exec(ctx, "UPDATE mail_outbox SET status = 'dead' WHERE id = ?", cm); err != nil {
		t.Fatal(err)
	}
	if err := e.camps.Cancel(ctx, marketer, camp); err != nil {
		t.Fatal(err)
	}
	if err := o.Requeue(ctx, owner, cm); !errs.Is(err, errs.Conflict) {
		t.Errorf("requeued a cancelled campaign's message: %v", err)
	}
	if cmsg, err := o.Open(ctx, owner, cm); err != nil || !cmsg.To.IsZero() || cmsg.CampaignID != camp {
		t.Errorf("campaign message opened as %+v, %v", cmsg, err)
	}
	text := auditText(t, e.db)
	if !strings.Contains(text, fmt.Sprintf("outbox.view outbox:%d", id)) || !strings.Contains(text, fmt.Sprintf("outbox.requeue outbox:%d", id)) ||
		strings.Contains(text, "tester@") {
		t.Errorf("outbox audit:\n%s", text)
	}
}
