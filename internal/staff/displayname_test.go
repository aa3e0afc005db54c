package staff_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// Display names: what a member may call themself, who may set it, that it is sealed,
// and that setting it is audited without the name.

func TestCheckDisplayName(t *testing.T) {
	t.Parallel()
	ok := []struct{ in, want string }{
		{"Sue", "Sue"},
		{"  Sue Support \t", "Sue Support"},
		{"", ""},
		{"   ", ""},
		{"Zoë Ångström-Ñúñez", "Zoë Ångström-Ñúñez"},
		{"李小龙", "李小龙"},
		{"O'Brien & Co (support)", "O'Brien & Co (support)"},
		{strings.Repeat("é", staff.MaxDisplayName), strings.Repeat("é", staff.MaxDisplayName)},
		{"Staff member", "Staff member"},
		{"Yours truly", "Yours truly"},
		{"example.com fan", "example.com fan"},
		{"Sam  Lee", "Sam Lee"},       // spaces collapsed: "Sam Lee" and "Sam  Lee" read the same
		{"Sam\u00a0Lee", "Sam Lee"},   // a no-break space is a space
		{"Ｓａｍ ４", "Sam 4"},            // NFKC: full-width letters and digits
		{"Tab\tinside", "Tab inside"}, // a tab is a space
	}
	for _, tt := range ok {
		got, err := staff.CheckDisplayName(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("CheckDisplayName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	bad := []string{
		strings.Repeat("a", staff.MaxDisplayName+1),
		"Sue\x00", "Sue\nEvil", "Sue\rX", "Sue\u0085X", "Sue\u2028Line",
		"Sam\u200b Lee", "Sam\u00adLee", "\ufeffSue", "Sue\u2060", // invisible format characters
		"You\u200b", "Staff #\u200b4", "Staff #4\u200b", "Staff #４", "Staff # 4", "Sam (Staff #2)", "Staff#2",
		"evil\u202Eeman", "\u2066Sue\u2069",
		"<b>Sue</b>", "Sue >", "a<b",
		"https://evil.example", "see ftp://x",
		"You", "you", "Staff #1", "staff #42", "STAFF #7",
		"Sue\xff",
	}
	for _, in := range bad {
		if got, err := staff.CheckDisplayName(in); err == nil {
			t.Errorf("CheckDisplayName(%q) = %q; want it refused", in, got)
		} else if !errs.Is(err, errs.Invalid) || fieldOf(err) != "display_name" {
			t.Errorf("CheckDisplayName(%q) = %v (field %q); want invalid display_name", in, err, fieldOf(err))
		}
	}
}

// Promise: a member chooses their own display name; it is stored sealed, can be
// cleared, and the audit log records that it changed, never what it is.
func TestSetDisplayName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const name = "Canary Quokka-Name"
	sue := e.add(t, "sue.name@example.com", staff.Support, goodPassword)

	if err := e.svc.SetDisplayName(e.ctx, sue.Principal(), "  "+name+"  "); err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.Get(e.ctx, sue.Principal(), sue.ID)
	if err != nil || got.DisplayName != name {
		t.Fatalf("after SetDisplayName: %q, %v; want %q", got.DisplayName, err, name)
	}
	var sealed string
	if err := e.db.QueryRow(e.ctx, "SELECT display_name_sealed FROM staff WHERE id = ?", sue.ID).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if opened, err := e.sealer.OpenString(staff.SealName, sealed); err != nil || opened != name {
		t.Fatalf("display_name_sealed does not open to the name under %s: %v", staff.SealName, err)
	}
	if _, err := e.sealer.OpenString(staff.SealEmail, sealed); err == nil {
		t.Fatal("the display name opens under the email's context")
	}
	dump := strings.ToLower(e.dumpTables(t, "staff", "audit_log"))
	for _, needle := range []string{name, "quokka"} {
		if strings.Contains(dump, strings.ToLower(needle)) {
			t.Errorf("the database holds %q in plain text", needle)
		}
	}

	// A refused name changes nothing.
	err = e.svc.SetDisplayName(e.ctx, sue.Principal(), "<script>")
	wantCode(t, err, errs.Invalid, "display_name")
	if got, _ := e.svc.Get(e.ctx, sue.Principal(), sue.ID); got.DisplayName != name {
		t.Fatalf("a refused name replaced the old one: %q", got.DisplayName)
	}

	// Empty clears it.
	if err := e.svc.SetDisplayName(e.ctx, sue.Principal(), " "); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.Get(e.ctx, sue.Principal(), sue.ID); got.DisplayName != "" {
		t.Fatalf("after clearing: %q", got.DisplayName)
	}
	if err := e.db.QueryRow(e.ctx, "SELECT display_name_sealed FROM staff WHERE id = ?", sue.ID).Scan(&sealed); err != nil || sealed != "" {
		t.Fatalf("after clearing the column holds %q, %v", sealed, err)
	}

	// Audited as the member's own action, set then cleared, without the name.
	var details []string
	for _, a := range e.auditActions(t, staff.Subject(sue.ID)) {
		if a.Action == "staff.display_name" {
			if a.Actor != sue.Principal().Name {
				t.Errorf("audited actor %q; want %q", a.Actor, sue.Principal().Name)
			}
			details = append(details, a.Detail["name"])
			if s := strings.ToLower(fmt.Sprint(a.Detail)); strings.Contains(s, "quokka") {
				t.Errorf("the audit detail holds the name: %v", a.Detail)
			}
		}
	}
	if strings.Join(details, ",") != "set,cleared" {
		t.Fatalf("audited display-name changes: %v; want set, cleared", details)
	}

	// Only a member has a name: the command line (no id) may not set one.
	wantCode(t, e.svc.SetDisplayName(e.ctx, staff.CLI, "Root"), errs.Forbidden, "")

	// An owner may clear a name colleagues should not see; nobody else may.
	if err := e.svc.SetDisplayName(e.ctx, sue.Principal(), name); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ClearDisplayName(e.ctx, sue.Principal(), e.owner.ID); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("support clears a colleague's name: %v; want forbidden", err)
	}
	got, err = e.svc.ClearDisplayName(e.ctx, e.owner.Principal(), sue.ID)
	if err != nil || got.DisplayName != "" {
		t.Fatalf("an owner clears the name: %q, %v", got.DisplayName, err)
	}
	entries := e.auditActions(t, staff.Subject(sue.ID))
	if a := entries[len(entries)-1]; a.Action != "staff.display_name" || a.Actor != e.owner.Principal().Name || a.Detail["name"] != "cleared" {
		t.Fatalf("the owner's clearing is audited as %+v", a)
	}
}

