package web

import (
	"net/http"
	"net/url"
	"testing"
)

// Promise (issue 12, item 4): the answer time of /subscribe and /orders/find does not
// tell who subscribed or bought. The work that differs between a known and an unknown
// address (the sign-up's storage and mail, the look-up of orders and their mail) runs
// after the answer, so the answer waits for none of it: with the after-answer workers
// all busy, both kinds of address are answered, and nothing is stored or mailed until
// the workers are free.
func TestFormsAnswerBeforeAddressWork(t *testing.T) {
	e := newEnv(t)
	shopFixture(t, e)
	mails := func(purpose string) int {
		return e.count("SELECT COUNT(*) FROM mail_outbox WHERE purpose LIKE '" + purpose + "'")
	}
	// A known subscriber: signed up (and mailed) a moment ago.
	c := e.client()
	form := e.solvedFields()
	form.Set("email", "known@example.com")
	wantRedirect(t, c.post("/subscribe", form), "/subscribe/thanks")
	before := mails("%")

	release := e.srv.later.occupy() // every worker busy: queued work waits
	post := e.postNoWait
	for _, email := range []string{"known@example.com", "new@example.com"} {
		f := e.solvedFields()
		f.Set("email", email)
		if r := post("/subscribe", f); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/subscribe/thanks" {
			t.Fatalf("subscribe %s: %d %s", email, r.StatusCode, r.Header.Get("Location"))
		}
	}
	for _, email := range []string{"pat@buyer.example", "nobody@buyer.example"} {
		if r := post("/orders/find", url.Values{"email": {email}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("find %s: %d", email, r.StatusCode)
		}
	}
	if n := mails("%"); n != before {
		t.Fatalf("%d mails queued before the answer's work was let run; want %d", n, before)
	}
	release()
	e.srv.Wait()
	if n := mails("shop.find-orders"); n != 1 {
		t.Errorf("%d order-link mails after the work ran; want 1, to the buyer", n)
	}
	if n := mails("%"); n != before+2 {
		t.Errorf("%d mails after the work ran; want %d (the new subscriber's confirmation and the buyer's links)", n, before+2)
	}
}

// Promise (issue 12, item 4, and "an acknowledged write survives a crash"): a sign-up
// /subscribe acknowledged is stored before the answer, the same write for every
// address. With the after-answer workers held (the process "crashed" before they ran),
// the intake job of the next start joins it: the subscriber exists and their
// confirmation mail is queued once, even when the held job runs too.
func TestAcknowledgedSignupSurvivesRestart(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	form := e.solvedFields()
	form.Set("email", "known@example.com")
	wantRedirect(t, c.post("/subscribe", form), "/subscribe/thanks")
	subscribers := func() int { return e.count("SELECT COUNT(*) FROM subscribers") }
	intake := func() int { return e.count("SELECT COUNT(*) FROM signup_intake") }
	mails := func() int { return e.count("SELECT COUNT(*) FROM mail_outbox") }
	if n := intake(); n != 0 {
		t.Fatalf("%d intake rows after a processed sign-up; want 0", n)
	}
	subs, sent := subscribers(), mails()

	release := e.srv.later.occupy()
	for _, email := range []string{"known@example.com", "new@example.com"} {
		f := e.solvedFields()
		f.Set("email", email)
		if r := e.postNoWait("/subscribe", f); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/subscribe/thanks" {
			t.Fatalf("subscribe %s: %d %s", email, r.StatusCode, r.Header.Get("Location"))
		}
	}
	if n := intake(); n != 2 {
		t.Fatalf("%d intake rows for 2 acknowledged sign-ups; want 2 (one identical write per address)", n)
	}
	if n := subscribers(); n != subs {
		t.Fatalf("%d subscribers before any after-answer work; want %d", n, subs)
	}

	// The restart: serve's intake job, driven here with no grace period.
	n, err := e.srv.forms.newsletter.ProcessIntake(e.ctx, 0)
	if err != nil || n != 2 {
		t.Fatalf("ProcessIntake = %d, %v; want 2, nil", n, err)
	}
	if n := intake(); n != 0 {
		t.Fatalf("%d intake rows after processing; want 0", n)
	}
	if n := subscribers(); n != subs+1 {
		t.Fatalf("%d subscribers after the restart; want %d (the new address)", n, subs+1)
	}
	if n := mails(); n != sent+1 {
		t.Fatalf("%d mails after the restart; want %d (the new subscriber's confirmation)", n, sent+1)
	}

	release() // the held jobs run too: nothing twice
	e.srv.Wait()
	if n := subscribers(); n != subs+1 {
		t.Errorf("%d subscribers after the held jobs ran; want %d", n, subs+1)
	}
	if n := mails(); n != sent+1 {
		t.Errorf("%d mails after the held jobs ran; want %d (no second confirmation)", n, sent+1)
	}
}

// postNoWait posts a form without following redirects and, unlike client.post, without
// waiting for the after-answer work (which may be held).
func (e *env) postNoWait(path string, v url.Values) *http.Response {
	raw := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := raw.PostForm(e.ts.URL+path, v)
	if err != nil {
		e.t.Fatal(err)
	}
	r.Body.Close()
	return r
}
