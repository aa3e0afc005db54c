package web

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/candor-dev/candor/internal/antibot"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/privacy"
)

// myDataPages are the self-service pages of docs/privacy-requests.md: /my-data asks
// for an address and mails it a sealed, expiring link (privacy.Links); the page
// behind the link shows everything held under the address, exports it and erases it.
// Every /my-data path is under the strict cross-origin check (isStrictPath).
type myDataPages struct {
	*pages
	metrics *Metrics
	antibot *antibot.Guard
	privacy *privacy.Service
	links   *privacy.Links
}

// formMyData is the anti-bot form id of /my-data.
const formMyData = "my-data"

// myDataMessage is the one answer to every accepted request, known address or not.
const myDataMessage = "Thank you. We have sent a link to this address; it works for one hour. If no mail arrives, check the address and your spam folder."

// myDataForm feeds templates/mydata.html's request form.
type myDataForm struct {
	Antibot antibot.Challenge
	Done    bool
}

// myDataPage is GET /my-data: the request form.
func (s *myDataPages) myDataPage(w http.ResponseWriter, r *http.Request) {
	s.renderForm(w, r, http.StatusOK, page{Form: map[string]string{}})
}

func (s *myDataPages) renderForm(w http.ResponseWriter, r *http.Request, st int, p page) {
	ch, err := s.antibot.Issue(formMyData)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Title, p.Data = "Your data", myDataForm{Antibot: ch}
	s.render(w, r, st, "mydata", p)
}

// myDataRequest is POST /my-data: after the anti-bot checks (per-client and
// per-address limits included), a link is mailed. The answer is the same redirect for
// every valid address, and the work is the same: nothing is looked up before the mail
// is queued (privacy.Links.Mail). A honeypot hit gets the same answer and no mail.
func (s *myDataPages) myDataRequest(w http.ResponseWriter, r *http.Request) {
	f, err := decodePublicForm(r)
	if err == nil {
		err = s.check(r, f)
	}
	if err != nil {
		if f.json || status(err) >= 500 {
			s.fail(w, r, err)
			return
		}
		s.renderForm(w, r, status(err), page{Error: errs.PublicOf(err), Field: fieldOf(err), Form: map[string]string{"email": f.get("email")}})
		return
	}
	publicAccepted(w, r, f, myDataMessage, "", "/my-data/sent")
}

// check runs the anti-bot layer and mails the link.
func (s *myDataPages) check(r *http.Request, f publicForm) error {
	key, err := s.links.AddressKey(f.get("email"))
	if err != nil {
		return err // a typo does not spend the solved challenge
	}
	sub := antibot.Submission{FormID: formMyData, ClientIP: ClientIP(r.Context()), AddressKey: key}
	sub.ReadFields(f.get)
	verdict := s.antibot.Check(r.Context(), sub)
	if err := verdict.Err(); err != nil {
		return err
	}
	s.metrics.countForm(formMyData, string(verdict.Outcome))
	if verdict.Outcome == antibot.Honeypot {
		return nil
	}
	return s.links.Mail(r.Context(), f.get("email"))
}

// myDataSent is the landing page after a request.
func (s *myDataPages) myDataSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "mydata", page{Title: "Your data", Flash: myDataMessage, Data: myDataForm{Done: true}})
}

// open checks the link's token (query t on GET, form field t on POST).
func (s *myDataPages) open(w http.ResponseWriter, r *http.Request) (privacy.Link, bool) {
	privatePage(w)
	raw := r.URL.Query().Get("t")
	if r.Method == http.MethodPost {
		raw = r.PostFormValue("t")
	}
	l, err := s.links.Open(r.Context(), raw)
	if err != nil {
		s.fail(w, r, err)
		return l, false
	}
	return l, true
}

// privatePage keeps a page with personal data out of caches and Referer headers.
func privatePage(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

// myDataView is GET /my-data/view?t=…: everything held under the link's address.
func (s *myDataPages) myDataView(w http.ResponseWriter, r *http.Request) {
	l, ok := s.open(w, r)
	if !ok {
		return
	}
	sub, err := s.privacy.FindSelf(r.Context(), l.Email)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "mydata_view", page{Title: "Your data", Data: s.view(sub, r)})
}

func (s *myDataPages) view(sub privacy.Subject, r *http.Request) subjectView {
	return subjectView{Subject: sub, Action: "/my-data/view", Field: "t", Value: r.FormValue("t"),
		OrderRetention: retentionText(s.cfg.OrderRetention)}
}

// myDataExport is POST /my-data/view/export: the ZIP (data.json and data.html).
func (s *myDataPages) myDataExport(w http.ResponseWriter, r *http.Request) {
	l, ok := s.open(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if _, err := s.privacy.ExportSelfZIP(r.Context(), l.Email, &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	sendZIP(w, buf.Bytes())
}

// sendZIP answers a subject export as a download.
func sendZIP(w http.ResponseWriter, b []byte) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="my-data-`+time.Now().UTC().Format("2006-01-02")+`.zip"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// myDataErase is POST /my-data/view/erase: without confirm=yes, the confirmation step
// (what will be erased, what is kept and how long); with it, the erasure, after which
// the link is dead.
func (s *myDataPages) myDataErase(w http.ResponseWriter, r *http.Request) {
	l, ok := s.open(w, r)
	if !ok {
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		sub, err := s.privacy.FindSelf(r.Context(), l.Email)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v := s.view(sub, r)
		v.Confirm = true
		s.render(w, r, http.StatusOK, "mydata_view", page{Title: "Erase your data?", Data: v})
		return
	}
	res, err := s.privacy.EraseSelf(r.Context(), l.Email)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "mydata_view", page{Title: "Erased", Data: subjectView{Erased: &res,
		OrderRetention: retentionText(s.cfg.OrderRetention)}})
}
