package egress_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/egress"
)

func loadConfig(args ...string) (config.Config, error) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	flags := config.Register(fs)
	if err := fs.Parse(args); err != nil {
		return config.Config{}, err
	}
	return config.Load(flags, func(string) string { return "" })
}

// Promise (issue 11): the destinations `candor config` lists are exactly the
// configured features' hosts and ports, and nothing when no feature dials out.
func TestDestinationsFollowTheConfiguration(t *testing.T) {
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if got := egress.Listing(cfg); len(got) != 1 || got[0] != "none" {
		t.Fatalf("default configuration: %v", got)
	}
	cfg, err = loadConfig("--smtp", "smtps://u:p@mail.example.com", "--contact-imap", "imap://u:p@imap.example.com/INBOX",
		"--payment", "hosted", "--stripe-key", "sk_test_x", "--acme-domain", "shop.example.com", "--egress-proxy", "http://proxy.internal:3128")
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for _, d := range egress.Destinations(cfg) {
		addrs = append(addrs, d.Addr())
	}
	want := "mail.example.com:465 imap.example.com:143 api.stripe.com:443 acme-v02.api.letsencrypt.org:443"
	if strings.Join(addrs, " ") != want {
		t.Fatalf("destinations %v; want %s", addrs, want)
	}
	if l := egress.Listing(cfg); !strings.Contains(l[len(l)-1], "proxy.internal:3128") || strings.Contains(strings.Join(l, "\n"), "u:p") {
		t.Fatalf("listing %v", l)
	}
}

// Promise: the card processor's API is https, except on a literal loopback address.
func TestProcessorAPIMustBeHTTPS(t *testing.T) {
	if _, err := loadConfig("--stripe-api", "http://api.example.com"); err == nil || !strings.Contains(err.Error(), "https://") {
		t.Fatalf("http API on a public name: %v", err)
	}
	for _, ok := range []string{"https://api.example.com", "http://127.0.0.1:12111", "http://[::1]:12111", "http://localhost:12111"} {
		if _, err := loadConfig("--stripe-api", ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
