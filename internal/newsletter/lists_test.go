package newsletter_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/staff"
)

// fieldOf returns the field an error names.
func fieldOf(err error) string {
	if e, ok := err.(*errs.Error); ok {
		return e.Field
	}
	return ""
}

func listBySlug(t *testing.T, e env, slug string) (newsletter.List, bool) {
	t.Helper()
	lists, err := e.svc.Lists(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lists {
		if l.Slug == slug {
			return l, true
		}
	}
	return newsletter.List{}, false
}

// Promise: a list's slug (what the website posts) and name are checked, and a new list
// can be signed up to at once (the 10 s list cache is dropped on every change).
func TestCreateList(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	if _, err := e.svc.Lists(ctx); err != nil { // warm the cache
		t.Fatal(err)
	}
	l, err := e.svc.CreateList(ctx, supporter, " product-x ", " Product X ", " Releases of X ")
	if err != nil {
		t.Fatal(err)
	}
	if l.ID == 0 || l.Slug != "product-x" || l.Name != "Product X" || l.Description != "Releases of X" {
		t.Fatalf("created %+v", l)
	}
	if got, ok := listBySlug(t, e, "product-x"); !ok || got != l {
		t.Fatalf("Lists() after create: %+v %v", got, ok)
	}
	err = e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: "ana@example.com", Lists: []string{"product-x"}, ConsentVersion: "1", Source: "x"})
	if err != nil {
		t.Fatalf("sign-up to the new list: %v", err)
	}

	long := strings.Repeat("a", 41)
	for _, tc := range []struct {
		name, slug, lname, desc string
		code                    errs.Code
		field                   string
	}{
		{"empty slug", "", "N", "", errs.Invalid, "slug"},
		{"uppercase slug", "News2", "N", "", errs.Invalid, "slug"},
		{"slug with space", "a b", "N", "", errs.Invalid, "slug"},
		{"slug with underscore", "a_b", "N", "", errs.Invalid, "slug"},
		{"slug with accent", "café", "N", "", errs.Invalid, "slug"},
		{"slug too long", long, "N", "", errs.Invalid, "slug"},
		{"taken slug", "news", "Another", "", errs.Conflict, "slug"},
		{"taken slug, just made", "product-x", "Another", "", errs.Conflict, "slug"},
		{"empty name", "a", "  ", "", errs.Invalid, "name"},
		{"name with line break", "a", "Two\nlines", "", errs.Invalid, "name"},
		{"name with control", "a", "Bell\x07", "", errs.Invalid, "name"},
		{"name not UTF-8", "a", "bad\xff", "", errs.Invalid, "name"},
		{"name too long", "a", strings.Repeat("é", 81), "", errs.Invalid, "name"},
		{"description too long", "a", "N", strings.Repeat("d", 201), errs.Invalid, "description"},
		{"description with line break", "a", "N", "a\r\nb", errs.Invalid, "description"},
	} {
		_, err := e.svc.CreateList(ctx, owner, tc.slug, tc.lname, tc.desc)
		if !errs.Is(err, tc.code) || fieldOf(err) != tc.field {
			t.Errorf("%s: %v (field %q); want %s naming %q", tc.name, err, fieldOf(err), tc.code, tc.field)
		}
	}
	if _, err := e.svc.CreateList(ctx, owner, "news", "N", ""); !strings.Contains(errs.PublicOf(err), "news") {
		t.Errorf("a taken slug's message does not name it: %q", errs.PublicOf(err))
	}
	// The limits themselves are allowed, counted in characters.
	edge := strings.Repeat("x", 40)
	if _, err := e.svc.CreateList(ctx, owner, edge, strings.Repeat("é", 80), strings.Repeat("ü", 200)); err != nil {
		t.Errorf("a list at the limits: %v", err)
	}
	if _, err := e.svc.CreateList(ctx, owner, "0-9", "Ünïcødé ✓", ""); err != nil {
		t.Errorf("digits and hyphen: %v", err)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM newsletter_lists"); n != 4 {
		t.Errorf("%d lists; want 4 (news, product-x and the two at the limits)", n)
	}
	if a := auditText(t, e.db); !strings.Contains(a, "staff:3 list.create list:"+strconv.FormatInt(l.ID, 10)+" {\"slug\":\"product-x\"}") {
		t.Errorf("no audit entry for the creation:\n%s", a)
	}
}

