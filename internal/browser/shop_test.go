package browser

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/cli"
	"github.com/candor-dev/candor/internal/testkit/canary"
)

var (
	licenceKeyRe   = regexp.MustCompile(`CANDOR1-[0-9A-Z-]+`)
	downloadLinkRe = regexp.MustCompile(`http://\S+/orders/ord_\w+/downloads/\d+\?\S+`)
)

// TestBuyOnDemoSite is a purchase in a real browser, in test mode: the demo site's
// Buy button, the checkout form, the card form with Stripe's success test card, the
// order page with its licence key; then the receipt through a real SMTP server
// (mailpit) carrying the same key (brand and last 4 only), the key checked offline by
// `candor licence verify`, and the file fetched through the receipt's expiring link.
// Every page loads without a console error, a CSP violation or a request elsewhere,
// and every page says TEST MODE.
func TestBuyOnDemoSite(t *testing.T) {
	chromiumPath(t)
	mp := startRelay(t)
	data := t.TempDir()
	ca := filepath.Join(t.TempDir(), "relay-ca.pem")
	if err := os.WriteFile(ca, mp.Cert.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := startServerWith(t, data, "--smtp", mp.URL("smtp", "", "").String(), "--smtp-allow-private",
		"--smtp-ca-file", ca, "--tax-rate", "DE=19")
	rec := newRecorder()
	b := &tab{t: t, ctx: startBrowser(t, rec), base: srv.URL, shots: screenshotDir(t)}
	check := func(where string) { t.Helper(); rec.check(t, srv.Host, where) }

	b.open("/")
	b.submit(`.demo-site a[href^="/buy/netscan-pro/personal"]`)
	b.wantPath("/buy/netscan-pro/personal")
	wantTestMode(b)
	b.fill(`#buy-name`, "Bea Buyer")
	b.fill(`#buy-email`, "bea.buyer@example.com")
	b.choose(`#buy-country`, "DE")
	b.submit(`button[value="update"]`)
	if got := b.text(`.summary tr.total`); !strings.Contains(got, "EUR 58.31") {
		t.Fatalf("total for EUR 49.00 + 19%% VAT = %q", got)
	}
	b.shoot("shop-checkout", true)
	check("checkout form")
	b.submit(`button[value="continue"]`)
	if !strings.HasSuffix(b.location().Path, "/pay") {
		t.Fatalf("continue went to %s", b.location())
	}
	wantTestMode(b)
	b.fill(`#card-number`, "4242 4242 4242 4242")
	b.fill(`#card-exp`, "12/34")
	b.fill(`#card-cvc`, "987")
	b.shoot("shop-pay", true)
	check("payment form")
	b.submit(`.checkout-form button[type=submit]`)
	if !strings.HasPrefix(b.location().Path, "/orders/ord_") {
		t.Fatalf("after paying: at %s", b.location())
	}
	wantTestMode(b)
	key := b.text(`pre.licence-key`)
	if !licenceKeyRe.MatchString(key) {
		t.Fatalf("the order page shows no licence key: %q", key)
	}
	b.shoot("shop-order", true)
	check("order page")

	// The receipt, through the real relay.
	msgs := mp.Wait(t, 1, 30*time.Second)
	text := mailBody(t, mp, msgs[0].ID)
	for _, want := range []string{"TEST MODE", key, "Visa ending in 4242", "INV-000001", "Tax (19%, DE)", "EUR 58.31"} {
		if !strings.Contains(strings.ReplaceAll(text, "\r\n", "\n"), want) {
			t.Errorf("the receipt lacks %q:\n%s", want, text)
		}
	}
	for _, hit := range canary.FindIn("receipt", []byte(text), "4242424242424242", "4242 4242 4242 4242") {
		t.Errorf("the receipt carries the card number (%s)", hit.Encoding)
	}

	// The key verifies offline with the installation's public key.
	var out canary.Buffer
	err := cli.Run(context.Background(), []string{"licence", "verify", "--data-dir", data, key},
		cli.Env{Getenv: func(string) string { return "" }, Stdin: strings.NewReader(""), Stdout: &out, Stderr: io.Discard})
	if err != nil || !strings.Contains(out.String(), "netscan-pro") {
		t.Fatalf("candor licence verify: %v\n%s", err, out.String())
	}

	// The download, through the receipt's signed, expiring link.
	link := downloadLinkRe.FindString(text)
	if link == "" {
		t.Fatalf("no download link in the receipt:\n%s", text)
	}
	res, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "NetScan Pro 4.2") {
		t.Fatalf("download: %d %q", res.StatusCode, body)
	}
	if res, err := http.Get(strings.Replace(link, "s=", "s=f", 1)); err != nil || res.StatusCode != http.StatusNotFound {
		t.Fatalf("a tampered download link: %v %v", res.StatusCode, err)
	}
}

// wantTestMode fails unless the page carries the TEST MODE banner.
func wantTestMode(b *tab) {
	b.t.Helper()
	if !strings.Contains(b.text(`.testmode`), "TEST MODE") {
		b.t.Fatalf("%s has no TEST MODE banner", b.location().Path)
	}
}
