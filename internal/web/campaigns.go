package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/newsletter"
)

// campaignPages compose, preview, schedule, send and follow campaigns.
type campaignPages struct {
	*pages
	campaigns  *newsletter.Campaigns
	newsletter *newsletter.Service // the lists a campaign is sent to
}

// The staff pages of campaigns (permission campaigns.manage, checked again by the
// domain): list with aggregate figures, compose and edit drafts, preview in a sandboxed
// frame, test send, schedule, send now after seeing the recipient count, live progress,
// pause, resume and cancel. There is no per-recipient figure anywhere.

// campaignView is a campaign with its figures, as the pages show it.
type campaignView struct {
	newsletter.Campaign
	Counts    newsletter.CampaignCounts
	Done      int
	Percent   int // of recipients settled (sent, failed, dead or cancelled)
	ListNames []string
}

func (v campaignView) Editable() bool {
	return v.Status == newsletter.Draft || v.Status == newsletter.Scheduled
}

func (v campaignView) Live() bool {
	return v.Status == newsletter.Sending || v.Status == newsletter.Paused
}

func (v campaignView) Cancellable() bool { return v.Editable() || v.Live() }

func (v campaignView) Started() bool { return !v.Editable() }

func newCampaignView(c newsletter.Campaign, counts newsletter.CampaignCounts, lists []newsletter.List) campaignView {
	v := campaignView{Campaign: c, Counts: counts, Done: counts.Done()}
	if c.Recipients > 0 {
		v.Percent = min(100, v.Done*100/c.Recipients)
	} else if c.Status == newsletter.Sent {
		v.Percent = 100
	}
	for _, l := range lists {
		if slices.Contains(c.Lists, l.ID) {
			v.ListNames = append(v.ListNames, l.Name)
		}
	}
	return v
}

