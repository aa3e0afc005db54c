package contact

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
	"github.com/candor-dev/candor/internal/staff"
	"github.com/candor-dev/candor/internal/textfield"
)

// Paging limits of List.
const (
	DefaultPerPage = 50
	MaxPerPage     = 200
	previewRunes   = 140
	MaxNoteBytes   = 10_000
	MaxBulk        = 500 // ids in one bulk action
)

// List returns one page of conversations, newest activity first, and how many match.
// An exact email address in Search finds that sender's conversations by blind index;
// any other Search is a case-insensitive substring of the subject, the name or the
// person's newest message, searched over the folder's newest SearchCap conversations
// only (opened in memory, since the text is sealed). The view is audited with the ids
// shown, never any text.
func (s *Service) List(ctx context.Context, actor staff.Principal, q Query) ([]Conversation, int, error) {
	if err := actor.Require(staff.ReadInbox); err != nil {
		return nil, 0, err
	}
	if q.Folder != "" && !q.Folder.Valid() {
		return nil, 0, errs.InvalidField("folder", "There is no such folder.")
	}
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage <= 0 {
		q.PerPage = DefaultPerPage
	}
	q.PerPage = min(q.PerPage, MaxPerPage)
	f := Filter{Folder: q.Folder, AssigneeID: q.AssigneeID, Limit: q.PerPage, Offset: (q.Page - 1) * q.PerPage}
	search := strings.TrimSpace(q.Search)
	if len(search) > 200 || !utf8.ValidString(search) {
		return nil, 0, errs.InvalidField("q", "The search is too long.")
	}
	var (
		page  []Conversation
		total int
	)
	norm, emailErr := pii.NormalizeEmail(search)
	if search == "" || emailErr == nil {
		if search != "" {
			f.EmailIndex = s.EmailIndex(norm)
		}
		recs, n, err := s.store.Conversations(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		total = n
		for _, r := range recs {
			c, err := s.open(r)
			if err != nil {
				return nil, 0, err
			}
			page = append(page, c)
		}
	} else {
		recs, _, err := s.store.Conversations(ctx, Filter{Folder: q.Folder, AssigneeID: q.AssigneeID, Limit: SearchCap})
		if err != nil {
			return nil, 0, err
		}
		needle := strings.ToLower(search)
		var hits []Conversation
		for _, r := range recs {
			c, err := s.open(r)
			if err != nil {
				return nil, 0, err
			}
			if strings.Contains(strings.ToLower(c.Subject), needle) || strings.Contains(strings.ToLower(c.Name), needle) ||
				strings.Contains(strings.ToLower(c.Preview), needle) {
				hits = append(hits, c)
			}
		}
		total = len(hits)
		if f.Offset < len(hits) {
			page = hits[f.Offset:min(len(hits), f.Offset+q.PerPage)]
		}
	}
	for i := range page {
		page[i].Preview = preview(page[i].Preview)
	}
	ids := make([]int64, len(page))
	for i, c := range page {
		ids[i] = c.ID
	}
	detail := []string{"folder", string(q.Folder), "ids", joinIDs(ids), "total", strconv.Itoa(total)}
	if search != "" {
		detail = append(detail, "search", "yes")
	}
	if err := s.audit.Record(ctx, actor.Name, "contact.list", "", detail...); err != nil {
		return nil, 0, err
	}
	return page, total, nil
}

// Get returns one conversation with its messages, oldest first. The view is audited
// ("contact.view") before anything is returned.
func (s *Service) Get(ctx context.Context, actor staff.Principal, id int64) (Conversation, error) {
	if err := actor.Require(staff.ReadInbox); err != nil {
		return Conversation{}, err
	}
	c, err := s.conversation(ctx, id)
	if err != nil {
		return Conversation{}, err
	}
	if err := s.audit.Record(ctx, actor.Name, "contact.view", subject(id)); err != nil {
		return Conversation{}, err
	}
	return c, nil
}

// Counts returns how many conversations each folder holds (every folder present).
func (s *Service) Counts(ctx context.Context, actor staff.Principal) (map[Folder]int, error) {
	if err := actor.Require(staff.ReadInbox); err != nil {
		return nil, err
	}
	n, err := s.store.Counts(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[Folder]int, len(Folders))
	for _, f := range Folders {
		out[f] = n[f]
	}
	return out, nil
}

// Move files conversations into a folder (a bulk action); audited with the ids.
func (s *Service) Move(ctx context.Context, actor staff.Principal, ids []int64, to Folder) error {
	if err := actor.Require(staff.ReadInbox); err != nil {
		return err
	}
	if !to.Valid() {
		return errs.InvalidField("folder", "There is no such folder.")
	}
	ids, err := cleanIDs(ids)
	if err != nil {
		return err
	}
	if err := s.audit.Record(ctx, actor.Name, "contact.move", "", "ids", joinIDs(ids), "folder", string(to)); err != nil {
		return err
	}
	_, err = s.store.Move(ctx, ids, to, s.now().UTC())
	return err
}

// Assign gives conversations to a staff member who may read the inbox, or with
// staffID 0 unassigns them; audited with the ids.
func (s *Service) Assign(ctx context.Context, actor staff.Principal, ids []int64, staffID int64) error {
	if err := actor.Require(staff.ReadInbox); err != nil {
		return err
	}
	ids, err := cleanIDs(ids)
	if err != nil {
		return err
	}
	if staffID != 0 {
		role, active, err := s.store.StaffRole(ctx, staffID)
		if errs.Is(err, errs.NotFound) {
			return errs.InvalidField("assignee", "There is no such staff member.")
		}
		if err != nil {
			return err
		}
		if !active || !role.Can(staff.ReadInbox) {
			return errs.InvalidField("assignee", "That staff member may not read the inbox.")
		}
	}
	if err := s.audit.Record(ctx, actor.Name, "contact.assign", "", "ids", joinIDs(ids), "assignee", strconv.FormatInt(staffID, 10)); err != nil {
		return err
	}
	_, err = s.store.Assign(ctx, ids, staffID, s.now().UTC())
	return err
}

// AddNote appends an internal note (never mailed) to a conversation.
func (s *Service) AddNote(ctx context.Context, actor staff.Principal, id int64, text string) error {
	if err := actor.Require(staff.ReadInbox); err != nil {
		return err
	}
	text, err := body("note", text)
	if err != nil {
		return err
	}
	if _, err := s.store.Conversation(ctx, id); err != nil {
		return err
	}
	sealed, err := s.sealer.SealString(SealBody, text)
	if err != nil {
		return err
	}
	if err := s.audit.Record(ctx, actor.Name, "contact.note", subject(id)); err != nil {
		return err
	}
	_, err = s.store.AddMessage(ctx, MessageRecord{ConversationID: id, Kind: Note, BodySealed: sealed, AuthorID: actor.ID, CreatedAt: s.now().UTC()}, nil, "")
	return err
}

// open unseals a stored conversation; Preview holds the full newest message.
func (s *Service) open(r Record) (Conversation, error) {
	c := Conversation{ID: r.ID, Folder: r.Folder, AssigneeID: r.AssigneeID, Topic: r.Topic, SpamScore: r.SpamScore,
		Signals: r.Signals, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	email, err := s.sealer.OpenString(SealEmail, r.EmailSealed)
	if err == nil {
		c.Email, err = pii.NewEmail(email)
	}
	if err == nil {
		c.Name, err = s.sealer.OpenString(SealName, r.NameSealed)
	}
	if err == nil {
		c.Subject, err = s.sealer.OpenString(SealSubject, r.SubjectSealed)
	}
	if err == nil && r.LastInSealed != "" {
		c.Preview, err = s.sealer.OpenString(SealBody, r.LastInSealed)
	}
	if err != nil {
		return Conversation{}, errs.Wrap(errs.Internal, "", err)
	}
	return c, nil
}

// body checks a staff-written text (a note or a reply).
func body(field, text string) (string, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch {
	case text == "":
		return "", errs.InvalidField(field, "Please write something.")
	case !utf8.ValidString(text) || strings.ContainsRune(text, 0):
		return "", errs.InvalidField(field, "The text holds characters that are not text.")
	case len(text) > MaxNoteBytes:
		return "", errs.InvalidField(field, fmt.Sprintf("The text may have at most %d characters.", MaxNoteBytes))
	case strings.ContainsFunc(text, textfield.Reorders):
		return "", errs.InvalidField(field, reordersMsg)
	}
	return text, nil
}

func preview(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= previewRunes {
		return text
	}
	r := []rune(text)
	return string(r[:previewRunes]) + "…"
}

func cleanIDs(ids []int64) ([]int64, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	ids = slices.DeleteFunc(ids, func(id int64) bool { return id <= 0 })
	switch {
	case len(ids) == 0:
		return nil, errs.E(errs.Invalid, "Select at least one conversation.")
	case len(ids) > MaxBulk:
		return nil, errs.Ef(errs.Invalid, "Select at most %d conversations at once.", MaxBulk)
	}
	return ids, nil
}

func joinIDs(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String()
}

func subject(id int64) string { return "contact:" + strconv.FormatInt(id, 10) }
