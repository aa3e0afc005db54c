package imapin

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// mailOf builds a raw mail from header lines and a body (CRLF line ends).
func mailOf(headers []string, body string) []byte {
	return []byte(strings.Join(headers, "\r\n") + "\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n"))
}

var answerHeaders = []string{
	"From: Ana Example <Ana@Example.com>",
	"To: help@vendor.example",
	"Subject: Re: licence",
	"Date: Mon, 2 Mar 2026 10:00:00 +0100",
	"Message-ID: <answer-1@mail.example.com>",
	"In-Reply-To: <reply-2@vendor.example>",
	"References: <root@vendor.example> <reply-1@vendor.example>\r\n <reply-2@vendor.example>",
}

func TestParseAnswer(t *testing.T) {
	m, err := Parse(mailOf(append(answerHeaders, "Content-Type: text/plain; charset=utf-8"),
		"Thanks, that worked!\n\nAna\n\nOn Mon, 2 Mar 2026 at 09:00, Vendor Support <help@vendor.example> wrote:\n> Try the new key.\n>\n> Support\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.From != "ana@example.com" || m.MessageID != "<answer-1@mail.example.com>" || m.Date.Format("2006-01-02T15:04") != "2026-03-02T09:00" {
		t.Errorf("header: %+v", m)
	}
	if want := []string{"<reply-2@vendor.example>", "<reply-1@vendor.example>", "<root@vendor.example>"}; !slices.Equal(m.References, want) {
		t.Errorf("references %q, want %q (In-Reply-To first, then newest first, each once)", m.References, want)
	}
	if m.Text != "Thanks, that worked!\n\nAna" {
		t.Errorf("text %q: want the quote cut", m.Text)
	}
}

func TestParseBodies(t *testing.T) {
	for _, tc := range []struct {
		name, ctype, body, want string
	}{
		{"quoted-printable latin-1", "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable",
			"Gr=FC=DFe aus K=F6ln, sch=F6n=\n lang", "Grüße aus Köln, schön lang"},
		{"base64", "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64",
			"w4dhIG1hcmNoZSwgbWVyY2kg\nIQ==", "Ça marche, merci !"},
		{"html only", "Content-Type: text/html; charset=utf-8",
			"<html><head><style>p{}</style><script>x()</script></head><body><p>Hello <b>there</b></p><p>Bye</p></body></html>", "Hello there\nBye"},
		{"alternative: the plain part", "Content-Type: multipart/alternative; boundary=b1",
			"--b1\nContent-Type: text/html\n\n<p>HTML</p>\n--b1\nContent-Type: text/plain\n\nPlain\n--b1--\n", "Plain"},
		{"mixed: text and an attachment", "Content-Type: multipart/mixed; boundary=b2",
			"--b2\nContent-Type: text/plain\n\nSee attached\n--b2\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=x.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--b2--\n", "See attached"},
		{"control characters dropped", "Content-Type: text/plain", "a\x00b\x1bc\td", "abc\td"},
		{"an answer between quotes is kept", "Content-Type: text/plain", "> question?\nanswer\n> another?\nyes", "> question?\nanswer\n> another?\nyes"},
		{"only a quote: kept", "Content-Type: text/plain", "> all quoted", "> all quoted"},
		{"an attribution-like last line without a quote is text", "Content-Type: text/plain", "Yes.\n\nOn Monday, our accountant wrote:\n\n", "Yes.\n\nOn Monday, our accountant wrote:"},
		{"a comment in the Content-Type", "Content-Type: text/plain; charset=us-ascii (Plain text)", "plain", "plain"},
		{"an unquoted space in a parameter", "Content-Type: text/plain; name=foo bar.txt", "spaced", "spaced"},
	} {
		m, err := Parse(mailOf(append(slices.Clone(answerHeaders), tc.ctype), tc.body))
		if err != nil || m.Text != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, m.Text, err, tc.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	if _, err := Parse(make([]byte, MaxSize+1)); err != ErrTooLarge {
		t.Errorf("a mail over 1 MiB: %v", err)
	}
	if _, err := Parse(mailOf([]string{"Subject: x"}, "text")); err != ErrNoSender {
		t.Errorf("no From: %v", err)
	}
	if _, err := Parse(mailOf(append(slices.Clone(answerHeaders), "Content-Type: application/octet-stream"), "xx")); err != ErrNoText {
		t.Errorf("no text part: %v", err)
	}
	deep := "Content-Type: multipart/mixed; boundary=b0\r\n\r\n"
	for i := 1; i <= maxNesting+1; i++ {
		deep += fmt.Sprintf("--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n", i-1, i)
	}
	if _, err := Parse([]byte(strings.Join(answerHeaders, "\r\n") + "\r\n" + deep)); err != ErrTooComplex {
		t.Errorf("multiparts nested %d deep: %v; want ErrTooComplex", maxNesting+2, err)
	}
	long, err := Parse(mailOf(answerHeaders, strings.Repeat("é", MaxText)))
	if err != nil || len(long.Text) > MaxText || !strings.HasPrefix(long.Text, "éé") {
		t.Errorf("a long text: %d bytes, %v; want at most %d, whole runes", len(long.Text), err, MaxText)
	}
}

func TestParseHeader(t *testing.T) {
	h := ParseHeader([]byte("From: Ana <Ana@Example.com>\r\nIn-Reply-To: <a@x>\r\nReferences: <r@x> <a@x>\r\n"))
	if !slices.Equal(h.References, []string{"<a@x>", "<r@x>"}) || h.From != "ana@example.com" || h.Automatic {
		t.Fatalf("header %+v", h)
	}
	if h := ParseHeader([]byte("Subject: none\r\n")); h.References != nil || h.From != "" {
		t.Fatalf("a mail that answers nothing: %+v", h)
	}
	for _, auto := range []string{"Auto-Submitted: auto-replied", "Auto-Submitted: auto-generated", "Precedence: bulk", "Precedence: auto_reply"} {
		if !ParseHeader([]byte("From: a@b\r\n" + auto + "\r\n")).Automatic {
			t.Errorf("%s: not seen as an automatic reply", auto)
		}
	}
	if ParseHeader([]byte("From: a@b\r\nAuto-Submitted: no\r\n")).Automatic {
		t.Error("Auto-Submitted: no is a person's mail")
	}
}

// FuzzParse: any bytes, no panic; what comes out is within the limits.
func FuzzParse(f *testing.F) {
	f.Add(mailOf(answerHeaders, "hello\n> quote"))
	f.Add(mailOf(append(slices.Clone(answerHeaders), "Content-Type: multipart/mixed; boundary=b"), "--b\nContent-Type: multipart/alternative; boundary=c\n\n--c\n\nx\n--c--\n--b--"))
	f.Add([]byte("From: a@b\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw)
		if err != nil {
			return
		}
		if m.Text == "" || len(m.Text) > MaxText || m.From == "" || len(m.References) > maxRefs {
			t.Fatalf("out of limits: %+v", m)
		}
		_ = ParseHeader(raw)
	})
}
