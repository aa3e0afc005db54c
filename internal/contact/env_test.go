package contact_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
	"github.com/candor-dev/candor/internal/testkit/dbtest"
)

type env struct {
	db      *sqldb.DB
	sealer  *pii.Sealer
	svc     *contact.Service
	notify  *countNotify
	support staff.Principal
	analyst staff.Principal
	supID   int64
}

type countNotify struct{ n int }

func (c *countNotify) Notify() { c.n++ }

func setup(t *testing.T) env {
	t.Helper()
	db := dbtest.Open(t)
	kr, err := pii.GenerateKeyring()
	if err != nil {
		t.Fatal(err)
	}
	sealer := pii.NewSealer(kr)
	n := &countNotify{}
	svc := contact.NewService(sqldb.ContactStore{DB: db}, sealer, audit.New(sqldb.AuditStore{DB: db}, sealer.Index), n, contact.Options{
		PublicURL: "https://candor.example", MailDomain: "example.com", ReplyTo: "help@example.com",
	})
	e := env{db: db, sealer: sealer, svc: svc, notify: n}
	e.supID = e.member(t, "support@staff.example", staff.Support, false)
	e.member(t, "owner@staff.example", staff.Owner, false)
	e.member(t, "gone@staff.example", staff.Admin, true)
	anID := e.member(t, "analyst@staff.example", staff.Analyst, false)
	e.support = staff.Principal{ID: e.supID, Role: staff.Support, Name: staff.Subject(e.supID)}
	e.analyst = staff.Principal{ID: anID, Role: staff.Analyst, Name: staff.Subject(anID)}
	return e
}

// member adds a staff row directly (no password hashing: these tests never sign in).
func (e env) member(t *testing.T, email string, role staff.Role, disabled bool) int64 {
	t.Helper()
	sealed, err := e.sealer.SealString(staff.SealEmail, email)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	r := staff.Record{EmailIndex: e.sealer.Index("staff.email", email), EmailSealed: sealed, Role: role,
		PasswordHash: "unused", CreatedAt: now, PasswordChangedAt: now}
	id, err := sqldb.StaffStore{DB: e.db}.CreateMember(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if disabled {
		if _, err := e.db.Exec(context.Background(), "UPDATE staff SET disabled_at = ? WHERE id = ?", now.UnixMilli(), id); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// receive validates and stores a submission; it returns the new conversation's id.
func (e env) receive(t *testing.T, in contact.Submission, folder contact.Folder) int64 {
	t.Helper()
	v, err := e.svc.Validate(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Receive(context.Background(), v, folder, 0, nil); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := e.db.QueryRow(context.Background(), "SELECT MAX(id) FROM contact_conversations").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

type outMail struct {
	purpose, to string
	content     mail.Content
	messageID   string
}

// outbox opens every transactional mail, oldest first.
func (e env) outbox(t *testing.T) []outMail {
	t.Helper()
	rows, err := e.db.Query(context.Background(), "SELECT purpose, to_sealed, content_sealed, message_id FROM mail_outbox ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outMail
	for rows.Next() {
		var q mail.Queued
		if err := rows.Scan(&q.Purpose, &q.ToSealed, &q.ContentSealed, &q.MessageID); err != nil {
			t.Fatal(err)
		}
		to, c, err := mail.Open(e.sealer, q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, outMail{q.Purpose, to.Reveal(), c, q.MessageID})
	}
	return out
}

func count(t *testing.T, db *sqldb.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// auditText is the whole audit log as text, for negative assertions.
func auditText(t *testing.T, db *sqldb.DB) string {
	t.Helper()
	rows, err := db.Query(context.Background(), "SELECT actor, action, subject, detail FROM audit_log ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var a, ac, s, d string
		if err := rows.Scan(&a, &ac, &s, &d); err != nil {
			t.Fatal(err)
		}
		b.WriteString(a + " " + ac + " " + s + " " + d + "\n")
	}
	return b.String()
}

var sample = contact.Submission{Name: "Ada Lovelace", Email: "Ada@Example.org", Subject: "Licence question",
	Message: "Can I move my licence to a new laptop?", Topic: "pro"}
