package shop

import (
	"strconv"
	"strings"
)

// zeroDecimal lists the ISO 4217 currencies without minor units that Candor may meet.
var zeroDecimal = map[string]bool{"JPY": true, "KRW": true, "VND": true, "CLP": true, "ISK": true, "XOF": true, "XAF": true, "PYG": true, "UGX": true}

// FormatMoney prints minor units as "EUR 12.34" (or "JPY 1234").
func FormatMoney(amount int64, currency string) string {
	neg := amount < 0
	if neg {
		amount = -amount
	}
	var s string
	if zeroDecimal[currency] {
		s = strconv.FormatInt(amount, 10)
	} else {
		s = strconv.FormatInt(amount/100, 10) + "." + leftPad(strconv.FormatInt(amount%100, 10), 2)
	}
	if neg {
		s = "-" + s
	}
	return currency + " " + s
}

// ParseMoney reads "12.34" (or "1234" for a zero-decimal currency) into minor units.
func ParseMoney(s, currency string) (int64, bool) {
	s = strings.TrimSpace(s)
	whole, frac, hasFrac := strings.Cut(s, ".")
	if zeroDecimal[currency] {
		if hasFrac {
			return 0, false
		}
		frac = ""
	}
	if len(frac) > 2 || whole == "" || strings.HasPrefix(whole, "-") || strings.HasPrefix(whole, "+") {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > MaxPrice/100 {
		return 0, false
	}
	if zeroDecimal[currency] {
		return w, true
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt(leftPadRight(frac), 10, 64); err != nil || f < 0 {
			return 0, false
		}
	}
	return w*100 + f, true
}

// FormatRate prints basis points as a percentage: 1900 → "19%", 770 → "7.7%".
func FormatRate(bp int) string {
	return strconv.FormatFloat(float64(bp)/100, 'f', -1, 64) + "%"
}

func leftPad(s string, n int) string {
	return strings.Repeat("0", max(0, n-len(s))) + s
}

func leftPadRight(frac string) string { return frac + strings.Repeat("0", 2-len(frac)) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
