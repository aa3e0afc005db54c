package payment

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The canary digits: a valid Visa test number and a CVC, which no output may contain.
const (
	canaryNumber = "4242424242424242"
	canaryCVC    = "987"
)

func canaryCard(t *testing.T) *Card {
	t.Helper()
	c, err := ParseCard("4242 4242 4242 4242", "12", fmt.Sprint(time.Now().Year()+5), canaryCVC, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// leaks reports whether s shows the digits in any form fmt could produce: as they
// are, as decimal bytes ([52 50 ...]), or in hex.
func leaks(s string) bool {
	for _, d := range []string{canaryNumber, canaryCVC} {
		b := []byte(d)
		if strings.Contains(s, strings.Trim(fmt.Sprint(b), "[]")) ||
			strings.Contains(s, fmt.Sprintf("%x", b)) || strings.Contains(s, fmt.Sprintf("% x", b)) {
			return true
		}
	}
	// The CVC is short enough to appear inside an address: look for it on its own.
	return strings.Contains(s, canaryNumber) || strings.Contains(s, "4242 4242") || cvcAlone.MatchString(s)
}

var cvcAlone = regexp.MustCompile(`(^|[^0-9a-fA-Fx])` + canaryCVC + `($|[^0-9a-fA-F])`)

func TestCardNeverPrinted(t *testing.T) {
	c := canaryCard(t)
	type hidden struct {
		n CardNumber
		c CVC
	}
	type shown struct {
		N CardNumber
		C CVC
	}
	type deep struct {
		h  hidden
		hp *hidden
		s  []hidden
		m  map[string]hidden
		a  [1]CardNumber
		i  any
	}
	h := hidden{c.Number, c.CVC}
	values := map[string]any{
		"number":         c.Number,
		"cvc":            c.CVC,
		"*number":        &c.Number,
		"card":           *c,
		"*card":          c,
		"unexported":     h,
		"*unexported":    &h,
		"exported":       shown{c.Number, c.CVC},
		"deep":           deep{h: h, hp: &h, s: []hidden{h}, m: map[string]hidden{"k": h}, a: [1]CardNumber{c.Number}, i: h},
		"*deep":          &deep{h: h, hp: &h, s: []hidden{h}, m: map[string]hidden{"k": h}, i: &h},
		"slice":          []CardNumber{c.Number},
		"[]unexported":   []hidden{h},
		"map":            map[string]CVC{"cvc": c.CVC},
		"map unexported": map[hidden]int{h: 1},
		"[]any":          []any{h, &h, c},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%X", "%q", "%o", "%b", "%c", "%U", "%e", "%t", "%p", "%T", "%10.3s", "% x", "%#x", "%08d"}
	for name, v := range values {
		for _, verb := range verbs {
			if out := fmt.Sprintf(verb, v); leaks(out) {
				t.Errorf("fmt %s of %s leaks: %s", verb, name, out)
			}
		}
		if out := fmt.Sprint(v) + fmt.Sprintln(v); leaks(out) {
			t.Errorf("Sprint of %s leaks: %s", name, out)
		}
	}
}

func TestCardNeverMarshalled(t *testing.T) {
	c := canaryCard(t)
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("pay", "card", c, "number", c.Number, "cvc", c.CVC, "group", slog.GroupValue(slog.Any("n", c.Number)))
	slog.New(slog.NewTextHandler(&buf, nil)).Info("pay", "card", *c, "number", c.Number, "cvc", c.CVC)
	if leaks(buf.String()) || !strings.Contains(buf.String(), cardMask) {
		t.Errorf("slog: %s", buf.String())
	}
	j, err := json.Marshal(map[string]any{"card": c, "n": c.Number, "c": c.CVC})
	if err != nil || leaks(string(j)) || !strings.Contains(string(j), cardMask) || !strings.Contains(string(j), cvcMask) {
		t.Errorf("json: %s %v", j, err)
	}
	if b, err := c.Number.MarshalText(); err != nil || string(b) != cardMask {
		t.Errorf("MarshalText = %s %v", b, err)
	}
	if err := gob.NewEncoder(&bytes.Buffer{}).Encode(c); err == nil {
		t.Error("gob encoded a card")
	}
	if err := gob.NewEncoder(&bytes.Buffer{}).Encode(struct{ C CVC }{c.CVC}); err == nil {
		t.Error("gob encoded a CVC")
	}
	if v, err := c.Number.Value(); err == nil || v != nil {
		t.Error("driver.Valuer accepted a card number")
	}
	if v, err := c.CVC.Value(); err == nil || v != nil {
		t.Error("driver.Valuer accepted a CVC")
	}
	for _, err := range []error{func() error { _, e := c.Number.GobEncode(); return e }(), func() error { _, e := c.Number.Value(); return e }()} {
		if leaks(err.Error()) {
			t.Errorf("refusal leaks: %v", err)
		}
	}
}

func TestCardPublicFactsAndClear(t *testing.T) {
	c := canaryCard(t)
	copyOf := *c
	if c.Number.Last4() != "4242" || c.Number.Masked() != "•••• 4242" || c.Number.Brand() != "visa" {
		t.Errorf("Last4 %q Masked %q Brand %q", c.Number.Last4(), c.Number.Masked(), c.Number.Brand())
	}
	if c.Number.Reveal() != canaryNumber || c.CVC.Reveal() != canaryCVC || !c.Number.Equal(canaryNumber) || c.Number.Equal("4242") {
		t.Error("Reveal or Equal")
	}
	if m := c.Method("pm_1"); m != (Method{ID: "pm_1", Brand: "visa", Last4: "4242", ExpMonth: 12, ExpYear: time.Now().Year() + 5}) {
		t.Errorf("Method = %+v", m)
	}
	digits := digitsOf(c.Number.p)
	c.Clear()
	if !bytes.Equal(digits, make([]byte, len(digits))) {
		t.Errorf("Clear left %v", digits)
	}
	for _, x := range []*Card{c, &copyOf} {
		if !x.Number.IsZero() || !x.CVC.IsZero() || x.Number.Reveal() != "" || x.CVC.Reveal() != "" || x.Number.Last4() != "" || x.Number.Equal("") {
			t.Errorf("after Clear: %q %q", x.Number.Reveal(), x.CVC.Reveal())
		}
	}
	if (CardNumber{}).Masked() != cardMask || (CardNumber{}).Brand() != "unknown" {
		t.Error("zero CardNumber")
	}
	var nilCard *Card
	nilCard.Clear()
	CVC{}.Clear()
}

// TestPointerDepth pins the reason the field is a pointer to a pointer: fmt prints a
// *[]byte found through a bad verb as &[digits]; a **[]byte as an address.
func TestPointerDepth(t *testing.T) {
	b := []byte(canaryNumber)
	one := struct{ p *[]byte }{&b}
	if !leaks(sprintf("%s", one)) {
		t.Skip("fmt no longer dereferences *[]byte on a bad verb; the double pointer is still harmless")
	}
	ref := &b
	two := struct{ p **[]byte }{&ref}
	for _, verb := range []string{"%s", "%v", "%+v", "%#v", "%d", "%x", "%q"} {
		if out := sprintf(verb, two); leaks(out) {
			t.Errorf("%s of **[]byte leaks: %s", verb, out)
		}
	}
}

// sprintf hides the format from vet, which rightly flags %s on a struct of pointers.
func sprintf(format string, v any) string { return fmt.Sprintf(format, v) }