// Promise: renaming keeps the slug, so the forms already pasted on the website keep
// working; the default list can be renamed.
func TestUpdateList(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	news := newsList(t, e)
	if err := e.svc.UpdateList(ctx, marketer, news, "Company news", "Once a month"); err != nil {
		t.Fatal(err)
	}
	l, ok := listBySlug(t, e, "news")
	if !ok || l.ID != news || l.Name != "Company news" || l.Description != "Once a month" {
		t.Fatalf("after rename: %+v %v", l, ok)
	}
	if err := e.svc.UpdateList(ctx, owner, news, "", ""); !errs.Is(err, errs.Invalid) || fieldOf(err) != "name" {
		t.Errorf("empty name: %v", err)
	}
	if err := e.svc.UpdateList(ctx, owner, news, "N", strings.Repeat("d", 201)); !errs.Is(err, errs.Invalid) || fieldOf(err) != "description" {
		t.Errorf("long description: %v", err)
	}
	if err := e.svc.UpdateList(ctx, owner, 9999, "N", ""); !errs.Is(err, errs.NotFound) {
		t.Errorf("unknown list: %v", err)
	}
	if a := auditText(t, e.db); !strings.Contains(a, "staff:2 list.update list:"+strconv.FormatInt(news, 10)) {
		t.Errorf("no audit entry for the rename:\n%s", a)
	}
}

