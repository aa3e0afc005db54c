package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/staff"
)

// urlLog is a client transport that records every request URL and Location header the
// client saw, to check that no address travelled in one.
type urlLog struct {
	base http.RoundTripper
	seen []string
}

func (l *urlLog) RoundTrip(req *http.Request) (*http.Response, error) {
	l.seen = append(l.seen, req.URL.String())
	res, err := l.base.RoundTrip(req)
	if err == nil {
		l.seen = append(l.seen, res.Header.Get("Location"))
	}
	return res, err
}

// recordURLs makes c record its URLs and Location headers.
func (c *client) recordURLs() *urlLog {
	l := &urlLog{base: http.DefaultTransport}
	c.http.Transport = l
	return l
}

// assertNoAddress fails when an address appears in a recorded URL or Location, in any
// of the spellings a URL may take.
func (l *urlLog) assertNoAddress(t *testing.T, addr string) {
	t.Helper()
	forms := []string{strings.ToLower(addr), strings.ToLower(url.QueryEscape(addr)), strings.ToLower(url.PathEscape(addr)),
		strings.ToLower(strings.SplitN(addr, "@", 2)[0])}
	for _, u := range l.seen {
		for _, f := range forms {
			if strings.Contains(strings.ToLower(u), f) {
				t.Errorf("the address %q travelled in a URL: %s", addr, u)
			}
		}
	}
}

// search posts a staff search form and follows its redirect to the list.
func (c *client) search(action string, form url.Values) resp {
	c.e.t.Helper()
	r := c.post(action, form)
	if r.StatusCode != http.StatusSeeOther {
		c.e.t.Fatalf("POST %s answered %d, want 303\n%.1000s", action, r.StatusCode, r.body)
	}
	return c.get(r.Header.Get("Location"))
}

// href finds the first link of body matching pattern (a regexp on the unescaped href).
func href(t *testing.T, body, pattern string) string {
	t.Helper()
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		if h := html.UnescapeString(m[1]); regexp.MustCompile(pattern).MatchString(h) {
			return h
		}
	}
	t.Fatalf("no link matches %s", pattern)
	return ""
}

// Promise (issue 11, the edges): a staff search by email carries no address in a URL
// (a proxy's log, a browser's history): the inbox search posts, and its results, its
// paging and its folder links go by a sealed search id.
func TestInboxSearchKeepsAddressOutOfURLs(t *testing.T) {
	e := newEnv(t)
	const addr = "Searched.Person@example.org"
	for i := range inboxPageSize + 2 {
		e.receive(contact.Submission{Name: "Searched", Email: addr, Subject: "Question " + strconv.Itoa(i) + ".", Message: "about " + strconv.Itoa(i)}, contact.New, 0)
	}
	e.receive(contact.Submission{Name: "Other", Email: "other@example.org", Subject: "Unrelated.", Message: "other"}, contact.New, 0)
	c, _ := e.signedIn("sue@example.com", staff.Support)
	log := c.recordURLs()
	r := c.search("/admin/inbox/search", url.Values{"q": {addr}})
	want(t, r, http.StatusOK)
	wantBody(t, r, "1–25 of 27", "Page 1 of 2")
	wantNoBody(t, r, "Unrelated.")
	next := href(t, r.body, `^/admin/inbox\?page=2&s=`)
	r = c.get(next)
	wantBody(t, r, "26–27 of 27", "Page 2 of 2")
	wantNoBody(t, r, "Unrelated.")
	r = c.get(href(t, r.body, `^/admin/inbox\?s=[^&]+&who=mine$`))
	want(t, r, http.StatusOK)
	log.assertNoAddress(t, addr)
}

// Promise: the subscriber search by address posts; the list shows it by a sealed id.
func TestSubscriberSearchKeepsAddressOutOfURLs(t *testing.T) {
	e := newEnv(t)
	e.importSubscribers("email,name\nsought.reader@example.org,Sought\nother.reader@example.org,Other\n")
	c, _ := e.signedIn("owner@staff.example", staff.Owner)
	log := c.recordURLs()
	r := c.search("/admin/subscribers/search", url.Values{"q": {" Sought.Reader@EXAMPLE.org "}})
	want(t, r, http.StatusOK)
	wantBody(t, r, "sought.reader@example.org", "The subscriber with this exact address")
	wantNoBody(t, r, "other.reader@example.org")
	log.assertNoAddress(t, "sought.reader@example.org")
}

// Promise: the order search by the buyer's address posts; results, paging and the
// status tabs go by a sealed id.
func TestOrderSearchKeepsAddressOutOfURLs(t *testing.T) {
	e := newEnv(t, "--tax-rate", "DE=19")
	e.shopAdminProduct()
	o := e.shopAdminPaidOrder(1)
	c, _ := e.signedIn("clerk@example.com", staff.ShopRole)
	log := c.recordURLs()
	r := c.search("/admin/shop/orders/search", url.Values{"q": {shopAdminEmail}})
	want(t, r, http.StatusOK)
	wantIn(t, "a search by the buyer's address", r.body, o.Ref)
	r = c.get(href(t, r.body, `^/admin/shop/orders\?s=.*status=fulfilled|^/admin/shop/orders\?status=fulfilled`))
	wantIn(t, "the fulfilled tab of the search", r.body, o.Ref)
	log.assertNoAddress(t, shopAdminEmail)
}

// A sealed search id opens only within its session and for searchTTL; otherwise the
// list says the search expired and shows no result of it.
func TestSealedSearchExpires(t *testing.T) {
	e := newEnv(t)
	p := e.srv.inboxPages.pages
	req := func(sessionToken, sealed string) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, "/admin/inbox?s="+url.QueryEscape(sealed), nil)
		r.AddCookie(&http.Cookie{Name: p.cookieName(sessionCookie), Value: sessionToken})
		return r
	}
	now := time.Now()
	sealed := p.sealSearch(req("session-a", ""), "a@example.org", now)
	if strings.Contains(sealed, "example") || sealed == "" {
		t.Fatalf("sealed id %q", sealed)
	}
	if got := p.openSearch(req("session-a", sealed), now.Add(searchTTL-time.Second)); got.Q != "a@example.org" || got.Expired {
		t.Errorf("within its time: %+v", got)
	}
	if got := p.openSearch(req("session-a", sealed), now.Add(searchTTL+time.Second)); got.Q != "" || !got.Expired {
		t.Errorf("after searchTTL: %+v", got)
	}
	if got := p.openSearch(req("session-b", sealed), now); got.Q != "" || !got.Expired {
		t.Errorf("in another session: %+v", got)
	}
	c, _ := e.signedIn("sue@example.com", staff.Support)
	r := c.get("/admin/inbox?s=" + url.QueryEscape(sealed))
	wantBody(t, r, "That search has expired")
}
