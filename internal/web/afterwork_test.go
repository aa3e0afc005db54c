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
	raw := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, v url.Values) *http.Response {
		r, err := raw.PostForm(e.ts.URL+path, v)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r
	}
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
