package shop

import (
	"fmt"
	"strings"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
)

// testBanner marks everything sold in test mode.
const testBanner = "TEST MODE — no real payment was made and this licence is for testing only."

// InvoiceNumber prints an invoice number: INV-000042.
func InvoiceNumber(n int64) string { return fmt.Sprintf("INV-%06d", n) }

// receipt composes the receipt and invoice mail of a paid order: the lines, the tax,
// the card's brand and last 4 only, the licence keys and the links.
func (s *Service) receipt(o Order, licences []Licence, downloads []Download, purpose string) (mail.Queued, error) {
	addr, err := s.sealer.OpenString(SealEmail, o.EmailSealed)
	if err != nil {
		return mail.Queued{}, err
	}
	name, err := s.sealer.OpenString(SealName, o.NameSealed)
	if err != nil {
		return mail.Queued{}, err
	}
	to, err := pii.NewEmail(addr)
	if err != nil {
		return mail.Queued{}, err
	}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	if o.TestMode() {
		line("*** %s ***\n", testBanner)
	}
	line("Thank you for your order, %s.", oneLine(name))
	line("")
	line("Invoice %s — %s", InvoiceNumber(o.InvoiceNo), o.PaidAt.Format("2 January 2006"))
	if s.opts.Seller != "" {
		line("Seller: %s", oneLine(s.opts.Seller))
	}
	line("Order: %s", o.Ref)
	line("")
	for _, l := range InvoiceLines(o) {
		line("%-44s %s", l.Label, l.Amount)
	}
	if o.CardLast4 != "" {
		line("")
		line("Paid with %s ending in %s.", strings.ToUpper(o.CardBrand[:min(1, len(o.CardBrand))])+o.CardBrand[min(1, len(o.CardBrand)):], o.CardLast4)
	}
	line("")
	for _, l := range licences {
		line("Your licence key (%d seat%s%s):", l.Seats, plural(l.Seats), expiry(l))
		line("")
		line("    %s", l.Key)
		line("")
	}
	if len(downloads) > 0 {
		line("Downloads (these links work for %s; your order page gives fresh ones):", humanDuration(s.opts.DownloadTTL))
		for _, d := range downloads {
			line("  %s: %s", d.Name, s.DownloadURL(o.Ref, d.ID))
		}
		line("")
	}
	line("Your order page: %s", s.OrderURL(o.Ref))
	subject := fmt.Sprintf("Your receipt for %s %s — invoice %s", o.ProductName, o.EditionName, InvoiceNumber(o.InvoiceNo))
	if o.TestMode() {
		subject = "[TEST MODE] " + subject
	}
	text := mail.WithPrivacyFooter(b.String(), s.opts.PublicURL)
	return mail.Compose(s.sealer, mail.Draft{Purpose: purpose, To: to, Content: mail.Content{Subject: oneLine(subject), Text: text}}, s.opts.MailDomain, s.now())
}

// InvoiceLine is one line of an invoice.
type InvoiceLine struct{ Label, Amount string }

// InvoiceLines are the priced lines of an order: items, discount, tax, total.
func InvoiceLines(o Order) []InvoiceLine {
	out := []InvoiceLine{{fmt.Sprintf("%s %s × %d", o.ProductName, o.EditionName, o.Quantity), FormatMoney(o.Subtotal, o.Currency)}}
	if o.Discount > 0 {
		out = append(out, InvoiceLine{"Coupon " + o.CouponCode, FormatMoney(-o.Discount, o.Currency)})
	}
	tax := fmt.Sprintf("Tax (%s, %s)", FormatRate(o.TaxRate), o.Country)
	if o.TaxInclusive {
		tax = fmt.Sprintf("Includes tax (%s, %s)", FormatRate(o.TaxRate), o.Country)
	}
	out = append(out, InvoiceLine{tax, FormatMoney(o.Tax, o.Currency)}, InvoiceLine{"Total", FormatMoney(o.Total, o.Currency)})
	if o.Refunded > 0 {
		out = append(out, InvoiceLine{"Refunded", FormatMoney(-o.Refunded, o.Currency)})
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func expiry(l Licence) string {
	if l.ExpiresAt.IsZero() {
		return ", perpetual"
	}
	return ", valid until " + l.ExpiresAt.Format("2 January 2006")
}

func humanDuration(d interface{ Hours() float64 }) string {
	h := int(d.Hours())
	if h%24 == 0 && h >= 48 {
		return fmt.Sprintf("%d days", h/24)
	}
	return fmt.Sprintf("%d hours", h)
}
