package staff

import (
	"context"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/candor-dev/candor/internal/errs"
)

// MaxDisplayName is the longest display name, in characters, after trimming.
const MaxDisplayName = 60

// NumberLabel is how a member without a display name is shown to colleagues ("Staff #3"):
// their id, never their email.
func NumberLabel(id int64) string { return "Staff #" + strconv.FormatInt(id, 10) }

// CheckDisplayName normalises a display name and checks it. Normalised: NFKC (so a
// full-width "４" is a "4"), every run of spaces one ASCII space, trimmed. Refused: more
// than MaxDisplayName characters, control and invisible format characters (zero-width
// spaces, soft hyphens, bidirectional controls), line separators, "<" or ">", anything
// URL-like ("://"), and a name that reads as one of the inbox's own labels ("You", or
// anything with "Staff #" in it), so that nobody can pass for a colleague's placeholder
// or for the viewer. "" (clear) is valid.
func CheckDisplayName(name string) (string, error) {
	bad := func(msg string) (string, error) { return "", errs.InvalidField("display_name", msg) }
	if !utf8.ValidString(name) {
		return bad("The name holds characters that are not text.")
	}
	for _, r := range name {
		if unicode.IsControl(r) && r != '\t' || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) {
			return bad("The name cannot contain control characters, invisible characters or line breaks.")
		}
	}
	name = strings.Join(strings.FieldsFunc(norm.NFKC.String(name), unicode.IsSpace), " ")
	switch {
	case name == "":
		return "", nil
	case utf8.RuneCountInString(name) > MaxDisplayName:
		return bad("Please keep the name to " + strconv.Itoa(MaxDisplayName) + " characters or fewer.")
	case strings.ContainsAny(name, "<>"):
		return bad("The name cannot contain < or >.")
	case strings.Contains(name, "://"):
		return bad("The name cannot be a web address.")
	case reserved(name):
		return bad("That name is how the inbox labels people itself; please choose another.")
	}
	return name, nil
}

// reserved reports whether a normalised name reads as one of the inbox's own labels:
// "You", or a number label ("Staff #3") anywhere in it, such as the "(Staff #3)" that
// tells two colleagues of the same name apart.
func reserved(name string) bool {
	lower := strings.ToLower(name)
	return lower == "you" || strings.Contains(strings.ReplaceAll(lower, " ", ""), "staff#")
}

// SetDisplayName sets the acting member's own display name (trimmed; "" clears it).
// Nobody sets another member's name, not even an owner. The audit entry records that
// the name was set or cleared, never the name.
func (s *Service) SetDisplayName(ctx context.Context, actor Principal, name string) error {
	if actor.ID <= 0 {
		return errs.E(errs.Forbidden, "Only a signed-in staff member has a display name.")
	}
	name, err := CheckDisplayName(name)
	if err != nil {
		return err
	}
	sealed := ""
	if name != "" {
		if sealed, err = s.sealer.SealString(ctxName, name); err != nil {
			return err
		}
	}
	if _, err := s.store.UpdateMember(ctx, actor.ID, func(r *Record) error {
		r.DisplayNameSealed = sealed
		return nil
	}); err != nil {
		return err
	}
	what := "set"
	if name == "" {
		what = "cleared"
	}
	return s.audit.Record(ctx, actor.Name, "staff.display_name", Subject(actor.ID), "name", what)
}

// ClearDisplayName removes another member's display name (staff.ManageStaff): for a
// name colleagues should not see. The member may choose another. Audited like the
// member's own change, "cleared", with the owner as actor and never the name.
func (s *Service) ClearDisplayName(ctx context.Context, actor Principal, id int64) (Member, error) {
	return s.update(ctx, actor, id, "staff.display_name", func(r *Record) error {
		r.DisplayNameSealed = ""
		return nil
	}, "name", "cleared")
}

// Colleague is a member as other members see them: an id and a label, never an email.
type Colleague struct {
	ID         int64
	Name       string // the display name, or NumberLabel(ID) when the member chose none
	Assignable bool   // active and may read the inbox: may be given a conversation
}

// Colleagues lists every member by id, for anyone who may read the inbox: to name the
// authors of replies and notes (a member since disabled or moved to another role
// included) and the assignees, and to assign work to each other (Assignable). Two
// members whose display names read the same get their number added ("Sam (Staff #4)"),
// so a name cannot pass for someone else's.
//
// Unlike List it writes no audit entry, on purpose: it opens no email and nothing the
// member did not choose to show colleagues (a display name is set for exactly this),
// and the inbox pages that show it audit their own view of personal data
// (contact.list, contact.view). An entry per page view would say nothing more.
func (s *Service) Colleagues(ctx context.Context, actor Principal) ([]Colleague, error) {
	if err := actor.Require(ReadInbox); err != nil {
		return nil, err
	}
	recs, err := s.store.ListMembers(ctx)
	if err != nil {
		return nil, err
	}
	var out []Colleague
	seen := map[string]int{}
	for _, r := range recs {
		name, err := s.openName(r)
		if err != nil {
			return nil, err
		}
		if name == "" {
			name = NumberLabel(r.ID)
		}
		seen[sameKey(name)]++
		out = append(out, Colleague{ID: r.ID, Name: name, Assignable: r.DisabledAt.IsZero() && r.Role.Can(ReadInbox)})
	}
	for i, c := range out {
		if seen[sameKey(c.Name)] > 1 {
			out[i].Name = c.Name + " (" + NumberLabel(c.ID) + ")"
		}
	}
	return out, nil
}

// sameKey is what two names that read the same share: NFKC, case folded, spaces as one.
// (CheckDisplayName normalises a name before it is stored; this also covers names
// stored before it did.) A suffixed label "(Staff #N)" cannot equal any name, since no
// name may contain "Staff #".
func sameKey(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(norm.NFKC.String(name))), " ")
}

// openName opens a record's display name; "" when none is set.
func (s *Service) openName(r Record) (string, error) {
	if r.DisplayNameSealed == "" {
		return "", nil
	}
	name, err := s.sealer.OpenString(ctxName, r.DisplayNameSealed)
	if err != nil {
		return "", errs.Wrap(errs.Internal, "", err)
	}
	return name, nil
}
