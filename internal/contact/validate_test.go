package contact_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/contact"
	"github.com/candor-dev/candor/internal/errs"
)

func TestValidate(t *testing.T) {
	svc := contact.NewService(nil, nil, nil, nil, contact.Options{})
	ok := contact.Submission{Name: "Ada", Email: "ada@example.org", Subject: "Hi", Message: "Hello\r\nthere\tfriend"}
	if _, err := svc.Validate(ok); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Validate(contact.Submission{Email: "a@example.org", Message: "only the required fields"}); err != nil {
		t.Errorf("name and subject are optional: %v", err)
	}
	long := func(n int) string { return strings.Repeat("é", n) }
	for field, bad := range map[string][]contact.Submission{
		"email": {
			{Email: "", Message: "x"}, {Email: "not an address", Message: "x"},
			{Email: strings.Repeat("a", 250) + "@example.org", Message: "x"},
			{Email: "a@example.org\r\nBcc: victim@example.com", Message: "x"},
		},
		"name": {
			{Name: "Ada\r\nBcc: victim@example.com", Email: "a@example.org", Message: "x"},
			{Name: "Ada\nX", Email: "a@example.org", Message: "x"},
			{Name: long(101), Email: "a@example.org", Message: "x"},
			{Name: "bad\xff", Email: "a@example.org", Message: "x"},
			{Name: "rtl\u202eevil", Email: "a@example.org", Message: "x"},
		},
		"subject": {
			{Subject: "Hi\r\nBcc: victim@example.com", Email: "a@example.org", Message: "x"},
			{Subject: "Hi\rX", Email: "a@example.org", Message: "x"},
			{Subject: long(201), Email: "a@example.org", Message: "x"},
		},
		"message": {
			{Email: "a@example.org"}, {Email: "a@example.org", Message: "   \n "},
			{Email: "a@example.org", Message: strings.Repeat("a", 10_001)},
			{Email: "a@example.org", Message: "nul\x00byte"}, {Email: "a@example.org", Message: "bad\xff"},
			// Promise (issue 12, item 7): no character that reorders what staff read
			// (bidi embeddings, overrides and isolates) gets into the inbox.
			{Email: "a@example.org", Message: "pay to \u202eTNUOCCA"}, {Email: "a@example.org", Message: "x\u2066y\u2069"},
			{Email: "a@example.org", Message: "x\u202ay"},
		},
		"topic": {{Email: "a@example.org", Message: "x", Topic: strings.Repeat("t", 65)}, {Email: "a@example.org", Message: "x", Topic: "a\nb"}},
	} {
		for _, in := range bad {
			_, err := svc.Validate(in)
			var e *errs.Error
			if !errs.Is(err, errs.Invalid) || !asErr(err, &e) || e.Field != field {
				t.Errorf("%s: %q accepted or wrong field: %v", field, in, err)
			}
		}
	}
	if _, err := svc.Validate(contact.Submission{Name: long(100), Subject: long(200), Email: "a@example.org", Message: strings.Repeat("a", 10_000)}); err != nil {
		t.Errorf("limits are inclusive: %v", err)
	}
}

func asErr(err error, target **errs.Error) bool {
	e, ok := err.(*errs.Error)
	*target = e
	return ok
}

// Valid prints nothing personal.
func TestValidPrintsNothing(t *testing.T) {
	svc := contact.NewService(nil, nil, nil, nil, contact.Options{})
	v, err := svc.Validate(contact.Submission{Name: "Ada", Email: "ada@example.org", Message: "secret text"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{sprint("%v", v), sprint("%+v", v), sprint("%#v", v), sprint("%s", v)} {
		if strings.Contains(s, "Ada") || strings.Contains(s, "secret") || strings.Contains(s, "ada@") {
			t.Errorf("Valid prints %q", s)
		}
	}
}

func FuzzContactValidate(f *testing.F) {
	f.Add("Ada", "ada@example.org", "Hi", "Hello", "pro")
	f.Add("A\r\nBcc: x@y", "a@b.c", "S\nX", "m\x00", "")
	f.Add("", "\xff@example.org", "", "=cmd", "\t")
	svc := contact.NewService(nil, nil, nil, nil, contact.Options{})
	f.Fuzz(func(t *testing.T, name, email, subject, message, topic string) {
		v, err := svc.Validate(contact.Submission{Name: name, Email: email, Subject: subject, Message: message, Topic: topic})
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("non-invalid error %v", err)
			}
			return
		}
		text := v.Text()
		for i, s := range append([]string{v.Email()}, text...) {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Fatalf("field %d not clean text", i)
			}
		}
		if strings.ContainsAny(text[0]+text[1]+v.Email(), "\r\n") {
			t.Fatal("a line break passed into a header field")
		}
		if utf8.RuneCountInString(text[0]) > contact.MaxNameRunes || utf8.RuneCountInString(text[1]) > contact.MaxSubjectRunes ||
			len(text[2]) > contact.MaxMessageBytes || text[2] == "" || strings.Contains(text[2], "\r") {
			t.Fatal("a limit was not enforced")
		}
	})
}

func sprint(format string, v any) string { return fmt.Sprintf(format, v) }
