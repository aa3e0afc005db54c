package contact_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/csvsafe"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// Promise: staff hear of a new message by a link only; nothing the person wrote, nor
// their name or address, travels into a mailbox, and the person gets no automatic mail.
func TestReceiveNotifiesStaffWithLinkOnly(t *testing.T) {
	e := setup(t)
	id := e.receive(t, sample, contact.New)
	mails := e.outbox(t)
	if len(mails) != 2 {
		t.Fatalf("want 2 notifications (support, owner; not the disabled admin or the analyst), got %d", len(mails))
	}
	got := map[string]bool{}
	for _, m := range mails {
		got[m.to] = true
		if m.purpose != "contact.notify" || m.content.Subject != contact.NotifySubject {
			t.Errorf("notification %q %q", m.purpose, m.content.Subject)
		}
		if !strings.Contains(m.content.Text, fmt.Sprintf("https://candor.example/admin/inbox/%d", id)) {
			t.Errorf("no link in %q", m.content.Text)
		}
		all := m.content.Subject + m.content.Text + fmt.Sprint(m.content.Headers)
		for _, leak := range []string{"Ada", "Lovelace", "example.org", "Licence", "laptop", "pro"} {
			if strings.Contains(strings.ToLower(all), strings.ToLower(leak)) && leak != "pro" {
				t.Errorf("notification leaks %q", leak)
			}
		}
	}
	if !got["support@staff.example"] || !got["owner@staff.example"] {
		t.Errorf("recipients %v", got)
	}
	if e.notify.n != 1 {
		t.Errorf("Notify called %d times", e.notify.n)
	}
	// Spam notifies nobody; needs-review does.
	e.receive(t, sample, contact.Spam)
	if n := len(e.outbox(t)); n != 2 {
		t.Errorf("spam queued mail: %d rows", n)
	}
	e.receive(t, sample, contact.Review)
	if n := len(e.outbox(t)); n != 4 {
		t.Errorf("review: %d rows", n)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM mail_outbox WHERE to_index = ?", e.sealer.Index("subscriber.email", "ada@example.org")); n != 0 {
		t.Errorf("%d automatic mails to the sender", n)
	}
	// Stored sealed: the plain text is in no column.
	var row string
	if err := e.db.QueryRow(context.Background(), "SELECT email_sealed || name_sealed || subject_sealed || topic FROM contact_conversations WHERE id = ?", id).Scan(&row); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(row, "Ada") || strings.Contains(row, "Licence") {
		t.Error("conversation stored in clear")
	}
}

// Promise (purpose limitation): a contact-form address never becomes a subscriber.
func TestContactAddressNeverBecomesSubscriber(t *testing.T) {
	e := setup(t)
	e.receive(t, sample, contact.New)
	e.receive(t, sample, contact.Review)
	id := e.receive(t, sample, contact.Spam)
	if err := e.svc.Reply(context.Background(), e.support, id, "Thanks!"); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{
		"SELECT COUNT(*) FROM subscribers":                                   0,
		"SELECT COUNT(*) FROM subscriber_lists":                              0,
		"SELECT COUNT(*) FROM suppressions":                                  0,
		"SELECT COUNT(*) FROM mail_outbox WHERE purpose LIKE 'newsletter.%'": 0,
		"SELECT COUNT(*) FROM mail_outbox WHERE campaign_id IS NOT NULL":     0,
		"SELECT COUNT(*) FROM mail_outbox WHERE subscriber_id IS NOT NULL":   0,
	} {
		if n := count(t, e.db, q); n != want {
			t.Errorf("%s = %d", q, n)
		}
	}
}