// campaignList shows every campaign with its status and aggregate figures.
func (s *campaignPages) campaignList(w http.ResponseWriter, r *http.Request) {
	camps, err := s.campaigns.List(r.Context(), principal(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ids := make([]int64, len(camps))
	for i, c := range camps {
		ids[i] = c.ID
	}
	counts, err := s.campaigns.Counts(r.Context(), principal(r), ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	views := make([]campaignView, len(camps))
	for i, c := range camps {
		views[i] = newCampaignView(c, counts[c.ID], nil)
	}
	s.render(w, r, http.StatusOK, "campaigns", page{Title: "Campaigns", Nav: "campaigns", Flash: sideFlash(r), Data: views})
}

// campaignView loads one campaign with its figures and list names.
func (s *campaignPages) loadCampaign(r *http.Request) (campaignView, []newsletter.List, error) {
	id, ok := pathID(r)
	if !ok {
		return campaignView{}, nil, errs.E(errs.NotFound, "There is no such campaign.")
	}
	c, err := s.campaigns.Get(r.Context(), principal(r), id)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			err = errs.Wrap(errs.NotFound, "There is no such campaign.", err)
		}
		return campaignView{}, nil, err
	}
	counts, err := s.campaigns.Counts(r.Context(), principal(r), []int64{id})
	if err != nil {
		return campaignView{}, nil, err
	}
	lists, err := s.newsletter.Lists(r.Context())
	if err != nil {
		return campaignView{}, nil, err
	}
	return newCampaignView(c, counts[id], lists), lists, nil
}

type campaignFormData struct {
	Campaign newsletter.Campaign // ID 0: a new one
	Lists    []newsletter.List
	Chosen   map[int64]bool
	MaxRate  int
}

func (s *campaignPages) renderCampaignForm(w http.ResponseWriter, r *http.Request, st int, p page, c newsletter.Campaign) {
	lists, err := s.newsletter.Lists(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	chosen := map[int64]bool{}
	for _, l := range c.Lists {
		chosen[l] = true
	}
	if c.ID == 0 && len(c.Lists) == 0 && len(lists) == 1 {
		chosen[lists[0].ID] = true
	}
	p.Nav = "campaigns"
	if c.ID == 0 {
		p.Title = "New campaign"
	} else {
		p.Title = "Edit campaign"
	}
	p.Data = campaignFormData{Campaign: c, Lists: lists, Chosen: chosen, MaxRate: newsletter.MaxRate}
	s.render(w, r, st, "campaign_form", p)
}

// campaignNew is the compose form.
func (s *campaignPages) campaignNew(w http.ResponseWriter, r *http.Request) {
	s.renderCampaignForm(w, r, http.StatusOK, page{}, newsletter.Campaign{})
}

// campaignFromForm reads the compose form.
func campaignFromForm(r *http.Request) (newsletter.Campaign, error) {
	if err := r.ParseForm(); err != nil {
		return newsletter.Campaign{}, err
	}
	c := newsletter.Campaign{Subject: r.PostFormValue("subject"), BodyMarkdown: strings.ReplaceAll(r.PostFormValue("body"), "\r\n", "\n")}
	for _, v := range r.PostForm["lists"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			c.Lists = append(c.Lists, id)
		}
	}
	if rate := strings.TrimSpace(r.PostFormValue("rate")); rate != "" {
		n, err := strconv.Atoi(rate)
		if err != nil {
			return c, errs.InvalidField("rate", "The rate must be a whole number of messages per second (0: no limit).")
		}
		c.RatePerSecond = n
	}
	return c, nil
}

// campaignCreate saves a new draft.
func (s *campaignPages) campaignCreate(w http.ResponseWriter, r *http.Request) {
	c, err := campaignFromForm(r)
	if err == nil {
		c.ID, err = s.campaigns.Create(r.Context(), principal(r), c)
	}
	if err != nil {
		s.campaignFormFailed(w, r, c, err)
		return
	}
	redirectFlash(w, r, "/admin/campaigns/"+strconv.FormatInt(c.ID, 10), "campaign-saved")
}

func (s *campaignPages) campaignFormFailed(w http.ResponseWriter, r *http.Request, c newsletter.Campaign, err error) {
	if st := status(err); st == http.StatusBadRequest || st == http.StatusConflict {
		s.renderCampaignForm(w, r, st, page{Error: errs.PublicOf(err), Field: fieldOf(err)}, c)
		return
	}
	s.fail(w, r, err)
}

// campaignEdit is the form for a draft or scheduled campaign.
func (s *campaignPages) campaignEdit(w http.ResponseWriter, r *http.Request) {
	v, _, err := s.loadCampaign(r)
	if err == nil && !v.Editable() {
		err = errs.Ef(errs.Conflict, "The campaign is %s: it can no longer be edited.", v.Status)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderCampaignForm(w, r, http.StatusOK, page{}, v.Campaign)
}

// campaignUpdate saves the edit form.
func (s *campaignPages) campaignUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathIDOr404(w, r, "campaign")
	if !ok {
		return
	}
	c, err := campaignFromForm(r)
	c.ID = id
	if err == nil {
		err = s.campaigns.Update(r.Context(), principal(r), c)
	}
	if err != nil {
		s.campaignFormFailed(w, r, c, err)
		return
	}
	redirectFlash(w, r, "/admin/campaigns/"+strconv.FormatInt(id, 10), "campaign-saved")
}

type campaignPageData struct {
	campaignView
	NoRelay  bool
	NowUTC   string // for the schedule field's minimum
	NowText  string // the same, to read
	Schedule string // the schedule field's value
	To       string // the test address typed, kept after an error
}

// campaignPage is one campaign: what it is, its figures and progress, and what can be
// done with it in its state.
func (s *campaignPages) campaignPage(w http.ResponseWriter, r *http.Request) {
	s.renderCampaignPage(w, r, http.StatusOK, page{Flash: sideFlash(r)}, "")
}

func (s *campaignPages) renderCampaignPage(w http.ResponseWriter, r *http.Request, st int, p page, to string) {
	v, _, err := s.loadCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now().UTC()
	d := campaignPageData{campaignView: v, NoRelay: s.cfg.SMTP == nil, NowUTC: now.Format("2006-01-02T15:04"),
		NowText: now.Format("2006-01-02 15:04 UTC"), To: to}
	if !v.ScheduledAt.IsZero() {
		d.Schedule = v.ScheduledAt.UTC().Format("2006-01-02T15:04")
	}
	if sched, ok := p.Form["at"]; ok {
		d.Schedule = sched
	}
	p.Title, p.Nav, p.Data = v.Subject, "campaigns", d
	s.render(w, r, st, "campaign", p)
}

// campaignAction answers a state change: back to the campaign with a notice, or the
// campaign page with the error.
func (s *campaignPages) campaignAction(w http.ResponseWriter, r *http.Request, err error, done string, form map[string]string) {
	if err != nil {
		if st := status(err); st == http.StatusBadRequest || st == http.StatusConflict {
			s.renderCampaignPage(w, r, st, page{Error: errs.PublicOf(err), Field: fieldOf(err), Form: form}, form["to"])
			return
		}
		s.fail(w, r, err)
		return
	}
	redirectFlash(w, r, "/admin/campaigns/"+r.PathValue("id"), done)
}

// campaignTest queues a test message to an address the staff member types.
func (s *campaignPages) campaignTest(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "campaign")
	if !ok {
		return
	}
	to := r.PostFormValue("to")
	err := s.campaigns.TestSend(r.Context(), principal(r), id, to)
	s.campaignAction(w, r, err, "campaign-test", map[string]string{"to": to})
}

