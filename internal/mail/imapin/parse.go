package imapin

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // every charset x/text knows, for message bodies
	gomail "github.com/emersion/go-message/mail"
	"golang.org/x/net/html"
)

// Message is an incoming mail as the inbox needs it: who sent it, which mails it
// answers, and its text without the quoted mail it answers. Nothing else of the mail
// (other headers, attachments, HTML) is kept.
type Message struct {
	MessageID  string    // "<id@host>", or "" when the mail has none
	References []string  // In-Reply-To and References, "<id@host>" each, newest first
	From       string    // the sender's address (the first of From), lower-cased
	Date       time.Time // the Date header; zero when absent or malformed
	Text       string    // the new text, quotes removed, valid UTF-8, at most MaxText bytes (the inbox keeps less)
}

// Limits of what Parse reads.
const (
	MaxSize    = 1 << 20  // Parse refuses more (ErrTooLarge); a poll fetches only this much of a mail
	MaxText    = 64 << 10 // bytes of text handed on, a bound only: the inbox cuts to its own limit, and says so
	maxParts   = 50       // MIME parts looked at
	maxNesting = 20       // multipart declarations in one mail (ErrTooComplex beyond)
	maxRefs    = 20       // message ids kept from References
)

// Errors of Parse.
var (
	ErrTooLarge   = errors.New("imapin: mail larger than 1 MiB")
	ErrNoSender   = errors.New("imapin: mail without a From address")
	ErrNoText     = errors.New("imapin: mail without a text part")
	ErrTooComplex = errors.New("imapin: mail with more than 20 multipart declarations")
)

// Parse reads a whole mail (RFC 5322, MIME, through go-message: transfer encodings and
// charsets decoded). It prefers the first text/plain part, falls back to the text of the
// first text/html part, skips attachments, and cuts the quoted mail an answer usually
// ends with ("On … wrote:" and the "> " lines after it).
func Parse(raw []byte) (Message, error) {
	if len(raw) > MaxSize {
		return Message{}, ErrTooLarge
	}
	if nested(raw) > maxNesting {
		return Message{}, ErrTooComplex
	}
	mr, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) {
		return Message{}, err
	}
	out, err := headerOf(mr.Header)
	if err != nil {
		return Message{}, err
	}
	var plain, html string
	for parts := 0; parts < maxParts && plain == ""; parts++ {
		p, err := mr.NextPart()
		if err != nil && !message.IsUnknownCharset(err) {
			break // the end, or a part that cannot be read: keep what was found
		}
		h, ok := p.Header.(*gomail.InlineHeader)
		if !ok {
			continue // an attachment
		}
		ctype := mediaType(h.Get("Content-Type"))
		if ctype != "text/plain" && (ctype != "text/html" || html != "") {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p.Body, MaxSize))
		if err != nil {
			continue
		}
		if ctype == "text/plain" {
			plain = string(b)
		} else {
			html = htmlText(string(b))
		}
	}
	text := plain
	if text == "" {
		text = html
	}
	out.Text = clip(stripQuote(printable(text)))
	if out.Text == "" {
		return Message{}, ErrNoText
	}
	return out, nil
}

// mediaType returns the media type of a Content-Type value, lower-cased, whatever its
// parameters (a comment or an unquoted space in one is common and harmless here);
// text/plain when there is none (RFC 2045's default).
func mediaType(v string) string {
	t, _, _ := strings.Cut(v, ";")
	if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
		return t
	}
	return "text/plain"
}

// nested counts the multipart declarations in a mail: a bound on its nesting, which
// go-message would otherwise follow as deep as it goes.
func nested(raw []byte) int {
	return bytes.Count(bytes.ToLower(raw), []byte("multipart/"))
}

// headerOf reads what Message keeps of a mail's header.
func headerOf(h gomail.Header) (Message, error) {
	var out Message
	from, err := h.AddressList("From")
	if err != nil || len(from) == 0 || from[0].Address == "" {
		return Message{}, ErrNoSender
	}
	out.From = strings.ToLower(from[0].Address)
	if id, err := h.MessageID(); err == nil && id != "" {
		out.MessageID = bracket(id)
	}
	inReplyTo, _ := h.MsgIDList("In-Reply-To")
	refs, _ := h.MsgIDList("References")
	out.References = references(inReplyTo, refs)
	if d, err := h.Date(); err == nil && !d.IsZero() {
		out.Date = d.UTC()
	}
	return out, nil
}