// Promise: deleting a list never silently changes what a campaign not yet finished will
// send, and never deletes the default list; the subscribers of a deleted list stay.
func TestDeleteList(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	news := newsList(t, e)
	if err := e.svc.DeleteList(ctx, owner, news); !errs.Is(err, errs.Conflict) || !strings.Contains(errs.PublicOf(err), "default list") {
		t.Fatalf("deleting the default list: %v", err)
	}
	px, err := e.svc.CreateList(ctx, owner, "product-x", "Product X", "")
	if err != nil {
		t.Fatal(err)
	}
	pv, err := e.svc.PreviewImport(ctx, owner, strings.NewReader("ana@example.com\nbob@example.com\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CommitImport(ctx, owner, pv.ID, "test", []int64{news, px.ID}); err != nil {
		t.Fatal(err)
	}
	camp, err := e.camps.Create(ctx, owner, newsletter.Campaign{Subject: "X 2.0 is out", BodyMarkdown: "Hi", Lists: []int64{news, px.ID}})
	if err != nil {
		t.Fatal(err)
	}
	err = e.svc.DeleteList(ctx, owner, px.ID)
	if !errs.Is(err, errs.Conflict) || !strings.Contains(errs.PublicOf(err), "“X 2.0 is out” (draft)") {
		t.Fatalf("deleting a list a draft targets: %v", err)
	}
	if _, ok := listBySlug(t, e, "product-x"); !ok {
		t.Fatal("the refused delete deleted the list")
	}
	// Paused campaigns can resume, so they hold their lists too; two are named.
	other, err := e.camps.Create(ctx, owner, newsletter.Campaign{Subject: "Second", BodyMarkdown: "Hi", Lists: []int64{px.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.camps.SendNow(ctx, owner, other); err != nil {
		t.Fatal(err)
	}
	if err := e.camps.Pause(ctx, owner, other); err != nil {
		t.Fatal(err)
	}
	err = e.svc.DeleteList(ctx, owner, px.ID)
	if msg := errs.PublicOf(err); !errs.Is(err, errs.Conflict) || !strings.Contains(msg, "(draft)") || !strings.Contains(msg, "“Second” (paused)") {
		t.Fatalf("deleting a list two campaigns target: %v", err)
	}
	for _, id := range []int64{camp, other} {
		if err := e.camps.Cancel(ctx, owner, id); err != nil {
			t.Fatal(err)
		}
	}
	// Finished campaigns do not hold a list.
	if err := e.svc.DeleteList(ctx, supporter, px.ID); err != nil {
		t.Fatalf("deleting a list only cancelled campaigns targeted: %v", err)
	}
	if _, ok := listBySlug(t, e, "product-x"); ok {
		t.Fatal("the list is still offered after its deletion")
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM subscribers"); n != 2 {
		t.Errorf("%d subscribers after deleting a list; want 2", n)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM subscriber_lists WHERE list_id = ?", px.ID); n != 0 {
		t.Errorf("%d memberships of the deleted list remain", n)
	}
	c, err := e.camps.Get(ctx, owner, camp)
	if err != nil || len(c.Lists) != 1 || c.Lists[0] != news {
		t.Errorf("campaign lists after the delete: %v %v", c.Lists, err)
	}
	if err := e.svc.DeleteList(ctx, owner, px.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("deleting it twice: %v", err)
	}
	a := auditText(t, e.db)
	if !strings.Contains(a, "staff:3 list.delete list:"+strconv.FormatInt(px.ID, 10)+" {\"slug\":\"product-x\"}") {
		t.Errorf("no audit entry for the deletion:\n%s", a)
	}
	if strings.Count(a, "list.delete") != 1 {
		t.Errorf("refused deletions were audited as deletions:\n%s", a)
	}
}

// Promise: the counts are of confirmed subscribers who receive the list: not pending
// sign-ups, not people who left the list.
func TestListSummaries(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	news := newsList(t, e)
	px, err := e.svc.CreateList(ctx, owner, "product-x", "Product X", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateList(ctx, owner, "empty", "Empty", ""); err != nil {
		t.Fatal(err)
	}
	pv, err := e.svc.PreviewImport(ctx, owner, strings.NewReader("ana@example.com\nbob@example.com\ncid@example.com\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CommitImport(ctx, owner, pv.ID, "test", []int64{news, px.ID}); err != nil {
		t.Fatal(err)
	}
	var bob int64
	if err := e.db.QueryRow(ctx, "SELECT id FROM subscribers WHERE email_index = ?", e.svc.EmailIndex("bob@example.com")).Scan(&bob); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Exec(ctx, "UPDATE subscriber_lists SET subscribed = 0 WHERE subscriber_id = ? AND list_id = ?", bob, px.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Subscribe(ctx, newsletter.SubscribeInput{Email: "dan@example.com", Lists: []string{"product-x"}, ConsentVersion: "1", Source: "x"}); err != nil {
		t.Fatal(err)
	}
	sums, err := e.svc.ListSummaries(ctx, supporter)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, s := range sums {
		got[s.Slug] = s.Confirmed
	}
	if len(got) != 3 || got["news"] != 3 || got["product-x"] != 2 || got["empty"] != 0 {
		t.Fatalf("counts %v; want news 3, product-x 2, empty 0", got)
	}
}

func TestListAuthorization(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	shop := staff.Principal{ID: 5, Role: staff.ShopRole, Name: "staff:5"}
	for _, actor := range []staff.Principal{analyst, shop} {
		for name, err := range map[string]error{
			"summaries": second(e.svc.ListSummaries(ctx, actor)),
			"create":    second(e.svc.CreateList(ctx, actor, "x", "X", "")),
			"update":    e.svc.UpdateList(ctx, actor, 1, "X", ""),
			"delete":    e.svc.DeleteList(ctx, actor, 1),
		} {
			if !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s as %s: %v; want forbidden", name, actor.Role, err)
			}
		}
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM newsletter_lists"); n != 1 {
		t.Errorf("%d lists after refused calls", n)
	}
}

// Promise: a list is never deleted out from under a campaign being written at the same
// moment: either the delete is refused, or the campaign is (its list is gone). No draft
// is left without a list.
func TestDeleteListRacesCampaign(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	for i := range 10 {
		l, err := e.svc.CreateList(ctx, owner, "race-"+strconv.Itoa(i), "Race", "")
		if err != nil {
			t.Fatal(err)
		}
		created, deleted := make(chan error, 1), make(chan error, 1)
		go func() {
			_, err := e.camps.Create(ctx, owner, newsletter.Campaign{Subject: "Race", BodyMarkdown: "Hi", Lists: []int64{l.ID}})
			created <- err
		}()
		go func() { deleted <- e.svc.DeleteList(ctx, owner, l.ID) }()
		cErr, dErr := <-created, <-deleted
		if (cErr == nil) == (dErr == nil) {
			t.Fatalf("round %d: campaign %v, delete %v; want exactly one to succeed", i, cErr, dErr)
		}
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM campaigns c WHERE NOT EXISTS (SELECT 1 FROM campaign_lists cl WHERE cl.campaign_id = c.id)"); n != 0 {
		t.Fatalf("%d campaigns lost their list", n)
	}
}

// Promise: a confirmation link still works after one of the lists it names was deleted:
// the person joins the lists that remain.
func TestConfirmAfterListDeleted(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	px, tok := signUpForTwoLists(t, e)
	if err := e.svc.DeleteList(ctx, owner, px.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Confirm(ctx, tok); err != nil {
		t.Fatalf("confirming after a list was deleted: %v", err)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM subscribers WHERE status = 'confirmed'"); n != 1 {
		t.Fatal("not confirmed")
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM subscriber_lists WHERE list_id = ?", newsList(t, e)); n != 1 {
		t.Errorf("on the default list %d times; want 1", n)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM subscriber_lists"); n != 1 {
		t.Errorf("%d memberships; want the default list's only", n)
	}
}

// Promise: a confirmation link replayed after the subscriber left a list on the
// preferences page does not put them back on it.
func TestReplayedConfirmationKeepsALaterChoice(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	px, tok := signUpForTwoLists(t, e)
	if err := e.svc.Confirm(ctx, tok); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := e.db.QueryRow(ctx, "SELECT id FROM subscribers").Scan(&id); err != nil {
		t.Fatal(err)
	}
	unsub, err := e.svc.UnsubscribeToken(id, 0)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond) // the preference change is strictly later than the confirmation
	if err := e.svc.SetPreferences(ctx, unsub, []int64{newsList(t, e)}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Confirm(ctx, tok); err != nil {
		t.Fatalf("replaying the link: %v", err)
	}
	if n := count(t, e.db, "SELECT COUNT(*) FROM subscriber_lists WHERE list_id = ? AND subscribed = 1", px.ID); n != 0 {
		t.Fatal("the replayed link put the subscriber back on the list they left")
	}
}

// signUpForTwoLists signs ana@example.com up for "news" and a new list "product-x"
// and returns that list and the confirmation link's token.
func signUpForTwoLists(t *testing.T, e env) (newsletter.List, string) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.svc.CreateList(ctx, owner, "product-x", "Product X", ""); err != nil {
		t.Fatal(err)
	}
	px, _ := listBySlug(t, e, "product-x")
	in := newsletter.SubscribeInput{Email: "ana@example.com", Lists: []string{"news", "product-x"}, ConsentVersion: "1", Source: "x"}
	if err := e.svc.Subscribe(ctx, in); err != nil {
		t.Fatal(err)
	}
	_, c := e.queuedMail(t)
	return px, linkToken(t, c.Text, "https://candor.example/subscribe/confirm/")
}
