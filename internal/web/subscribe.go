package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/candor-dev/candor/internal/antibot"
	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/pii"
)

// publicForms are the forms the vendor's website calls: subscribe, the confirmation,
// unsubscribe and preferences pages, the contact form and the demo site page. Each
// accepted form is counted in the metrics; the anti-bot guard protects every one.
type publicForms struct {
	*pages
	metrics    *Metrics
	antibot    *antibot.Guard
	newsletter *newsletter.Service
	contact    *contact.Service
	later      *afterwork // the sign-up's storage and mail, after the answer (kept in the intake before)
}

// subscribeMessage is the one answer to every accepted sign-up, known address or not.
const subscribeMessage = "Thank you. Please check your inbox: we sent a link to confirm your subscription."

// subscribeData feeds the subscribe form partial (templates/_subscribe.html).
type subscribeData struct {
	Lists          []newsletter.List
	Antibot        antibot.Challenge
	Form           map[string]string // what the person typed, kept after an error
	Field          string            // the field at fault
	Source         string            // which form, recorded with the consent
	ConsentVersion string
	ConsentText    string
	Done           bool
}

// subscribeForm returns the data of a fresh subscribe form.
func (s *publicForms) subscribeForm(r *http.Request, source string, p page) (subscribeData, error) {
	lists, err := s.newsletter.Lists(r.Context())
	if err != nil {
		return subscribeData{}, err
	}
	ch, err := s.antibot.Issue(antibot.FormSubscribe)
	if err != nil {
		return subscribeData{}, err
	}
	return subscribeData{Lists: lists, Antibot: ch, Form: p.Form, Field: p.Field, Source: source,
		ConsentVersion: newsletter.ConsentVersion, ConsentText: newsletter.ConsentText}, nil
}

// subscribePage is Candor's own subscribe form (for vendors who link to it instead of
// pasting the form, and the fallback that shows errors of a plain form post).
func (s *publicForms) subscribePage(w http.ResponseWriter, r *http.Request) {
	s.renderSubscribe(w, r, http.StatusOK, page{Title: "Subscribe"})
}

func (s *publicForms) renderSubscribe(w http.ResponseWriter, r *http.Request, st int, p page) {
	data, err := s.subscribeForm(r, "candor-page", p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Title, p.Data = "Subscribe", data
	s.render(w, r, st, "subscribe", p)
}

// subscribe is POST /subscribe: a form post (redirect to the thank-you page) or JSON
// from fetch. Every way in passes the same validation and anti-bot checks, and the
// answer never says whether the address was already known.
func (s *publicForms) subscribe(w http.ResponseWriter, r *http.Request) {
	s.allowSiteOrigin(w, r)
	f, err := decodePublicForm(r)
	if err != nil {
		s.publicFail(w, r, f, err)
		return
	}
	in := newsletter.SubscribeInput{
		Email: f.get("email"), Name: f.get("name"), Lists: f.all("list"),
		ConsentVersion: f.get("consent"), Source: f.get("source"),
	}
	// Validate first: a typo must not spend the person's solved challenge.
	signup, err := s.newsletter.Validate(r.Context(), in)
	if err != nil {
		s.publicFail(w, r, f, err)
		return
	}
	sub := antibot.Submission{FormID: antibot.FormSubscribe, ClientIP: ClientIP(r.Context())}
	sub.ReadFields(f.get)
	if norm, err := pii.NormalizeEmail(in.Email); err == nil {
		sub.AddressKey = s.newsletter.EmailIndex(norm)
	}
	verdict := s.antibot.Check(r.Context(), sub)
	if err := verdict.Err(); err != nil {
		s.publicFail(w, r, f, err)
		return
	}
	s.metrics.countForm(antibot.FormSubscribe, string(verdict.Outcome))
	if verdict.Outcome != antibot.Honeypot {
		// Before the answer, the same durable write for every address (an acknowledged
		// sign-up survives a crash: serve's intake job joins leftovers); after it, what
		// differs with the address, so a known one (no new mail) does not answer sooner.
		id, err := s.newsletter.Accept(r.Context(), signup)
		if err != nil {
			s.publicFail(w, r, f, err)
			return
		}
		s.later.do(r, "sign-up", func(ctx context.Context) error { return s.newsletter.JoinAccepted(ctx, id, signup) })
	}
	publicAccepted(w, r, f, subscribeMessage, s.cfg.ThanksURL, "/subscribe/thanks")
}

// publicFail answers a rejected public form: JSON for fetch callers; for a plain form
// post, Candor's own form page with the message and what the person typed (never lost).
func (s *publicForms) publicFail(w http.ResponseWriter, r *http.Request, f publicForm, err error) {
	if f.json || wantsJSON(r) || status(err) >= 500 {
		s.fail(w, r, err)
		return
	}
	s.renderSubscribe(w, r, status(err), page{Error: errs.PublicOf(err), Field: fieldOf(err),
		Form: map[string]string{"email": f.get("email"), "name": f.get("name")}})
}

// subscribeThanks is the default landing page after a plain form post.
func (s *publicForms) subscribeThanks(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "subscribe", page{Title: "Almost done", Flash: subscribeMessage,
		Data: subscribeData{Done: true}})
}

// preflight answers CORS preflight requests for the public JSON endpoints.
func (s *publicForms) preflight(w http.ResponseWriter, r *http.Request) {
	s.allowSiteOrigin(w, r)
	if w.Header().Get("Access-Control-Allow-Origin") != "" {
		h := w.Header()
		h.Set("Access-Control-Allow-Methods", "POST")
		h.Set("Access-Control-Allow-Headers", "Content-Type")
		h.Set("Access-Control-Max-Age", strconv.Itoa(600))
	}
	w.WriteHeader(http.StatusNoContent)
}
