package egress_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/candor-dev/candor/internal/egress"
	"github.com/candor-dev/candor/internal/mail/imapin"
	"github.com/candor-dev/candor/internal/mail/smtp"
	"github.com/candor-dev/candor/internal/payment"
	"github.com/candor-dev/candor/internal/payment/stripe"
)

// listener is a TCP port on loopback that counts the connections it accepts.
func listener(t *testing.T) (addr string, accepted *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	accepted = new(atomic.Int32)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	return ln.Addr().String(), accepted
}

// only is a dialer allowing one destination, private addresses included: a refusal is
// then for the destination, not its address.
func only(addr string) *egress.Dialer {
	host, port, _ := net.SplitHostPort(addr)
	return egress.New(egress.Options{Destinations: []egress.Destination{{Purpose: "test", Setting: "--test", Host: host, Port: port, AllowPrivate: true}}})
}

// Promise (issue 11, one way out): each feature pointed at a destination the
// configuration does not name is refused before a byte leaves, the mail relay, the
// contact mailbox and the card processor alike.
func TestFeaturesRefuseUnconfiguredDestinations(t *testing.T) {
	configured, _ := listener(t)
	target, accepted := listener(t)
	out := only(configured)
	ctx := context.Background()

	relay, err := smtp.New(smtp.Options{URL: &url.URL{Scheme: "smtp", Host: target}, Egress: out, AllowPrivate: true,
		From: &netmail.Address{Address: "news@candor.test"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := relay.Check(ctx); !errors.Is(err, egress.ErrNotConfigured) {
		t.Errorf("SMTP relay at an unconfigured address: %v; want ErrNotConfigured", err)
	}

	p, err := imapin.NewPoller(imapin.Options{URL: &url.URL{Scheme: "imaps", User: url.UserPassword("u", "p"), Host: target, Path: "/INBOX"}, Egress: out}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Poll(ctx, nil); !errors.Is(err, egress.ErrNotConfigured) {
		t.Errorf("IMAP mailbox at an unconfigured address: %v; want ErrNotConfigured", err)
	}

	api := &url.URL{Scheme: "http", Host: target}
	c, err := stripe.New(stripe.Options{Key: "sk_test_x", API: api, HTTPClient: out.HTTPClient(0)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Payment(ctx, "pi_1"); !errors.Is(err, egress.ErrNotConfigured) && !errorsContain(err, "not a destination the configuration names") {
		t.Errorf("card processor at an unconfigured address: %v; want a refusal", err)
	}
	if n := accepted.Load(); n != 0 {
		t.Fatalf("the unconfigured destination received %d connections", n)
	}
	var _ payment.Processor = c
}

func errorsContain(err error, s string) bool { return err != nil && strings.Contains(err.Error(), s) }

// Promise: a configured name resolving to a private address is refused unless the
// destination allows it, and a loopback destination needs the setting too.
func TestPrivateAddressRefusedUnlessAllowed(t *testing.T) {
	addr, accepted := listener(t)
	host, port, _ := net.SplitHostPort(addr)
	d := egress.New(egress.Options{Destinations: []egress.Destination{{Purpose: "mail relay", Setting: "--smtp", Host: host, Port: port,
		PrivateSetting: "--egress-allow-private"}}})
	_, err := d.DialContext(context.Background(), "tcp", addr)
	if !errors.Is(err, egress.ErrPrivate) || !strings.Contains(err.Error(), "--egress-allow-private") {
		t.Fatalf("loopback without the setting: %v", err)
	}
	if accepted.Load() != 0 {
		t.Fatal("a refused address was connected to")
	}
	c, err := only(addr).DialContext(context.Background(), "tcp", addr)
	if err != nil {
		t.Fatalf("allowed destination: %v", err)
	}
	c.Close()
}

// Promise: proxy variables from the environment are ignored; outbound HTTP goes
// straight to the configured destination unless --egress-proxy names a proxy.
func TestProxyEnvironmentIgnored(t *testing.T) {
	proxy, proxied := listener(t)
	t.Setenv("HTTPS_PROXY", "http://"+proxy)
	t.Setenv("HTTP_PROXY", "http://"+proxy)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	resp, err := only(u.Host).HTTPClient(0).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || proxied.Load() != 0 {
		t.Fatalf("status %d, %d connections to the environment's proxy", resp.StatusCode, proxied.Load())
	}
	if _, err := only(u.Host).HTTPClient(0).Get("http://example.com/"); !errors.Is(err, egress.ErrNotConfigured) {
		t.Fatalf("an unconfigured URL: %v", err)
	}
}