// Header is what a poll reads of a mail before deciding to download it.
type Header struct {
	References []string // as Message.References
	From       string   // as Message.From; "" when absent
	Automatic  bool     // an automatic reply (out of office, list or bulk mail): RFC 3834
}

// ParseHeader reads a mail's header alone (a FETCH of some header fields).
func ParseHeader(raw []byte) Header {
	mr, err := gomail.CreateReader(io.MultiReader(bytes.NewReader(raw), strings.NewReader("\r\n")))
	if err != nil && !message.IsUnknownCharset(err) {
		return Header{}
	}
	var out Header
	if from, err := mr.Header.AddressList("From"); err == nil && len(from) > 0 {
		out.From = strings.ToLower(from[0].Address)
	}
	inReplyTo, _ := mr.Header.MsgIDList("In-Reply-To")
	refs, _ := mr.Header.MsgIDList("References")
	out.References = references(inReplyTo, refs)
	auto := strings.ToLower(strings.TrimSpace(mr.Header.Get("Auto-Submitted")))
	prec := strings.ToLower(strings.TrimSpace(mr.Header.Get("Precedence")))
	out.Automatic = auto != "" && auto != "no" || prec == "bulk" || prec == "junk" || prec == "list" || prec == "auto_reply"
	return out
}

// printable drops control characters but line breaks and tabs, and invalid UTF-8.
func printable(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// htmlText returns the text of an HTML document: the text nodes outside script and
// style, a line break for each block element.
func htmlText(doc string) string {
	z := html.NewTokenizer(strings.NewReader(doc))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "br", "p", "div", "li", "tr", "blockquote":
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" {
				skip = max(skip-1, 0)
			}
		}
	}
}

// attribution is the line that introduces the quoted mail in most mail programs:
// "On Mon, 2 Mar 2026 at 10:00, Support <help@example.com> wrote:" and its translations
// end with "wrote:" or a colon after an address; the quote follows.
var attribution = regexp.MustCompile(`(?im)^(?:on|am|le|el|il|op)\b.{0,200}(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef)\s*:\s*$`)

// stripQuote cuts the quoted mail: the run of quoted ("> ") and blank lines that lasts
// to the end, with the attribution line just before it when there is one (an attribution
// followed by blank lines only is the person's text). Text interleaved with quotes (an answer written between the quoted lines) is
// kept whole.
func stripQuote(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	end, quoted := len(lines), false
	for end > 0 && (strings.HasPrefix(lines[end-1], ">") || strings.TrimSpace(lines[end-1]) == "") {
		quoted = quoted || strings.HasPrefix(lines[end-1], ">")
		end--
	}
	if quoted && end > 0 && attribution.MatchString(lines[end-1]) {
		end--
	}
	if end == 0 { // nothing but a quote: keep it all rather than nothing
		return strings.TrimSpace(text)
	}
	return strings.TrimSpace(strings.Join(lines[:end], "\n"))
}

// clip cuts text to MaxText bytes on a rune boundary.
func clip(text string) string {
	if len(text) <= MaxText {
		return text
	}
	text = text[:MaxText]
	for !utf8.ValidString(text) {
		text = text[:len(text)-1]
	}
	return text
}

// bracket returns a message id in its header form, "<id@host>".
func bracket(id string) string { return "<" + id + ">" }

// references returns the ids of In-Reply-To, then those of References newest first,
// each once, at most maxRefs, in their header form.
func references(inReplyTo, refs []string) []string {
	var out []string
	add := func(id string) {
		id = bracket(id)
		if len(id) > 250 || slices.Contains(out, id) || len(out) == maxRefs {
			return
		}
		out = append(out, id)
	}
	for _, id := range inReplyTo {
		add(id)
	}
	for i := len(refs) - 1; i >= 0; i-- {
		add(refs[i])
	}
	return out
}