// Promise: colleagues see one another by display name or "Staff #N", never by email;
// only active members who may read the inbox are listed, to anyone who may read it.
func TestColleagues(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sue := e.add(t, "sue.colleague@example.com", staff.Support, goodPassword)
	ada := e.add(t, "ada.colleague@example.com", staff.Admin, goodPassword)
	gone := e.add(t, "gone.colleague@example.com", staff.Support, goodPassword)
	ana := e.add(t, "ana.colleague@example.com", staff.Analyst, goodPassword)
	mark := e.add(t, "mark.colleague@example.com", staff.Marketing, goodPassword)
	for m, name := range map[staff.Member]string{sue: "Sue", gone: "Gone Person", ana: "Ana Lyst", mark: "Mark Eting"} {
		if err := e.svc.SetDisplayName(e.ctx, m.Principal(), name); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Disable(e.ctx, staff.CLI, gone.ID); err != nil {
		t.Fatal(err)
	}
	before := len(e.auditActions(t, ""))

	for _, viewer := range []staff.Member{sue, ada, e.owner} {
		list, err := e.svc.Colleagues(e.ctx, viewer.Principal())
		if err != nil {
			t.Fatalf("Colleagues as %s: %v", viewer.Role, err)
		}
		got := fmt.Sprintf("%v", list)
		num := func(m staff.Member) string { return "Staff #" + strconv.FormatInt(m.ID, 10) }
		want := fmt.Sprintf("%v", []staff.Colleague{{e.owner.ID, num(e.owner), true}, {sue.ID, "Sue", true}, {ada.ID, num(ada), true},
			{gone.ID, "Gone Person", false}, {ana.ID, "Ana Lyst", false}, {mark.ID, "Mark Eting", false}})
		if got != want {
			t.Errorf("Colleagues as %s = %s; want %s (the disabled and those who may not read the inbox named, not assignable)", viewer.Role, got, want)
		}
		for _, needle := range []string{"@", "example.com", "colleague"} {
			if strings.Contains(got, needle) {
				t.Errorf("Colleagues as %s shows %q: %s", viewer.Role, needle, got)
			}
		}
	}
	if after := len(e.auditActions(t, "")); after != before {
		t.Errorf("Colleagues wrote %d audit entries; it is documented to write none", after-before)
	}

	// Roles that may not read the inbox may not list colleagues.
	for _, a := range []staff.Principal{ana.Principal(), mark.Principal(), {}} {
		_, err := e.svc.Colleagues(e.ctx, a)
		wantCode(t, err, errs.Forbidden, "")
	}

	// Two members with the same name are told apart by number.
	if err := e.svc.SetDisplayName(e.ctx, ada.Principal(), "sue"); err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.Colleagues(e.ctx, sue.Principal())
	if err != nil {
		t.Fatal(err)
	}
	names := map[int64]string{}
	for _, c := range list {
		names[c.ID] = c.Name
	}
	if names[sue.ID] != "Sue (Staff #"+strconv.FormatInt(sue.ID, 10)+")" || names[ada.ID] != "sue (Staff #"+strconv.FormatInt(ada.ID, 10)+")" {
		t.Errorf("same-name colleagues: %v", names)
	}
}
