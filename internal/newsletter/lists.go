package newsletter

import (
	"context"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// Staff manage the mailing lists (e.g. one per product): create, rename, describe,
// delete. Lists are not personal data, so reading them is not audited; every change is
// (actions list.create, list.update, list.delete; subject "list:ID"). The permission is
// staff.ManageSubscribers: whoever manages who receives what manages the lists too.
//
// A list's slug is what the vendor's website posts (name="list" value="SLUG"), so it
// never changes after creation: renaming a list changes only what people read.

// List field limits.
const (
	MaxSlugLen          = 40
	MaxListNameRunes    = 80
	MaxDescriptionRunes = 200
	listsInConflictMsg  = 3 // campaigns named in a "list in use" error
)

// ListSummary is a list as the staff page shows it: with its number of confirmed
// subscribers (those who receive it: subscribed and confirmed).
type ListSummary struct {
	List
	Confirmed int
}

// ListStore is what list management needs from storage (part of Store).
type ListStore interface {
	// CreateList inserts a list and returns its id; a taken slug is errs.Conflict.
	CreateList(ctx context.Context, l List, at time.Time) (int64, error)
	// UpdateList changes a list's name and description (never its slug).
	UpdateList(ctx context.Context, l List) error
	// DeleteList deletes a list (its memberships and campaign targets cascade) unless a
	// campaign in one of the statuses targets it: then it deletes nothing and returns
	// those campaigns (ID, Subject, Status). Check and delete are one transaction.
	DeleteList(ctx context.Context, id int64, busy []CampaignStatus) ([]Campaign, error)
	// ConfirmedPerList counts, per list id, the confirmed subscribers who receive it.
	ConfirmedPerList(ctx context.Context) (map[int64]int, error)
}

// busyStatuses are the campaign states that still need their lists: a campaign that may
// yet queue recipients, or is sending (a paused one can resume).
var busyStatuses = []CampaignStatus{Draft, Scheduled, Sending, Paused}

// CheckboxHTML is the list's checkbox for the subscribe form on the vendor's website
// (docs/newsletter.md), to paste as it is.
func (l List) CheckboxHTML() string {
	return `<label><input type="checkbox" name="list" value="` + html.EscapeString(l.Slug) + `"> ` + html.EscapeString(l.Name) + `</label>`
}

func listSubject(id int64) string { return "list:" + strconv.FormatInt(id, 10) }

// ValidSlug reports whether slug is 1–40 characters of a–z, 0–9 and "-".
func ValidSlug(slug string) bool {
	if slug == "" || len(slug) > MaxSlugLen {
		return false
	}
	for _, c := range []byte(slug) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// oneLine reports whether s is valid UTF-8 without control characters (line breaks
// included).
func oneLine(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

// listFields trims and checks a list's name and description.
func listFields(name, description string) (string, string, error) {
	name, description = strings.TrimSpace(name), strings.TrimSpace(description)
	switch {
	case name == "":
		return "", "", errs.InvalidField("name", "A list needs a name.")
	case !oneLine(name) || utf8.RuneCountInString(name) > MaxListNameRunes:
		return "", "", errs.InvalidField("name", "The name must be one line of at most 80 characters.")
	case !oneLine(description) || utf8.RuneCountInString(description) > MaxDescriptionRunes:
		return "", "", errs.InvalidField("description", "The description must be one line of at most 200 characters.")
	}
	return name, description, nil
}

// ListSummaries returns every list with its number of confirmed subscribers.
func (s *Service) ListSummaries(ctx context.Context, actor staff.Principal) ([]ListSummary, error) {
	if err := actor.Require(staff.ManageSubscribers); err != nil {
		return nil, err
	}
	lists, err := s.store.Lists(ctx) // not the cache: staff expect to see their change
	if err != nil {
		return nil, err
	}
	counts, err := s.store.ConfirmedPerList(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ListSummary, len(lists))
	for i, l := range lists {
		out[i] = ListSummary{List: l, Confirmed: counts[l.ID]}
	}
	return out, nil
}

// CreateList adds a list. The slug is what the website's form posts; it cannot change
// later.
func (s *Service) CreateList(ctx context.Context, actor staff.Principal, slug, name, description string) (List, error) {
	if err := actor.Require(staff.ManageSubscribers); err != nil {
		return List{}, err
	}
	slug = strings.TrimSpace(slug)
	if !ValidSlug(slug) {
		return List{}, errs.InvalidField("slug", "The slug must be 1 to 40 characters: lowercase letters a–z, digits and hyphens (like product-news).")
	}
	name, description, err := listFields(name, description)
	if err != nil {
		return List{}, err
	}
	l := List{Slug: slug, Name: name, Description: description}
	l.ID, err = s.store.CreateList(ctx, l, s.now().UTC())
	if errs.Is(err, errs.Conflict) {
		return List{}, &errs.Error{Code: errs.Conflict, Field: "slug", Cause: err,
			Public: "A list with the slug “" + slug + "” already exists: choose another slug."}
	}
	if err != nil {
		return List{}, err
	}
	s.lists.forget()
	return l, s.audit.Record(ctx, actor.Name, "list.create", listSubject(l.ID), "slug", slug)
}

// UpdateList renames a list or changes its description; the slug stays.
func (s *Service) UpdateList(ctx context.Context, actor staff.Principal, id int64, name, description string) error {
	if err := actor.Require(staff.ManageSubscribers); err != nil {
		return err
	}
	name, description, err := listFields(name, description)
	if err != nil {
		return err
	}
	if err := s.store.UpdateList(ctx, List{ID: id, Name: name, Description: description}); err != nil {
		return notFoundList(err)
	}
	s.lists.forget()
	return s.audit.Record(ctx, actor.Name, "list.update", listSubject(id))
}

// DeleteList deletes a list and everyone's membership of it (the subscribers stay). The
// default list cannot be deleted (sign-ups that name no list join it), nor a list that a
// campaign not yet finished targets.
func (s *Service) DeleteList(ctx context.Context, actor staff.Principal, id int64) error {
	if err := actor.Require(staff.ManageSubscribers); err != nil {
		return err
	}
	all, err := s.store.Lists(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(all, func(l List) bool { return l.ID == id })
	if i < 0 {
		return notFoundList(errs.E(errs.NotFound, ""))
	}
	l := all[i]
	if l.Slug == DefaultList {
		return errs.Ef(errs.Conflict, "“%s” is the default list: sign-ups that name no list join it, so it cannot be deleted. You can rename it.", l.Name)
	}
	busy, err := s.store.DeleteList(ctx, id, busyStatuses)
	if err != nil {
		return notFoundList(err)
	}
	if len(busy) > 0 {
		return listInUse(l, busy)
	}
	s.lists.forget()
	return s.audit.Record(ctx, actor.Name, "list.delete", listSubject(id), "slug", l.Slug)
}

// listInUse names the campaigns that keep a list from being deleted.
func listInUse(l List, busy []Campaign) error {
	names := make([]string, 0, listsInConflictMsg)
	for _, c := range busy[:min(len(busy), listsInConflictMsg)] {
		names = append(names, "“"+c.Subject+"” ("+string(c.Status)+")")
	}
	which := strings.Join(names, ", ")
	if more := len(busy) - len(names); more > 0 {
		which += " and " + strconv.Itoa(more) + " more"
	}
	if len(busy) == 1 {
		return errs.Ef(errs.Conflict, "“%s” cannot be deleted: the campaign %s still targets it. Cancel the campaign or take the list out of it first.", l.Name, which)
	}
	return errs.Ef(errs.Conflict, "“%s” cannot be deleted: the campaigns %s still target it. Cancel them or take the list out of them first.", l.Name, which)
}

func notFoundList(err error) error {
	if errs.Is(err, errs.NotFound) {
		return errs.Wrap(errs.NotFound, "There is no such list: it may have been deleted.", err)
	}
	return err
}
