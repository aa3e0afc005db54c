package contact

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/csvsafe"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

// Export writes the chosen conversations with all their messages to w as "csv" (one
// row per message; cells that a spreadsheet would run as a formula are prefixed with
// an apostrophe) or "json". It is audited with the ids and counts only (never text),
// before anything is written.
func (s *Service) Export(ctx context.Context, actor staff.Principal, ids []int64, format string, w io.Writer) error {
	if err := actor.Require(staff.ReadInbox); err != nil {
		return err
	}
	if format != "csv" && format != "json" {
		return errs.InvalidField("format", "Choose csv or json.")
	}
	ids, err := cleanIDs(ids)
	if err != nil {
		return err
	}
	convs := make([]Conversation, 0, len(ids))
	messages := 0
	for _, id := range ids {
		c, err := s.conversation(ctx, id)
		if err != nil {
			return err
		}
		messages += len(c.Messages)
		convs = append(convs, c)
	}
	if err := s.audit.Record(ctx, actor.Name, "contact.export", "", "format", format, "ids", joinIDs(ids),
		"conversations", strconv.Itoa(len(convs)), "messages", strconv.Itoa(messages)); err != nil {
		return err
	}
	if format == "json" {
		return writeJSON(w, convs)
	}
	return writeCSV(w, convs)
}

// conversation opens one conversation with its messages, unaudited (callers audit).
func (s *Service) conversation(ctx context.Context, id int64) (Conversation, error) {
	r, err := s.store.Conversation(ctx, id)
	if err != nil {
		return Conversation{}, err
	}
	c, err := s.open(r)
	if err != nil {
		return Conversation{}, err
	}
	msgs, err := s.store.Messages(ctx, id)
	if err != nil {
		return Conversation{}, err
	}
	for _, m := range msgs {
		body, err := s.sealer.OpenString(SealBody, m.BodySealed)
		if err != nil {
			return Conversation{}, errs.Wrap(errs.Internal, "", err)
		}
		c.Messages = append(c.Messages, Message{ID: m.ID, Kind: m.Kind, Body: body, AuthorID: m.AuthorID, MessageID: m.MessageID, CreatedAt: m.CreatedAt})
	}
	return c, nil
}

type exportMessage struct {
	ID        int64  `json:"id"`
	Kind      Kind   `json:"kind"`
	Body      string `json:"body"`
	AuthorID  int64  `json:"author_id,omitempty"`
	MessageID string `json:"message_id,omitempty"`
	CreatedAt string `json:"created_at"`
}

type exportConversation struct {
	ID         int64           `json:"id"`
	Folder     Folder          `json:"folder"`
	AssigneeID int64           `json:"assignee_id,omitempty"`
	Email      string          `json:"email"`
	Name       string          `json:"name"`
	Subject    string          `json:"subject"`
	Topic      string          `json:"topic,omitempty"`
	SpamScore  int             `json:"spam_score"`
	Signals    []string        `json:"signals,omitempty"`
	CreatedAt  string          `json:"created_at"`
	UpdatedAt  string          `json:"updated_at"`
	Messages   []exportMessage `json:"messages"`
}

func writeJSON(w io.Writer, convs []Conversation) error {
	out := make([]exportConversation, len(convs))
	for i, c := range convs {
		e := exportConversation{ID: c.ID, Folder: c.Folder, AssigneeID: c.AssigneeID, Email: c.Email.Reveal(),
			Name: c.Name, Subject: c.Subject, Topic: c.Topic, SpamScore: c.SpamScore, Signals: c.Signals,
			CreatedAt: stamp(c.CreatedAt), UpdatedAt: stamp(c.UpdatedAt), Messages: []exportMessage{}}
		for _, m := range c.Messages {
			e.Messages = append(e.Messages, exportMessage{ID: m.ID, Kind: m.Kind, Body: m.Body, AuthorID: m.AuthorID, MessageID: m.MessageID, CreatedAt: stamp(m.CreatedAt)})
		}
		out[i] = e
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"conversations": out})
}

// csvHeader names the CSV columns: one row per message, the conversation repeated.
var csvHeader = []string{"conversation_id", "folder", "email", "name", "subject", "topic", "conversation_created_at",
	"message_id", "kind", "author_id", "message_created_at", "body"}

func writeCSV(w io.Writer, convs []Conversation) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, c := range convs {
		for _, m := range c.Messages {
			row := []string{strconv.FormatInt(c.ID, 10), string(c.Folder), c.Email.Reveal(), c.Name, c.Subject, c.Topic,
				stamp(c.CreatedAt), strconv.FormatInt(m.ID, 10), string(m.Kind), strconv.FormatInt(m.AuthorID, 10),
				stamp(m.CreatedAt), m.Body}
			for i := range row {
				row[i] = csvsafe.Cell(row[i])
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
