package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Promise (issue 10 §6, purpose limitation): the checkout's newsletter box is unticked;
// a buyer who leaves it so gets no subscription and no confirmation mail; one who ticks
// it gets the normal double opt-in (pending, one confirmation mail), and nothing else
// links the order to the newsletter.
func TestCheckoutNewsletterOptIn(t *testing.T) {
	e := newEnv(t)
	shopFixture(t, e)
	c := e.client()
	r := c.get("/buy/tool/std")
	want(t, r, http.StatusOK)
	if !strings.Contains(r.body, `name="newsletter" value="yes">`) || strings.Contains(r.body, `value="yes" checked`) {
		t.Fatalf("the opt-in box is missing or ticked by default:\n%s", r.body)
	}
	if !strings.Contains(r.body, `href="/privacy"`) {
		t.Fatal("the checkout does not link the privacy notice")
	}
	form := url.Values{"name": {"Lee Buyer"}, "email": {"lee@buyer.example"}, "country": {"FR"}, "quantity": {"1"}, "currency": {"EUR"}}
	want(t, c.post("/buy/tool/std", withAction(form, "continue")), http.StatusSeeOther)
	if n := e.count("SELECT COUNT(*) FROM subscribers"); n != 0 {
		t.Fatalf("an unticked box made %d subscribers", n)
	}
	if n := e.count("SELECT COUNT(*) FROM mail_outbox WHERE purpose = 'newsletter.confirm'"); n != 0 {
		t.Fatalf("an unticked box sent %d confirmation mails", n)
	}

	form.Set("email", "kim@buyer.example")
	form.Set("newsletter", "yes")
	want(t, c.post("/buy/tool/std", withAction(form, "continue")), http.StatusSeeOther)
	if n := e.count("SELECT COUNT(*) FROM subscribers WHERE status = 'pending'"); n != 1 {
		t.Fatalf("a ticked box made %d pending subscribers; want 1", n)
	}
	if n := e.count("SELECT COUNT(*) FROM subscribers WHERE status = 'confirmed'"); n != 0 {
		t.Fatalf("a ticked box confirmed %d subscribers without their click", n)
	}
	if n := e.count("SELECT COUNT(*) FROM subscribers WHERE consent_source = 'form:checkout'"); n != 1 {
		t.Fatalf("the sign-up's consent source is not the checkout (%d rows)", n)
	}
	link := e.confirmationLink()
	want(t, c.post(link, url.Values{}), http.StatusOK)
	if n := e.count("SELECT COUNT(*) FROM subscribers WHERE status = 'confirmed'"); n != 1 {
		t.Fatalf("after the confirmation click %d subscribers are confirmed; want 1", n)
	}
}

// Promise (issue 12, item 4): the checkout's answer does not wait for the opt-in's
// address-dependent work. With the after-answer workers held, a ticked box is answered
// with the sign-up stored sealed in the intake and no subscriber yet; once they run, the
// subscriber is pending and the intake row gone.
func TestCheckoutOptInJoinsAfterTheAnswer(t *testing.T) {
	e := newEnv(t)
	shopFixture(t, e)
	form := url.Values{"action": {"continue"}, "name": {"Lee Buyer"}, "email": {"lee@buyer.example"}, "country": {"FR"},
		"quantity": {"1"}, "currency": {"EUR"}, "newsletter": {"yes"}}
	release := e.srv.later.occupy()
	if r := e.postNoWait("/buy/tool/std", form); r.StatusCode != http.StatusSeeOther {
		release()
		t.Fatalf("checkout with the box ticked: %d", r.StatusCode)
	}
	intake, subs := e.count("SELECT COUNT(*) FROM signup_intake"), e.count("SELECT COUNT(*) FROM subscribers")
	release()
	e.srv.Wait()
	if intake != 1 || subs != 0 {
		t.Errorf("at the answer: %d intake rows, %d subscribers; want 1 and 0", intake, subs)
	}
	if n := e.count("SELECT COUNT(*) FROM subscribers WHERE status = 'pending'"); n != 1 {
		t.Errorf("%d pending subscribers after the work ran; want 1", n)
	}
	if n := e.count("SELECT COUNT(*) FROM signup_intake"); n != 0 {
		t.Errorf("%d intake rows left after the work ran; want 0", n)
	}
}
