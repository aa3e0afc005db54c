package shop

import "testing"

func TestPriceTaxAndCoupons(t *testing.T) {
	t.Parallel()
	pct := &Coupon{PercentOff: 20}
	fixed := &Coupon{AmountOff: 1000, Currency: "EUR"}
	huge := &Coupon{AmountOff: 100000, Currency: "EUR"}
	for _, c := range []struct {
		name                           string
		unit                           int64
		qty                            int
		coupon                         *Coupon
		rate                           int
		inclusive                      bool
		subtotal, discount, tax, total int64
	}{
		{"no tax", 4900, 1, nil, 0, false, 4900, 0, 0, 4900},
		{"exclusive 19%", 4900, 1, nil, 1900, false, 4900, 0, 931, 5831},
		{"inclusive 19%: tax is the part of the price", 4900, 1, nil, 1900, true, 4900, 0, 782, 4900},
		{"quantity", 4900, 3, nil, 2000, false, 14700, 0, 2940, 17640},
		{"percent coupon before tax", 4900, 1, pct, 1900, false, 4900, 980, 745, 4665},
		{"fixed coupon", 4900, 1, fixed, 0, false, 4900, 1000, 0, 3900},
		{"a coupon never makes a total negative", 4900, 1, huge, 1900, false, 4900, 4900, 0, 0},
		{"half up rounding", 999, 1, nil, 750, false, 999, 0, 75, 1074},
	} {
		q := price(c.unit, c.qty, c.coupon, c.rate, c.inclusive, "EUR")
		if q.Subtotal != c.subtotal || q.Discount != c.discount || q.Tax != c.tax || q.Total != c.total {
			t.Errorf("%s: got subtotal %d discount %d tax %d total %d; want %d %d %d %d", c.name,
				q.Subtotal, q.Discount, q.Tax, q.Total, c.subtotal, c.discount, c.tax, c.total)
		}
	}
}

func TestCanMoveOnlyForward(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		from, to Status
		ok       bool
	}{
		{Pending, Paid, true}, {Paid, Fulfilled, true}, {Fulfilled, Refunded, true}, {Fulfilled, Disputed, true},
		{Failed, Paid, true}, {Paid, Pending, false}, {Fulfilled, Paid, false}, {Fulfilled, Pending, false},
		{Refunded, Fulfilled, false}, {Disputed, Refunded, false}, {Fulfilled, Failed, false}, {Paid, Failed, false},
	} {
		if CanMove(c.from, c.to) != c.ok {
			t.Errorf("CanMove(%s, %s) = %v", c.from, c.to, !c.ok)
		}
	}
}

func TestMoney(t *testing.T) {
	t.Parallel()
	if s := FormatMoney(123456, "EUR"); s != "EUR 1234.56" {
		t.Errorf("FormatMoney = %q", s)
	}
	if s := FormatMoney(-5, "USD"); s != "USD -0.05" {
		t.Errorf("FormatMoney = %q", s)
	}
	if s := FormatMoney(1200, "JPY"); s != "JPY 1200" {
		t.Errorf("FormatMoney = %q", s)
	}
	for in, want := range map[string]int64{"12": 1200, "12.3": 1230, "12.34": 1234, "0.05": 5} {
		if got, ok := ParseMoney(in, "EUR"); !ok || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "-1", "1.234", "abc", "1e3", "+5", "99999999999"} {
		if _, ok := ParseMoney(bad, "EUR"); ok {
			t.Errorf("ParseMoney(%q) accepted", bad)
		}
	}
	if FormatRate(1900) != "19%" || FormatRate(770) != "7.7%" {
		t.Error("FormatRate")
	}
}
