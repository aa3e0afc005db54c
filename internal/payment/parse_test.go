package payment

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/errs"
)

var now = time.Date(2026, 5, 15, 12, 0, 0, 0, time.UTC)

func TestParseCard(t *testing.T) {
	tests := []struct {
		number, month, year, cvc string
		field                    string // "" when valid
		brand                    string
		expMonth, expYear        int
	}{
		{"4242 4242 4242 4242", "12", "34", "123", "", "visa", 12, 2034},
		{"4242-4242-4242-4242", "5", "2026", "123", "", "visa", 5, 2026}, // expires this month: still valid
		{"5555555555554444", "01", "2030", "123", "", "mastercard", 1, 2030},
		{"2223003122003222", "01", "2030", "123", "", "mastercard", 1, 2030},
		{"378282246310005", "01", "2030", "1234", "", "amex", 1, 2030},
		{"6011111111111117", "01", "2030", "123", "", "discover", 1, 2030},
		{"3566002020360505", "01", "2030", "123", "", "jcb", 1, 2030},
		{"3056930009020004", "01", "2030", "123", "", "diners", 1, 2030},
		{"36227206271667", "01", "2030", "123", "", "diners", 1, 2030},
		{"6200000000000005", "01", "2030", "123", "", "unionpay", 1, 2030},
		{" 4000 0566 5566 5556 ", " 1 ", " 30 ", " 123 ", "", "visa", 1, 2030},
		{"", "12", "30", "123", FieldCardNumber, "", 0, 0},
		{"4242 4242 4242 4241", "12", "30", "123", FieldCardNumber, "", 0, 0}, // Luhn
		{"4242.4242.4242.4242", "12", "30", "123", FieldCardNumber, "", 0, 0},
		{"42424242424", "12", "30", "123", FieldCardNumber, "", 0, 0},          // 11 digits
		{"42424242424242424242", "12", "30", "123", FieldCardNumber, "", 0, 0}, // 20 digits
		{"４２４２４２４２４２４２４２４２", "12", "30", "123", FieldCardNumber, "", 0, 0},
		{"4242424242424242", "4", "2026", "123", FieldCardExp, "", 0, 0}, // expired last month
		{"4242424242424242", "12", "25", "123", FieldCardExp, "", 0, 0},
		{"4242424242424242", "13", "30", "123", FieldCardExp, "", 0, 0},
		{"4242424242424242", "0", "30", "123", FieldCardExp, "", 0, 0},
		{"4242424242424242", "12", "203", "123", FieldCardExp, "", 0, 0},
		{"4242424242424242", "12", "2099", "123", FieldCardExp, "", 0, 0}, // too far ahead
		{"4242424242424242", "ab", "30", "123", FieldCardExp, "", 0, 0},
		{"4242424242424242", "12", "30", "", FieldCardCVC, "", 0, 0},
		{"4242424242424242", "12", "30", "12", FieldCardCVC, "", 0, 0},
		{"4242424242424242", "12", "30", "1234", FieldCardCVC, "", 0, 0}, // 4 digits on a visa
		{"378282246310005", "12", "30", "123", FieldCardCVC, "", 0, 0},   // 3 on an amex
		{"4242424242424242", "12", "30", "12a", FieldCardCVC, "", 0, 0},
	}
	for _, tt := range tests {
		c, err := ParseCard(tt.number, tt.month, tt.year, tt.cvc, now)
		if tt.field == "" {
			if err != nil {
				t.Errorf("ParseCard(%q, %q, %q): %v", tt.number, tt.month, tt.year, err)
				continue
			}
			digits := strings.NewReplacer(" ", "", "-", "").Replace(tt.number)
			if c.Number.Reveal() != digits || c.Number.Brand() != tt.brand || c.ExpMonth != tt.expMonth || c.ExpYear != tt.expYear ||
				c.CVC.Reveal() != strings.TrimSpace(tt.cvc) || c.Number.Last4() != digits[len(digits)-4:] {
				t.Errorf("ParseCard(%q) = brand %s exp %d/%d", tt.number, c.Number.Brand(), c.ExpMonth, c.ExpYear)
			}
			continue
		}
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != errs.Invalid || e.Field != tt.field {
			t.Errorf("ParseCard(%q, %q, %q, %q) = %v; want invalid %s", tt.number, tt.month, tt.year, tt.cvc, err, tt.field)
			continue
		}
		if c != nil {
			t.Error("a card with an error")
		}
		checkNoInput(t, err, tt.number, tt.cvc)
	}
}

// checkNoInput fails when err is not one of the fixed messages or contains inputs.
func checkNoInput(t testing.TB, err error, inputs ...string) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Cause != nil {
		t.Fatalf("not a bare errs.Error: %#v", err)
	}
	switch e.Public {
	case msgNumber, msgNumberLen, msgNumberSum, msgExp, msgExpired, msgCVC, msgCVCAmex, msgCVCMissing:
	default:
		t.Fatalf("unexpected message %q", e.Public)
	}
	if err.Error() != "invalid: "+e.Public {
		t.Fatalf("Error() = %q", err.Error())
	}
	for _, in := range inputs {
		digits := strings.NewReplacer(" ", "", "-", "").Replace(in)
		if len(digits) >= 3 && strings.Contains(err.Error(), digits) {
			t.Fatalf("error %q contains the input", err)
		}
	}
}

func TestBrands(t *testing.T) {
	for number, brand := range map[string]string{
		"4111111111111111": "visa", "5105105105105100": "mastercard", "2720990000000007": "mastercard",
		"371449635398431": "amex", "6445644564456445": "discover", "6500000000000002": "discover",
		"3530111333300000": "jcb", "38520000023237": "diners", "8100000000000000": "unionpay",
		"1234567812345670": "unknown", "9999999999999995": "unknown",
	} {
		if got := brandOf([]byte(number)); got != brand {
			t.Errorf("brand(%s) = %s; want %s", number, got, brand)
		}
	}
}

func TestParseCVCUnknownBrand(t *testing.T) {
	for _, cvc := range []string{"123", "1234"} {
		if _, err := ParseCard("1234567812345670", "1", "30", cvc, now); err != nil {
			t.Errorf("unknown brand, CVC %q: %v", cvc, err)
		}
	}
}

func FuzzParseCard(f *testing.F) {
	f.Add("4242 4242 4242 4242", "12", "34", "123")
	f.Add("378282246310005", "1", "2030", "1234")
	f.Add("4242-4242-4242-4241", "13", "3", "12a")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, number, month, year, cvc string) {
		c, err := ParseCard(number, month, year, cvc, now)
		if err != nil {
			checkNoInput(t, err, number, cvc)
			return
		}
		digits := strings.NewReplacer(" ", "", "-", "").Replace(number)
		if c.Number.Reveal() != digits || len(digits) < 12 || len(digits) > 19 || !luhn([]byte(digits)) {
			t.Fatalf("accepted %q as %q", number, c.Number.Reveal())
		}
		if c.ExpMonth < 1 || c.ExpMonth > 12 || c.ExpYear < now.Year() {
			t.Fatalf("accepted expiry %d/%d", c.ExpMonth, c.ExpYear)
		}
		c.Clear()
		if !c.Number.IsZero() || !c.CVC.IsZero() {
			t.Fatal("Clear")
		}
	})
}