func TestPermissions(t *testing.T) {
	e := setup(t)
	id := e.receive(t, sample, contact.New)
	ctx := context.Background()
	a := e.analyst
	var buf bytes.Buffer
	calls := map[string]error{
		"List":   third(e.svc.List(ctx, a, contact.Query{})),
		"Get":    second(e.svc.Get(ctx, a, id)),
		"Counts": second(e.svc.Counts(ctx, a)),
		"Move":   e.svc.Move(ctx, a, []int64{id}, contact.Closed),
		"Assign": e.svc.Assign(ctx, a, []int64{id}, e.supID),
		"Note":   e.svc.AddNote(ctx, a, id, "x"),
		"Reply":  e.svc.Reply(ctx, a, id, "x"),
		"Export": e.svc.Export(ctx, a, []int64{id}, "csv", &buf),
	}
	for name, err := range calls {
		if !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s by an analyst: %v", name, err)
		}
	}
	if buf.Len() != 0 || count(t, e.db, "SELECT COUNT(*) FROM contact_messages") != 1 {
		t.Error("an analyst changed or exported something")
	}
	for _, p := range []staff.Principal{e.support, staff.CLI, {ID: 9, Role: staff.Admin, Name: "staff:9"}} {
		if _, err := e.svc.Get(ctx, p, id); err != nil {
			t.Errorf("%s: %v", p.Role, err)
		}
	}
	for _, r := range []staff.Role{staff.Marketing, staff.ShopRole, staff.Analyst} {
		if _, err := e.svc.Get(ctx, staff.Principal{ID: 9, Role: r, Name: "staff:9"}, id); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s may read the inbox", r)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func third[T, U any](_ T, _ U, err error) error { return err }

type failingAudit struct{}

func (failingAudit) Record(context.Context, string, string, string, ...string) error {
	return errs.E(errs.Unavailable, "audit down")
}

// Fail closed: without an audit entry no personal data leaves the domain.
func TestFailClosedWithoutAudit(t *testing.T) {
	e := setup(t)
	id := e.receive(t, sample, contact.New)
	svc := contact.NewService(sqldb.ContactStore{DB: e.db}, e.sealer, failingAudit{}, nil, contact.Options{})
	ctx := context.Background()
	if c, err := svc.Get(ctx, e.support, id); err == nil || c.Name != "" {
		t.Error("Get returned data without an audit entry")
	}
	if l, _, err := svc.List(ctx, e.support, contact.Query{}); err == nil || l != nil {
		t.Error("List returned data without an audit entry")
	}
	var buf bytes.Buffer
	if err := svc.Export(ctx, e.support, []int64{id}, "json", &buf); err == nil || buf.Len() > 0 {
		t.Error("Export wrote data without an audit entry")
	}
	if err := svc.Reply(ctx, e.support, id, "hello"); err == nil {
		t.Error("Reply without an audit entry")
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM contact_messages"); n != 1 {
		t.Errorf("%d messages", n)
	}
}

func TestListSearchCounts(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	a := e.receive(t, sample, contact.New)
	b := e.receive(t, contact.Submission{Name: "Grace Hopper", Email: "grace@navy.example", Subject: "Invoice", Message: "Please send the INVOICE again."}, contact.New)
	c := e.receive(t, contact.Submission{Email: "bot@spam.example", Message: "cheap stuff"}, contact.Spam)
	d := e.receive(t, contact.Submission{Email: "nojs@example.net", Subject: "No JS", Message: "hello from lynx"}, contact.Review)

	page, total, err := e.svc.List(ctx, e.support, contact.Query{Folder: contact.New})
	if err != nil || total != 2 || len(page) != 2 || page[0].ID != b || page[1].ID != a {
		t.Fatalf("new folder: %v %d %+v", err, total, page)
	}
	if page[1].Name != "Ada Lovelace" || page[1].Email.Reveal() != "ada@example.org" || page[1].Subject != "Licence question" ||
		page[1].Topic != "pro" || !strings.HasPrefix(page[1].Preview, "Can I move") || page[1].Messages != nil {
		t.Errorf("opened %+v", page[1])
	}
	if _, total, _ := e.svc.List(ctx, e.support, contact.Query{}); total != 4 {
		t.Errorf("all folders: %d", total)
	}
	for search, want := range map[string][]int64{
		"ADA@example.ORG": {a}, "invoice": {b}, "hopper": {b}, "LICENCE": {a}, "lynx": {d}, "nothing-like-it": nil,
	} {
		page, total, err := e.svc.List(ctx, e.support, contact.Query{Search: search})
		if err != nil || total != len(want) || len(page) != len(want) || (len(want) == 1 && page[0].ID != want[0]) {
			t.Errorf("search %q: %v %d %v", search, err, total, page)
		}
	}
	// Search stays inside the folder.
	if _, total, _ := e.svc.List(ctx, e.support, contact.Query{Folder: contact.Spam, Search: "invoice"}); total != 0 {
		t.Error("search escaped its folder")
	}
	page, total, _ = e.svc.List(ctx, e.support, contact.Query{PerPage: 1, Page: 2})
	if total != 4 || len(page) != 1 || page[0].ID != c {
		t.Errorf("paging: %d %v", total, page)
	}
	counts, err := e.svc.Counts(ctx, e.support)
	if err != nil || counts[contact.New] != 2 || counts[contact.Spam] != 1 || counts[contact.Review] != 1 || len(counts) != len(contact.Folders) {
		t.Errorf("counts %v %v", counts, err)
	}
	if _, _, err := e.svc.List(ctx, e.support, contact.Query{Folder: "trash"}); !errs.Is(err, errs.Invalid) {
		t.Error("unknown folder accepted")
	}
	log := auditText(t, e.db)
	if !strings.Contains(log, "contact.list") || !strings.Contains(log, fmt.Sprintf(`"ids":"%d,%d"`, b, a)) {
		t.Errorf("list not audited with ids:\n%s", log)
	}
	for _, leak := range []string{"ada@", "Ada", "Hopper", "invoice", "Licence", "lynx"} {
		if strings.Contains(log, leak) {
			t.Errorf("audit log holds %q", leak)
		}
	}
}

func TestMoveAssignNoteGet(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	a := e.receive(t, sample, contact.New)
	b := e.receive(t, sample, contact.Review)
	if err := e.svc.Move(ctx, e.support, []int64{a, b, a}, contact.Open); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM contact_conversations WHERE folder = 'open'"); n != 2 {
		t.Errorf("moved %d", n)
	}
	if err := e.svc.Move(ctx, e.support, []int64{a}, "trash"); !errs.Is(err, errs.Invalid) {
		t.Error("moved into an unknown folder")
	}
	if err := e.svc.Move(ctx, e.support, nil, contact.Open); !errs.Is(err, errs.Invalid) {
		t.Error("empty selection accepted")
	}
	if err := e.svc.Assign(ctx, e.support, []int64{a, b}, e.supID); err != nil {
		t.Fatal(err)
	}
	if page, _, _ := e.svc.List(ctx, e.support, contact.Query{AssigneeID: e.supID}); len(page) != 2 || page[0].AssigneeID != e.supID {
		t.Errorf("assigned %v", page)
	}
	disabled := e.member(t, "off@staff.example", staff.Support, true)
	for _, who := range []int64{e.analyst.ID, disabled, 99999} {
		if err := e.svc.Assign(ctx, e.support, []int64{a}, who); !errs.Is(err, errs.Invalid) {
			t.Errorf("assigned to %d: %v", who, err)
		}
	}
	if err := e.svc.Assign(ctx, e.support, []int64{b}, 0); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.AddNote(ctx, e.support, a, "  Called them back. <b>ok</b>  "); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.AddNote(ctx, e.support, a, "   "); !errs.Is(err, errs.Invalid) {
		t.Error("empty note accepted")
	}
	if err := e.svc.AddNote(ctx, e.support, 99999, "x"); !errs.Is(err, errs.NotFound) {
		t.Errorf("note on a missing conversation: %v", err)
	}
	c, err := e.svc.Get(ctx, e.support, a)
	if err != nil {
		t.Fatal(err)
	}
	if c.Folder != contact.Open || c.AssigneeID != e.supID || len(c.Messages) != 2 || c.Messages[0].Kind != contact.In ||
		c.Messages[1].Kind != contact.Note || c.Messages[1].Body != "Called them back. <b>ok</b>" || c.Messages[1].AuthorID != e.supID {
		t.Errorf("conversation %+v", c)
	}
	if c2, _ := e.svc.Get(ctx, e.support, b); c2.AssigneeID != 0 {
		t.Error("not unassigned")
	}
	if _, err := e.svc.Get(ctx, e.support, 99999); !errs.Is(err, errs.NotFound) {
		t.Errorf("missing: %v", err)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM mail_outbox WHERE purpose <> 'contact.notify'"); n != 0 {
		t.Error("a note was mailed")
	}
	log := auditText(t, e.db)
	for _, action := range []string{"contact.move", "contact.assign", "contact.note", "contact.view " + fmt.Sprintf("contact:%d", a)} {
		if !strings.Contains(log, action) {
			t.Errorf("not audited: %s", action)
		}
	}
	if strings.Contains(log, "Called") {
		t.Error("note text in the audit log")
	}
}

