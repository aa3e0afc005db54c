package payment

import (
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

// The form fields a card error names.
const (
	FieldCardNumber = "card_number"
	FieldCardExp    = "card_exp"
	FieldCardCVC    = "card_cvc"
)

// The public messages of card input errors. They are fixed sentences: an error about
// a card never repeats what was typed.
const (
	msgNumber     = "Enter a valid card number."
	msgNumberLen  = "A card number has 12 to 19 digits."
	msgNumberSum  = "That card number is not valid; please check it."
	msgExp        = "Enter the expiry date as shown on the card (month and year)."
	msgExpired    = "This card has expired."
	msgCVC        = "Enter the 3-digit security code from the back of the card."
	msgCVCAmex    = "Enter the 4-digit security code from the front of the card."
	msgCVCMissing = "Enter the card's security code (CVC)."
)

// ParseCardNumber reads a card number as typed: spaces and dashes are dropped, and
// what remains must be 12 to 19 digits that pass the Luhn check. The error is an
// errs.InvalidField for "card_number" and never contains the input. The input string
// itself cannot be wiped (see Card.Clear); the CardNumber's own copy can.
func ParseCardNumber(s string) (CardNumber, error) {
	if len(s) > 64 {
		return CardNumber{}, errs.InvalidField(FieldCardNumber, msgNumberLen)
	}
	d := make([]byte, 0, 19)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '-':
		case c >= '0' && c <= '9':
			d = append(d, c) // capacity 19 and the length check below: never reallocated past 19
			if len(d) > 19 {
				clear(d)
				return CardNumber{}, errs.InvalidField(FieldCardNumber, msgNumberLen)
			}
		default:
			clear(d)
			return CardNumber{}, errs.InvalidField(FieldCardNumber, msgNumber)
		}
	}
	switch {
	case len(d) == 0:
		return CardNumber{}, errs.InvalidField(FieldCardNumber, msgNumber)
	case len(d) < 12:
		clear(d)
		return CardNumber{}, errs.InvalidField(FieldCardNumber, msgNumberLen)
	case !luhn(d):
		clear(d)
		return CardNumber{}, errs.InvalidField(FieldCardNumber, msgNumberSum)
	}
	return CardNumber{p: newDigits(d)}, nil
}

// luhn reports whether the digits pass the Luhn (mod 10) check.
func luhn(d []byte) bool {
	sum := 0
	for i := range d {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// ParseCVC reads a security code: 3 or 4 digits, surrounding spaces dropped. The
// error is an errs.InvalidField for "card_cvc" and never contains the input.
func ParseCVC(s string) (CVC, error) {
	s = trimSpaces(s)
	if s == "" {
		return CVC{}, errs.InvalidField(FieldCardCVC, msgCVCMissing)
	}
	if len(s) < 3 || len(s) > 4 {
		return CVC{}, errs.InvalidField(FieldCardCVC, msgCVC)
	}
	d := make([]byte, 0, 4)
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			clear(d)
			return CVC{}, errs.InvalidField(FieldCardCVC, msgCVC)
		}
		d = append(d, s[i])
	}
	return CVC{p: newDigits(d)}, nil
}

// ParseCard reads a card from its form fields: the number (ParseCardNumber), the
// expiry month ("M" or "MM", 1–12) and year ("YY" or "YYYY"; not expired at now, in
// UTC, and at most 20 years ahead), and the CVC (4 digits for amex, 3 for the other
// known brands, 3 or 4 for an unknown one). The error is an errs.InvalidField for
// "card_number", "card_exp" or "card_cvc", checked in that order, and never contains
// the input. On error nothing is kept: digits already parsed are cleared.
func ParseCard(number, expMonth, expYear, cvc string, now time.Time) (*Card, error) {
	n, err := ParseCardNumber(number)
	if err != nil {
		return nil, err
	}
	month, year, err := parseExpiry(expMonth, expYear, now)
	if err != nil {
		n.Clear()
		return nil, err
	}
	c, err := ParseCVC(cvc)
	if err != nil {
		n.Clear()
		return nil, err
	}
	want := 3
	switch n.Brand() {
	case "amex":
		want = 4
	case "unknown":
		want = len(digitsOf(c.p))
	}
	if len(digitsOf(c.p)) != want {
		n.Clear()
		c.Clear()
		if want == 4 {
			return nil, errs.InvalidField(FieldCardCVC, msgCVCAmex)
		}
		return nil, errs.InvalidField(FieldCardCVC, msgCVC)
	}
	return &Card{Number: n, CVC: c, ExpMonth: month, ExpYear: year}, nil
}

// parseExpiry reads the expiry month and year and refuses an expired card.
func parseExpiry(m, y string, now time.Time) (month, year int, err error) {
	m, y = trimSpaces(m), trimSpaces(y)
	month, okM := smallInt(m, 1, 2)
	year, okY := smallInt(y, 2, 4)
	if !okM || !okY || len(y) == 3 || month < 1 || month > 12 {
		return 0, 0, errs.InvalidField(FieldCardExp, msgExp)
	}
	if len(y) == 2 {
		year += 2000
	}
	now = now.UTC()
	switch {
	case year < now.Year() || year == now.Year() && month < int(now.Month()):
		return 0, 0, errs.InvalidField(FieldCardExp, msgExpired)
	case year > now.Year()+20:
		return 0, 0, errs.InvalidField(FieldCardExp, msgExp)
	}
	return month, year, nil
}

// trimSpaces drops surrounding ASCII spaces.
func trimSpaces(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

// smallInt parses between minLen and maxLen ASCII digits.
func smallInt(s string, minLen, maxLen int) (int, bool) {
	if len(s) < minLen || len(s) > maxLen {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// brandOf names the card network from the IIN (the first digits).
func brandOf(d []byte) string {
	if len(d) < 6 {
		return "unknown"
	}
	p := func(n int) int { // the first n digits as a number
		v := 0
		for _, c := range d[:n] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	p1, p2, p3, p4 := p(1), p(2), p(3), p(4)
	switch {
	case p1 == 4:
		return "visa"
	case p2 == 34 || p2 == 37:
		return "amex"
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return "mastercard"
	case p4 == 6011, p3 >= 644 && p3 <= 649, p2 == 65:
		return "discover"
	case p4 >= 3528 && p4 <= 3589:
		return "jcb"
	case p3 >= 300 && p3 <= 305, p4 == 3095, p2 == 36, p2 == 38, p2 == 39:
		return "diners"
	case p2 == 62, p2 == 81:
		return "unionpay"
	}
	return "unknown"
}
