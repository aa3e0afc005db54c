package privacy_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/sqldb"
	"github.com/candor-dev/candor/internal/staff"
)

// Each domain indexes its email column under the name it seals it with: the privacy
// service relies on it to find a person everywhere.
func TestEveryDomainIndexesEmailUnderItsSealName(t *testing.T) {
	kr, _ := pii.GenerateKeyring()
	s := pii.NewSealer(kr)
	const addr = "someone@example.test"
	c := contact.NewService(nil, s, nil, nil, contact.Options{})
	if c.EmailIndex(addr) != s.Index(contact.SealEmail, addr) {
		t.Error("contact indexes email under another purpose than contact.SealEmail")
	}
	n := newsletter.NewService(nil, s, nil, nil, newsletter.Options{})
	if n.EmailIndex(addr) != s.Index(mail.IndexEmail, addr) || mail.IndexEmail != newsletter.SealEmail {
		t.Error("newsletter and outbox do not share the subscriber.email index")
	}
	sh := shop.New(nil, nil, s, nil, nil, nil, shop.Options{})
	if sh.EmailKey(addr) != s.Index(shop.SealEmail, addr) {
		t.Error("shop indexes email under another purpose than shop.SealEmail")
	}
}

// Promise (issue 10 §3–4): one address is found across subscribers, pending sign-ups,
// the inbox, orders and the outbox; internal notes never show; export is a ZIP of the
// documented JSON and an HTML copy; erasure leaves nothing under the address except a
// paid order, held only for the legal retention and marked so, and the retention
// job's EraseBuyerIdentity then leaves nothing at all. Every step is a recorded
// request and audited with ids and counts only.
func TestAPersonIsFoundExportedAndErasedAcrossDomains(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	p, other := newPerson(1), newPerson(2)
	e.subscriber(t, p)
	e.conversation(t, p, 1)
	paid := e.order(t, p, 1, true)
	e.order(t, p, 2, false) // abandoned checkout
	e.outbox(t, p, 1)
	e.subscriber(t, other)
	e.conversation(t, other, 2)

	sub, err := e.svc.Find(ctx, staff.CLI, " Person1@Example.test ")
	if err != nil {
		t.Fatal(err)
	}
	if sub.Subscription == nil || sub.Subscription.Status != "confirmed" || sub.Subscription.Name != p.name || len(sub.Subscription.Lists) != 1 {
		t.Errorf("subscription = %+v", sub.Subscription)
	}
	if len(sub.Conversations) != 1 || len(sub.Conversations[0].Messages) != 2 {
		t.Fatalf("conversations = %+v; want one with the message and the reply, no note", sub.Conversations)
	}
	if len(sub.Orders) != 2 || len(sub.Outbox) != 1 || sub.Outbox[0].Subject != "Re: Question 1" {
		t.Errorf("orders = %d, outbox = %+v", len(sub.Orders), sub.Outbox)
	}

	var zipped bytes.Buffer
	if _, err := e.svc.ExportZIP(ctx, staff.CLI, p.email, &zipped); err != nil {
		t.Fatal(err)
	}
	files := unzip(t, zipped.Bytes())
	var doc map[string]any
	if err := json.Unmarshal(files["data.json"], &doc); err != nil || doc["schema"] != privacy.Schema {
		t.Fatalf("data.json: schema %v, %v", doc["schema"], err)
	}
	for name, body := range files {
		for _, want := range []string{p.message, p.reply, p.name, "KEY-"} {
			if !bytes.Contains(body, []byte(want)) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		for _, never := range []string{p.note, other.email, other.message} {
			if bytes.Contains(body, []byte(never)) {
				t.Errorf("%s holds %q", name, never)
			}
		}
	}

	res, err := e.svc.EraseSubject(ctx, staff.CLI, p.email)
	if err != nil {
		t.Fatal(err)
	}
	want := privacy.Counts{Subscriber: 1, Conversations: 1, Orders: 2, Outbox: 1, Held: 1}
	if res.Counts != want || res.Erased != 1 {
		t.Errorf("erasure = %+v; want %+v and 1 order erased at once", res, want)
	}
	after, err := e.svc.Find(ctx, staff.CLI, p.email)
	if err != nil {
		t.Fatal(err)
	}
	if after.Subscription != nil || len(after.Conversations) != 0 || len(after.Outbox) != 0 || len(after.Orders) != 1 {
		t.Fatalf("after erasure: %+v", after)
	}
	if held := after.Orders[0]; !held.LegalHold || held.ErasureAsk == nil || held.Ref != "ref-1-"+p.email {
		t.Errorf("the paid order is not marked as held for legal retention: %+v", held)
	}
	// The shop's own lookup by email no longer finds the held order.
	orders, _, err := sqldb.ShopStore{DB: e.db}.Orders(ctx, shop.OrderFilter{EmailIndex: e.sealer.Index(shop.SealEmail, p.email)})
	if err != nil || len(orders) != 0 {
		t.Errorf("the shop still finds %d orders by the address (%v)", len(orders), err)
	}
	var reason string
	if err := e.db.QueryRow(ctx, "SELECT reason FROM suppressions WHERE email_index = ?", e.sealer.Index(newsletter.SealEmail, p.email)).Scan(&reason); err != nil || reason != "erased" {
		t.Errorf("suppression = %q, %v; want erased", reason, err)
	}
	if o, err := e.svc.Find(ctx, staff.CLI, other.email); err != nil || o.Subscription == nil || len(o.Conversations) != 1 {
		t.Errorf("someone else's data went too: %+v, %v", o, err)
	}

	// The held order serves no other use: no receipt is sent again.
	sh := shop.New(sqldb.ShopStore{DB: e.db}, nil, e.sealer, nil, e.audit, nil, shop.Options{})
	if err := sh.ResendReceipt(ctx, staff.CLI, paid); !errs.Is(err, errs.Conflict) {
		t.Errorf("resending the receipt of a held order: %v; want a conflict", err)
	}

	// The retention job ends the legal hold.
	if err := (sqldb.SubjectStore{DB: e.db}).EraseBuyerIdentity(ctx, paid); err != nil {
		t.Fatal(err)
	}
	if last, err := e.svc.Find(ctx, staff.CLI, p.email); err != nil || len(last.Orders) != 0 {
		t.Errorf("after the legal hold: %d orders, %v", len(last.Orders), err)
	}
	checkRequests(t, e, p.email)
}

// checkRequests: every request was recorded and answered, and the audit log holds
// request ids and counts, never the address.
func checkRequests(t *testing.T, e *env, email string) {
	t.Helper()
	ctx := context.Background()
	reqs, err := e.svc.Requests(ctx, staff.CLI, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	kinds := ""
	for _, r := range reqs {
		kinds = string(r.Kind) + " " + kinds
		if r.DoneAt.IsZero() || r.DeadlineAt.Sub(r.ReceivedAt) != privacy.Deadline || strings.Contains(r.EmailSealed, email) || r.Counts == "" {
			t.Errorf("request %+v", r)
		}
	}
	if !strings.HasPrefix(kinds, "access export erase access") {
		t.Errorf("requests, oldest first: %q", kinds)
	}
	entries, err := e.audit.List(ctx, audit.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, en := range entries {
		actions[en.Action]++
		if strings.Contains(en.Subject, "@") || strings.Contains(strings.Join(flatten(en.Detail), " "), "@") {
			t.Errorf("audit entry holds an address: %+v", en)
		}
	}
	if actions["privacy.request"] != len(reqs) || actions["privacy.erase"] != 1 || actions["privacy.export"] != 1 {
		t.Errorf("audit actions = %v", actions)
	}
}

func flatten(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	if len(out) != 2 || out["data.json"] == nil || out["data.html"] == nil {
		t.Fatalf("zip holds %d files", len(out))
	}
	return out
}

// Self-service requests are recorded with their channel and the actor "self", and
// staff must hold every personal-data permission to answer one.
func TestSelfServiceRequestsAreRecordedAndStaffNeedEveryDomain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	p := newPerson(3)
	e.conversation(t, p, 1)
	var zipped bytes.Buffer
	if sub, err := e.svc.ExportSelfZIP(ctx, p.email, &zipped); err != nil || len(sub.Conversations) != 1 {
		t.Fatalf("self export: %d conversations, %v", len(sub.Conversations), err)
	}
	unzip(t, zipped.Bytes())
	if res, err := e.svc.EraseSelf(ctx, p.email); err != nil || res.Counts.Conversations != 1 {
		t.Fatalf("self erase: %+v, %v", res, err)
	}
	reqs, err := e.svc.Requests(ctx, staff.CLI, false, 10)
	if err != nil || len(reqs) != 2 {
		t.Fatalf("requests: %d, %v", len(reqs), err)
	}
	for _, r := range reqs {
		if r.Channel != privacy.SelfService || r.Actor != privacy.SelfActor {
			t.Errorf("request %d: channel %s, actor %s", r.ID, r.Channel, r.Actor)
		}
	}
	support := staff.Principal{ID: 7, Role: staff.Support, Name: "staff:7"}
	if _, err := e.svc.Find(ctx, support, p.email); err == nil {
		t.Error("a support member (no shop or outbox permission) answered a data request")
	}
	if _, err := e.svc.Find(ctx, staff.CLI, "not an address"); err == nil {
		t.Error("a bad address was accepted")
	}
}
