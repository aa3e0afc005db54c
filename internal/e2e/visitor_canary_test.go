package e2e

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/candor-dev/candor/internal/testkit/canary"
)

// The visitor canaries: an address from the documentation range and a user agent no
// real browser sends, so that any hit is a leak.
const (
	canaryIP        = "203.0.113.77"
	canaryUserAgent = "CanaryBrowser/9.9 (X11; Candor-UA-Canary-5521)"
)

// asVisitor makes every request of b come from the canary IP (through the trusted
// proxy on loopback, which terminated TLS: card pages answer only over TLS) with the
// canary user agent.
type asVisitor struct{ next http.RoundTripper }

func (v asVisitor) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", canaryIP)
	r.Header.Set("X-Forwarded-Proto", "https")
	r.Header.Set("User-Agent", canaryUserAgent)
	return v.next.RoundTrip(r)
}

// Promise: visitors are never singled out — their IP address and user agent, used only
// in memory for rate limits, are stored and logged nowhere: after buying in the shop,
// subscribing, writing through the contact form, failing and passing a staff sign-in
// and browsing the admin,
// neither appears in the data directory (database, WAL, keys) or the logs, in any
// encoding.
func TestVisitorIPAndUserAgentAreNeverKept(t *testing.T) {
	in := newInstall(t)
	const ownerPW = "owner-password-123"
	in.canary(ownerPW, "owner@example.com", canaryIP, canaryUserAgent)
	if out, err := in.candor("", nil, append([]string{"migrate"}, in.args()...)...); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	in.addOwner(t, ownerPW)
	if out, err := in.candor("", nil, append([]string{"products", "add", "--slug", "northwind", "--name", "Northwind",
		"--edition", "std:Standard:49.00:EUR"}, in.args()...)...); err != nil {
		t.Fatalf("products add: %v\n%s", err, out)
	}
	s := in.serve("--antibot-difficulty", "4", "--trusted-proxy", "127.0.0.1/32", "--log-level", "debug")
	b := s.browser()
	b.http.Transport = asVisitor{http.DefaultTransport}
	u := buyer{t, b}
	if r := u.pay(u.order(), "4242 4242 4242 4242", "12/34"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("purchase: %d\n%s", r.StatusCode, r.body)
	}

	want(t, b.get("/"), http.StatusOK)
	wantRedirect(t, b.post("/subscribe", b.solvedSubscribeForm("visitor@example.com", "Vera Visitor")), "/subscribe/thanks")
	wantRedirect(t, b.post("/contact", b.solvedContactForm("Vera Visitor", "visitor@example.com", "A question", "Does it run on Linux?")), "/contact/thanks")
	if r := b.post("/admin/login", url.Values{"email": {"owner@example.com"}, "password": {"wrong-password-123"}}); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", r.StatusCode)
	}
	wantRedirect(t, b.post("/admin/login", url.Values{"email": {"owner@example.com"}, "password": {ownerPW}}), "/admin/")
	for _, p := range []string{"/admin/", "/admin/inbox", "/admin/subscribers", "/admin/audit", "/admin/outbox", "/admin/shop/orders"} {
		want(t, b.get(p), http.StatusOK)
	}
	s.stop()

	canary.AssertAbsent(t, "visitor IP and user agent are never stored", []string{in.dir}, canaryIP, canaryUserAgent)
	for _, hit := range canary.FindIn("logs", []byte(in.logs.String()), canaryIP, canaryUserAgent) {
		t.Errorf("the logs contain the visitor canary %q (%s)", hit.Canary, hit.Encoding)
	}
}
