package staff

import (
	"context"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
)

// MaxDisplayName is the longest display name, in characters, after trimming.
const MaxDisplayName = 60

// NumberLabel is how a member without a display name is shown to colleagues ("Staff #3"):
// their id, never their email.
func NumberLabel(id int64) string { return "Staff #" + strconv.FormatInt(id, 10) }

// CheckDisplayName trims a display name and checks it: at most MaxDisplayName
// characters, no control or bidirectional-formatting characters, no line separators,
// no "<" or ">", nothing URL-like ("://"), and not a name the inbox uses itself ("You",
// "Staff #N"), so nobody can pass for a colleague's placeholder. "" (clear) is valid.
func CheckDisplayName(name string) (string, error) {
	name = strings.TrimSpace(name)
	bad := func(msg string) (string, error) { return "", errs.InvalidField("display_name", msg) }
	switch {
	case name == "":
		return "", nil
	case !utf8.ValidString(name):
		return bad("The name holds characters that are not text.")
	case utf8.RuneCountInString(name) > MaxDisplayName:
		return bad("Please keep the name to " + strconv.Itoa(MaxDisplayName) + " characters or fewer.")
	case strings.ContainsAny(name, "<>"):
		return bad("The name cannot contain < or >.")
	case strings.Contains(name, "://"):
		return bad("The name cannot be a web address.")
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || unicode.In(r, unicode.Zl, unicode.Zp) {
			return bad("The name cannot contain control characters or line breaks.")
		}
	}
	if reserved(name) {
		return bad("That name is how the inbox labels people itself; please choose another.")
	}
	return name, nil
}

// reserved reports whether name reads as one of the inbox's own labels.
func reserved(name string) bool {
	if strings.EqualFold(name, "You") {
		return true
	}
	if len(name) < len("Staff #") || !strings.EqualFold(name[:len("Staff #")], "Staff #") {
		return false
	}
	_, err := strconv.ParseUint(strings.TrimSpace(name[len("Staff #"):]), 10, 63)
	return err == nil
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
	ID   int64
	Name string // the display name, or NumberLabel(ID) when the member chose none
}

// Colleagues lists the active members who may read the inbox, by id, for anyone who
// may read it (to name assignees and authors, and to assign work to each other). Two
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
		if !r.DisabledAt.IsZero() || !r.Role.Can(ReadInbox) {
			continue
		}
		name, err := s.openName(r)
		if err != nil {
			return nil, err
		}
		if name == "" {
			name = NumberLabel(r.ID)
		}
		seen[strings.ToLower(name)]++
		out = append(out, Colleague{ID: r.ID, Name: name})
	}
	for i, c := range out {
		if seen[strings.ToLower(c.Name)] > 1 {
			out[i].Name = c.Name + " (" + NumberLabel(c.ID) + ")"
		}
	}
	return out, nil
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
