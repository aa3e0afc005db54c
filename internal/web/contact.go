package web

import (
	"net/http"

	"github.com/candor-dev/candor/internal/antibot"
	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/errs"
)

// contactMessage is the one answer to every accepted contact message.
const contactMessage = "Thank you. Your message has arrived; we will answer by email."

// contactFields are the fields of the contact form that are kept after an error.
var contactFields = []string{"name", "email", "subject", "message", "topic"}

// contactData feeds the contact form partial (templates/_contact.html).
type contactData struct {
	Antibot antibot.Challenge
	Form    map[string]string // what the person typed, kept after an error
	Field   string            // the field at fault
	Topics  []string          // products to choose from ("" = a general question); none: no choice shown
	Done    bool
}

// contactForm returns the data of a contact form, filled with what p keeps.
func (s *publicForms) contactForm(p page) (contactData, error) {
	ch, err := s.antibot.Issue(antibot.FormContact)
	if err != nil {
		return contactData{}, err
	}
	form := p.Form
	if form == nil {
		form = map[string]string{}
	}
	return contactData{Antibot: ch, Form: form, Field: p.Field}, nil
}

// contactPage is Candor's own contact form (for vendors who link to it, and the page
// that shows the errors of a plain form post with what the person typed).
func (s *publicForms) contactPage(w http.ResponseWriter, r *http.Request) {
	s.renderContact(w, r, http.StatusOK, page{})
}

func (s *publicForms) renderContact(w http.ResponseWriter, r *http.Request, st int, p page) {
	data, err := s.contactForm(p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Title, p.Data = "Contact us", data
	s.render(w, r, st, "contact", p)
}

// postContact is POST /contact: a form post (redirect to the thank-you page) or JSON
// from fetch, any content type decodePublicForm reads. Validation runs first (a typo
// must not spend the solved challenge), then the anti-bot layer files the message
// into new, review or spam; a honeypot hit is answered as success and stored nowhere.
// Nothing is mailed to the sender.
func (s *publicForms) postContact(w http.ResponseWriter, r *http.Request) {
	s.allowSiteOrigin(w, r)
	f, err := decodePublicForm(r)
	if err != nil {
		s.contactFail(w, r, f, err)
		return
	}
	v, err := s.contact.Validate(contact.Submission{
		Name: f.get("name"), Email: f.get("email"), Subject: f.get("subject"), Message: f.get("message"), Topic: f.get("topic"),
	})
	if err != nil {
		s.contactFail(w, r, f, err)
		return
	}
	sub := antibot.Submission{FormID: antibot.FormContact, ClientIP: ClientIP(r.Context()),
		AddressKey: s.contact.EmailIndex(v.Email()), Text: v.Text()}
	sub.ReadFields(f.get)
	verdict := s.antibot.Check(r.Context(), sub)
	if err := verdict.Err(); err != nil {
		s.contactFail(w, r, f, err)
		return
	}
	s.metrics.countForm(antibot.FormContact, string(verdict.Outcome))
	folder := contact.New
	switch verdict.Outcome {
	case antibot.NeedsReview:
		folder = contact.Review
	case antibot.Spam:
		folder = contact.Spam
	}
	if verdict.Keep() {
		if err := s.contact.Receive(r.Context(), v, folder, verdict.Score, verdict.Signals); err != nil {
			s.contactFail(w, r, f, err)
			return
		}
	}
	publicAccepted(w, r, f, contactMessage, s.cfg.ContactThanksURL, "/contact/thanks")
}

// contactFail answers a refused contact message: JSON for fetch callers; for a plain
// form post, Candor's contact page with the message and everything the person typed,
// so a refused message is never lost from their screen.
func (s *publicForms) contactFail(w http.ResponseWriter, r *http.Request, f publicForm, err error) {
	if f.json || wantsJSON(r) || status(err) >= 500 {
		s.fail(w, r, err)
		return
	}
	kept := map[string]string{}
	for _, k := range contactFields {
		kept[k] = f.get(k)
	}
	s.renderContact(w, r, status(err), page{Error: errs.PublicOf(err), Field: fieldOf(err), Form: kept})
}

// contactThanks is the default landing page after a plain contact form post.
func (s *publicForms) contactThanks(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "contact", page{Title: "Thank you", Flash: contactMessage, Data: contactData{Done: true}})
}