// Replies thread: Message-ID new, In-Reply-To the previous mail, References the chain.
func TestReplyThreading(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	id := e.receive(t, sample, contact.New)
	var thread string
	if err := e.db.QueryRow(ctx, "SELECT thread_id FROM contact_conversations WHERE id = ?", id).Scan(&thread); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(thread, "<") || !strings.HasSuffix(thread, "@example.com>") {
		t.Fatalf("thread id %q", thread)
	}
	if err := e.svc.Reply(ctx, e.support, id, "Yes, you can.\r\nRegards"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Reply(ctx, e.support, id, "One more thing."); err != nil {
		t.Fatal(err)
	}
	var replies []outMail
	for _, m := range e.outbox(t) {
		if m.purpose == "contact.reply" {
			replies = append(replies, m)
		}
	}
	if len(replies) != 2 {
		t.Fatalf("%d replies", len(replies))
	}
	r1, r2 := replies[0], replies[1]
	if r1.to != "ada@example.org" || r1.content.Subject != "Re: Licence question" || r1.content.Text != "Yes, you can.\nRegards\n\n-- \nPrivacy: https://candor.example/privacy\n" { // the privacy notice's footer line
		t.Errorf("reply 1: %q %q %q", r1.to, r1.content.Subject, r1.content.Text)
	}
	if h := r1.content.Headers; h["In-Reply-To"] != thread || h["References"] != thread || h["Reply-To"] != "help@example.com" {
		t.Errorf("reply 1 headers %v", h)
	}
	if h := r2.content.Headers; h["In-Reply-To"] != r1.messageID || h["References"] != thread+" "+r1.messageID {
		t.Errorf("reply 2 headers %v (first %s)", h, r1.messageID)
	}
	if r1.messageID == r2.messageID || r1.messageID == thread {
		t.Error("Message-IDs not new")
	}
	c, _ := e.svc.Get(ctx, e.support, id)
	if c.Folder != contact.Waiting || len(c.Messages) != 3 || c.Messages[1].Kind != contact.Out || c.Messages[1].MessageID != r1.messageID {
		t.Errorf("after replies %+v", c)
	}
	if err := e.svc.Reply(ctx, e.support, id, ""); !errs.Is(err, errs.Invalid) {
		t.Error("empty reply")
	}
	if err := e.svc.Reply(ctx, e.support, 99999, "x"); !errs.Is(err, errs.NotFound) {
		t.Error("reply to a missing conversation")
	}
	// A subject without text still threads, and "Re:" is not doubled.
	id2 := e.receive(t, contact.Submission{Email: "x@example.net", Subject: "RE: earlier", Message: "hi"}, contact.New)
	id3 := e.receive(t, contact.Submission{Email: "x@example.net", Message: "hi"}, contact.New)
	_ = e.svc.Reply(ctx, e.support, id2, "a")
	_ = e.svc.Reply(ctx, e.support, id3, "b")
	all := e.outbox(t)
	if s := all[len(all)-2].content.Subject; s != "RE: earlier" {
		t.Errorf("subject %q", s)
	}
	if s := all[len(all)-1].content.Subject; s != "Re: your message" {
		t.Errorf("subject %q", s)
	}
}

func TestPurgeRetention(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	start := time.Now()
	e.svc.SetClock(func() time.Time { return start })
	spam := e.receive(t, sample, contact.Spam)
	review := e.receive(t, sample, contact.Review)
	closed := e.receive(t, sample, contact.New)
	open := e.receive(t, sample, contact.New)
	if err := e.svc.Move(ctx, e.support, []int64{closed}, contact.Closed); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.AddNote(ctx, e.support, closed, "note"); err != nil {
		t.Fatal(err)
	}
	purge := func(at time.Duration) int64 {
		e.svc.SetClock(func() time.Time { return start.Add(at) })
		n, err := e.svc.Purge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := purge(719 * time.Hour); n != 0 {
		t.Errorf("purged %d early", n)
	}
	if n := purge(721 * time.Hour); n != 2 {
		t.Errorf("purged %d after 30 days", n)
	}
	for _, id := range []int64{spam, review} {
		if count(t, e.db, "SELECT COUNT(*) FROM contact_conversations WHERE id = ?", id)+count(t, e.db, "SELECT COUNT(*) FROM contact_messages WHERE conversation_id = ?", id) != 0 {
			t.Errorf("conversation %d kept", id)
		}
	}
	if n := purge(8761 * time.Hour); n != 1 {
		t.Errorf("purged %d after a year", n)
	}
	if count(t, e.db, "SELECT COUNT(*) FROM contact_messages WHERE conversation_id = ?", closed) != 0 {
		t.Error("closed messages kept")
	}
	if count(t, e.db, "SELECT COUNT(*) FROM contact_conversations WHERE id = ?", open) != 1 {
		t.Error("an open conversation was purged")
	}
}

func TestExport(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	evil := contact.Submission{Name: "=HYPERLINK(\"http://x\")", Email: "evil@example.com", Subject: "+SUM(1,2)",
		Message: "@cmd|' /C calc'!A0", Topic: "-1"}
	a := e.receive(t, evil, contact.New)
	semi := sample
	semi.Name = "Bob;=1+1;"
	b := e.receive(t, semi, contact.New)
	if err := e.svc.AddNote(ctx, e.support, b, "\tTabbed note"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.svc.Export(ctx, e.support, []int64{a, b}, "csv", &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if !csvsafe.Safe(cell) {
				t.Errorf("cell %q not neutralised", cell)
			}
		}
	}
	if rows[2][3] != "Bob;'=1+1;" { // Promise (issue 12, item 6): a spreadsheet splitting on ";" finds no formula either
		t.Errorf("row %q", rows[2])
	}
	if rows[1][3] != "'=HYPERLINK(\"http://x\")" || rows[1][4] != "'+SUM(1,2)" || rows[1][11] != "'@cmd|' /C calc'!A0" || rows[1][5] != "'-1" {
		t.Errorf("row %q", rows[1])
	}
	if rows[3][11] != "Tabbed note" && rows[3][11] != "'\tTabbed note" {
		t.Errorf("note row %q", rows[3])
	}
	buf.Reset()
	if err := e.svc.Export(ctx, e.support, []int64{b}, "json", &buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Conversations []struct {
			ID       int64
			Email    string
			Name     string
			Messages []struct{ Kind, Body string }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Conversations) != 1 || doc.Conversations[0].Email != "ada@example.org" || doc.Conversations[0].Name != "Bob;=1+1;" ||
		len(doc.Conversations[0].Messages) != 2 || doc.Conversations[0].Messages[1].Body != "Tabbed note" {
		t.Errorf("json %s", buf.String())
	}
	if err := e.svc.Export(ctx, e.support, []int64{b}, "xlsx", &buf); !errs.Is(err, errs.Invalid) {
		t.Error("unknown format accepted")
	}
	log := auditText(t, e.db)
	if !strings.Contains(log, "contact.export") || !strings.Contains(log, `"conversations":"2"`) || strings.Contains(log, "evil") || strings.Contains(log, "Ada") {
		t.Errorf("export audit:\n%s", log)
	}
}

// Promise: retention deletes a conversation "with all their messages", including the
// copy of each reply kept in the mail outbox (sealed recipient and reply text).
func TestPurgeDeletesRepliesFromOutbox(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	start := time.Now()
	e.svc.SetClock(func() time.Time { return start })
	id := e.receive(t, sample, contact.New)
	other := e.receive(t, sample, contact.New)
	if err := e.svc.Reply(ctx, e.support, id, "Yes, sign in and move it."); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Reply(ctx, e.support, other, "Kept: still open."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Exec(ctx, "UPDATE mail_outbox SET status = 'sent'"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Move(ctx, e.support, []int64{id}, contact.Closed); err != nil {
		t.Fatal(err)
	}
	e.svc.SetClock(func() time.Time { return start.Add(8761 * time.Hour) })
	if n, err := e.svc.Purge(ctx); err != nil || n != 1 {
		t.Fatalf("purged %d, %v", n, err)
	}
	replies := 0
	for _, m := range e.outbox(t) {
		if m.purpose != "contact.reply" {
			continue
		}
		replies++
		if strings.Contains(m.content.Text, "move it") {
			t.Error("the reply to a purged conversation is still in the outbox")
		}
	}
	if replies != 1 {
		t.Errorf("%d replies left in the outbox, want the open conversation's one", replies)
	}
}

// Promise: only authorized personnel access personal data, and every export says
// whose data left: the audit entry of an export names the conversations (ids only).
func TestExportAuditNamesConversations(t *testing.T) {
	e := setup(t)
	a := e.receive(t, sample, contact.New)
	b := e.receive(t, sample, contact.New)
	var out strings.Builder
	if err := e.svc.Export(context.Background(), e.support, []int64{b, a}, "json", &out); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`"ids":"%d,%d"`, a, b)
	if log := auditText(t, e.db); !strings.Contains(log, want) || strings.Contains(log, "Ada") {
		t.Errorf("export audit entry lacks %s or holds text:\n%s", want, log)
	}
}

// Promise: what people write is seen only by authorized staff, in its conversation. An
// answer by mail to a reply joins the conversation it refers to (by the reply's or the
// thread's Message-ID), reopens it and notifies staff with a link only; it is added
// once however often the mailbox is read; a mail from anyone but the person who wrote
// the conversation (who may have learnt a Message-ID) is left out.
func TestAnswersByMailJoinTheirConversation(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	e.member(t, "reader@example.com", staff.Support, false)
	id := e.receive(t, sample, contact.New)
	if err := e.svc.Reply(ctx, e.support, id, "Yes, you can."); err != nil {
		t.Fatal(err)
	}
	var reply string
	for _, m := range e.outbox(t) {
		if m.purpose == "contact.reply" {
			reply = m.messageID
		}
	}
	var thread string
	if err := e.db.QueryRow(ctx, "SELECT thread_id FROM contact_conversations WHERE id = ?", id).Scan(&thread); err != nil {
		t.Fatal(err)
	}
	notified := func() int { return count(t, e.db, "SELECT COUNT(*) FROM mail_outbox WHERE purpose = 'contact.notify'") }
	before := notified()

	a := contact.Answer{MessageID: "<answer-1@mail.example.org>", References: []string{"<unknown@x>", reply}, From: "Ada@Example.org", Text: "Thanks!"}
	for range 2 {
		out, err := e.svc.ReceiveAnswer(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if out != contact.AnswerAdded && out != contact.AnswerDuplicate {
			t.Fatalf("outcome %s", out)
		}
	}
	c, err := e.svc.Get(ctx, e.support, id)
	if err != nil {
		t.Fatal(err)
	}
	last := c.Messages[len(c.Messages)-1]
	if c.Folder != contact.Open || len(c.Messages) != 3 || last.Kind != contact.In || last.Body != "Thanks!" || !last.ByMail() ||
		strings.Contains(last.MessageID, "mail.example.org") {
		t.Fatalf("after the answer (read twice): folder %s, %d messages, last %+v", c.Folder, len(c.Messages), last)
	}
	if n := notified() - before; n < 1 {
		t.Fatal("no staff notification for the answer")
	}
	for _, m := range e.outbox(t) {
		if m.purpose == "contact.notify" && strings.Contains(m.content.Text, "Thanks!") {
			t.Fatal("a notification carries the answer's text")
		}
	}

	for _, tc := range []struct {
		name string
		a    contact.Answer
		want contact.AnswerOutcome
	}{
		{"a stranger who knows the Message-ID", contact.Answer{MessageID: "<s@x>", References: []string{reply}, From: "mallory@example.net", Text: "hi"}, contact.AnswerStranger},
		{"no known thread", contact.Answer{MessageID: "<n@x>", References: []string{"<nothing@x>"}, From: "ada@example.org", Text: "hi"}, contact.AnswerNoThread},
		{"nothing to show", contact.Answer{MessageID: "<e@x>", References: []string{reply}, From: "ada@example.org", Text: "  "}, contact.AnswerNoText},
		{"the thread's root, no Message-ID of its own", contact.Answer{References: []string{thread}, From: "ada@example.org", Text: "again"}, contact.AnswerAdded},
	} {
		if out, err := e.svc.ReceiveAnswer(ctx, tc.a); err != nil || out != tc.want {
			t.Errorf("%s: %s, %v; want %s", tc.name, out, err, tc.want)
		}
	}
	long := strings.Repeat("é", contact.MaxNoteBytes) // twice the bytes the inbox keeps
	if out, err := e.svc.ReceiveAnswer(ctx, contact.Answer{MessageID: "<long@x>", References: []string{thread}, From: "ada@example.org", Text: long}); err != nil || out != contact.AnswerAdded {
		t.Fatalf("a long answer: %s, %v; want it added, cut", out, err)
	}
	if c, _ := e.svc.Get(ctx, e.support, id); !strings.HasSuffix(c.Messages[len(c.Messages)-1].Body, "The whole mail is still in the mailbox.]") ||
		len(c.Messages[len(c.Messages)-1].Body) > contact.MaxNoteBytes {
		t.Fatal("a long answer is not cut to the inbox's limit with a note saying so")
	}
	// Promise (issue 12, item 7): an answer by mail cannot be refused like a form, so a
	// character that would reorder what staff read is shown as its code point instead.
	if out, err := e.svc.ReceiveAnswer(ctx, contact.Answer{MessageID: "<bidi@x>", References: []string{thread}, From: "ada@example.org", Text: "pay \u202eTNUOCCA\u2069"}); err != nil || out != contact.AnswerAdded {
		t.Fatalf("an answer with a bidi override: %s, %v", out, err)
	}
	if c, _ := e.svc.Get(ctx, e.support, id); c.Messages[len(c.Messages)-1].Body != "pay [U+202E]TNUOCCA[U+2069]" {
		t.Errorf("an answer's bidi override is not made visible: %q", c.Messages[len(c.Messages)-1].Body)
	}
	if err := e.svc.Reply(ctx, e.support, id, "a reply \u202eevil"); !errs.Is(err, errs.Invalid) {
		t.Errorf("a staff reply with a bidi override: %v; want it refused", err)
	}
	if out, _ := e.svc.ReceiveAnswer(ctx, contact.Answer{References: []string{thread}, From: "ada@example.org", Text: "again"}); out != contact.AnswerDuplicate {
		t.Errorf("the same answer without a Message-ID, read again: %s; want duplicate", out)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM contact_messages WHERE conversation_id = ?", id); n != 6 {
		t.Errorf("%d messages; want the form's, the reply and four answers", n)
	}
}