// campaignSchedule sets the start time; the field is a UTC date and time.
func (s *campaignPages) campaignSchedule(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "campaign")
	if !ok {
		return
	}
	raw := strings.TrimSpace(r.PostFormValue("at"))
	at, err := time.Parse("2006-01-02T15:04", raw)
	if err != nil {
		at, err = time.Parse("2006-01-02T15:04:05", raw)
	}
	if err != nil {
		err = errs.InvalidField("at", "Choose a date and time (UTC) to send the campaign.")
	} else {
		err = s.campaigns.Schedule(r.Context(), principal(r), id, at.UTC())
	}
	s.campaignAction(w, r, err, "campaign-scheduled", map[string]string{"at": raw})
}

type sendConfirmData struct {
	campaignView
	Count   int
	NoRelay bool
}

// campaignSendConfirm is the step before sending: who it goes to, and how many.
func (s *campaignPages) campaignSendConfirm(w http.ResponseWriter, r *http.Request) {
	v, _, err := s.loadCampaign(r)
	if err == nil && !v.Editable() {
		err = errs.Ef(errs.Conflict, "The campaign is %s: it cannot be started again.", v.Status)
	}
	var n int
	if err == nil {
		n, err = s.campaigns.RecipientCount(r.Context(), principal(r), v.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "campaign_send", page{Title: "Send “" + v.Subject + "”", Nav: "campaigns",
		Data: sendConfirmData{campaignView: v, Count: n, NoRelay: s.cfg.SMTP == nil}})
}

// campaignSend starts the campaign; the form must carry the confirmation.
func (s *campaignPages) campaignSend(w http.ResponseWriter, r *http.Request) {
	id, ok := s.postedID(w, r, "campaign")
	if !ok {
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		s.fail(w, r, errs.E(errs.Invalid, "Confirm the number of recipients first."))
		return
	}
	_, err := s.campaigns.SendNow(r.Context(), principal(r), id)
	s.campaignAction(w, r, err, "campaign-started", nil)
}

func (s *campaignPages) campaignMove(move func(*newsletter.Campaigns, *http.Request, int64) error, done string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := s.pathIDOr404(w, r, "campaign")
		if !ok {
			return
		}
		s.campaignAction(w, r, move(s.campaigns, r, id), done, nil)
	}
}

func (s *campaignPages) campaignPause(w http.ResponseWriter, r *http.Request) {
	s.campaignMove(func(c *newsletter.Campaigns, r *http.Request, id int64) error {
		return c.Pause(r.Context(), principal(r), id)
	}, "campaign-paused")(w, r)
}

func (s *campaignPages) campaignResume(w http.ResponseWriter, r *http.Request) {
	s.campaignMove(func(c *newsletter.Campaigns, r *http.Request, id int64) error {
		return c.Resume(r.Context(), principal(r), id)
	}, "campaign-resumed")(w, r)
}

func (s *campaignPages) campaignCancel(w http.ResponseWriter, r *http.Request) {
	s.campaignMove(func(c *newsletter.Campaigns, r *http.Request, id int64) error {
		return c.Cancel(r.Context(), principal(r), id)
	}, "campaign-cancelled")(w, r)
}

// apiCampaignProgress is the live progress the campaign page polls (static/campaign.js).
func (s *campaignPages) apiCampaignProgress(w http.ResponseWriter, r *http.Request) {
	v, _, err := s.loadCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"status": v.Status, "recipients": v.Recipients, "done": v.Done, "percent": v.Percent,
		"queued": v.Counts.Queued, "sending": v.Counts.Sending, "sent": v.Counts.Sent, "failed": v.Counts.Failed,
		"bounced": v.Counts.Bounced, "dead": v.Counts.Dead, "cancelled": v.Counts.Cancelled, "unsubscribed": v.Unsubscribed,
	})
}
