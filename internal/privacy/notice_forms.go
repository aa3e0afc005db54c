package privacy

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/staff"
)

// noticeForm is one of the forms the notice describes: the tables it fills (their
// personal columns, purposes and readers come from the inventory) and the retention
// rules that apply besides the columns' own.
type noticeForm struct {
	name, path, why string
	tables          []string
	rules           []string
}

// forms are the ways a person gives Candor data, in the order the notice lists them.
var forms = []noticeForm{
	{"Newsletter sign-up", "/subscribe", "to send the newsletter you asked for, and to prove your consent",
		[]string{"subscribers", "subscriber_lists", "subscriber_events"}, []string{RulePending, RuleSuppression}},
	{"Contact form", "/contact", "to read and answer your message",
		[]string{"contact_conversations", "contact_messages"}, []string{RuleContactSpam, RuleContactReview, RuleContactIdle}},
	{"Checkout", "/buy", "to deliver and administer your purchase, and to keep the tax records the law requires",
		[]string{"shop_orders"}, []string{RuleCheckout}},
	{"What do you hold about me? (" + MyDataPath + ")", MyDataPath, "to answer your request and to show that it was answered in time",
		[]string{"data_requests"}, nil},
}

// facts reads the form's columns from the inventory.
func (f noticeForm) facts() FormFacts {
	out := FormFacts{Name: f.name, Path: f.path, Why: f.why}
	var roles []staff.Role
	for _, fl := range Inventory() {
		if !fl.Personal || !slices.Contains(f.tables, fl.Table) {
			continue
		}
		if what := fl.What; !linksRows(fl) {
			if fl.Sealed {
				what += " (encrypted)"
			}
			out.Collects = append(out.Collects, what)
		}
		if !slices.Contains(out.Purposes, fl.Purpose) {
			out.Purposes = append(out.Purposes, fl.Purpose)
		}
		if !slices.Contains(out.Kept, fl.Retention) {
			out.Kept = append(out.Kept, fl.Retention)
		}
		for _, r := range fl.Roles() {
			if !slices.Contains(roles, r) {
				roles = append(roles, r)
			}
		}
	}
	for _, r := range f.rules {
		if !slices.Contains(out.Kept, r) {
			out.Kept = append(out.Kept, r)
		}
	}
	slices.SortFunc(out.Purposes, func(a, b Purpose) int { return slices.Index(Purposes, a) - slices.Index(Purposes, b) })
	for _, r := range staff.Roles { // in order of power
		if slices.Contains(roles, r) {
			out.SeenBy = append(out.SeenBy, r)
		}
	}
	return out
}

// linksRows reports whether a column only links rows or dates them (an id, a time): it
// counts for purposes, retention and readers, but says nothing a person gave.
func linksRows(f Field) bool {
	return !f.Sealed && (strings.HasSuffix(f.Column, "_id") || strings.HasSuffix(f.Column, "_at") || f.Column == "at")
}

// periods is every retention rule with the period the configuration sets (the
// setting's effective value, not its default).
func periods(cfg settings) []PeriodFacts {
	var out []PeriodFacts
	for _, r := range Rules {
		p := PeriodFacts{Rule: r.Name, Setting: r.Setting, Period: r.Default, From: r.From, Then: r.Then}
		if v, ok := cfg[r.Setting]; ok && r.Setting != "" {
			if d, err := time.ParseDuration(v); err == nil {
				p.Period = Period(d)
			}
		}
		out = append(out, p)
	}
	return out
}

// Period says a configured duration in words: "10 years", "30 days", "3 hours";
// 0 is "kept" (the settings where 0 switches deletion off).
func Period(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d == 0:
		return "kept"
	case d%(365*day) == 0:
		return plural(int(d/(365*day)), "year")
	case d%day == 0:
		return plural(int(d/day), "day")
	case d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour")
	case d%time.Minute == 0:
		return plural(int(d/time.Minute), "minute")
	}
	return d.String()
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}
