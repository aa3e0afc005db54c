package newsletter

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/pii"
)

// ImportFormat is the kind of CSV file an import was read as, decided by its header.
type ImportFormat string

// The formats ParseImport recognises.
const (
	FormatMailchimp ImportFormat = "mailchimp" // "Email Address","First Name","Last Name",…
	FormatListmonk  ImportFormat = "listmonk"  // uuid,email,name,attributes,status,created_at,updated_at
	FormatPlain     ImportFormat = "plain"     // email[,name][,status]; the header may be left out
)

// Limits of one import file.
const (
	MaxImportBytes = 5 << 20
	MaxImportRows  = 100_000
	maxIssuesKept  = 200 // issues listed on the preview; the rest are only counted
	maxIssueValue  = 80  // bytes of a bad cell echoed back to the uploader
)

// ImportRow is one address to import.
type ImportRow struct {
	Line  int    `json:"l"`
	Email string `json:"e"` // normalised (pii.NormalizeEmail)
	Name  string `json:"n,omitempty"`
}

// ImportIssue is a row that will not be imported, and why. Value is what the uploader's
// file held in the address cell (shortened), shown back to them only.
type ImportIssue struct {
	Line   int    `json:"l"`
	Value  string `json:"v,omitempty"`
	Reason string `json:"r"`
}

// ParsedImport is a parsed import file: the rows to import, and the rows left out.
type ParsedImport struct {
	Format       ImportFormat  `json:"f"`
	Rows         []ImportRow   `json:"rows"`
	Invalid      []ImportIssue `json:"inv,omitempty"` // the first maxIssuesKept
	InvalidCount int           `json:"ninv"`
	Skipped      []ImportIssue `json:"skip,omitempty"` // duplicates, unsubscribed in the source
	SkippedCount int           `json:"nskip"`
	NamesDropped int           `json:"nnames"` // names left out: links or special characters
}

func (p *ParsedImport) invalid(line int, value, reason string) {
	p.InvalidCount++
	if len(p.Invalid) < maxIssuesKept {
		p.Invalid = append(p.Invalid, ImportIssue{Line: line, Value: shorten(value), Reason: reason})
	}
}

func (p *ParsedImport) skip(line int, value, reason string) {
	p.SkippedCount++
	if len(p.Skipped) < maxIssuesKept {
		p.Skipped = append(p.Skipped, ImportIssue{Line: line, Value: shorten(value), Reason: reason})
	}
}

// shorten makes a cell safe and short to show: valid UTF-8, no control characters.
func shorten(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s)
	if len(s) > maxIssueValue {
		cut := maxIssueValue
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// importColumns says where a format keeps what an import needs.
type importColumns struct {
	format            ImportFormat
	email             int
	name, first, last int    // -1 when absent
	status            int    // -1 when absent
	gone              []int  // Mailchimp: UNSUB_TIME, CLEAN_TIME; a value means "left"
	headerless        bool   // plain file whose first line is already data
	source            string // how to name the source in skip reasons
}

func csvIndex(header []string, names ...string) int {
	for i, h := range header {
		for _, n := range names {
			if h == n {
				return i
			}
		}
	}
	return -1
}

// detectImport reads the format from the header line.
func detectImport(raw []string) (importColumns, error) {
	h := make([]string, len(raw))
	for i, c := range raw {
		h[i] = strings.ToLower(strings.TrimSpace(c))
	}
	c := importColumns{name: -1, first: -1, last: -1, status: -1}
	switch {
	case csvIndex(h, "email address") >= 0:
		c.format, c.source = FormatMailchimp, "the Mailchimp export"
		c.email = csvIndex(h, "email address")
		c.first, c.last = csvIndex(h, "first name", "fname"), csvIndex(h, "last name", "lname")
		for _, g := range []string{"unsub_time", "clean_time"} {
			if i := csvIndex(h, g); i >= 0 {
				c.gone = append(c.gone, i)
			}
		}
	case csvIndex(h, "uuid") >= 0 && csvIndex(h, "email") >= 0:
		c.format, c.source = FormatListmonk, "the listmonk export"
		c.email, c.name, c.status = csvIndex(h, "email"), csvIndex(h, "name"), csvIndex(h, "status")
	case csvIndex(h, "email", "e-mail", "mail") >= 0:
		c.format, c.source = FormatPlain, "the file"
		c.email = csvIndex(h, "email", "e-mail", "mail")
		c.name = csvIndex(h, "name", "full name", "full_name")
		c.first, c.last = csvIndex(h, "first name", "first_name", "firstname"), csvIndex(h, "last name", "last_name", "lastname")
		c.status = csvIndex(h, "status")
	case len(raw) > 0 && looksLikeEmail(raw[0]):
		c.format, c.source, c.headerless = FormatPlain, "the file", true
		c.email, c.name = 0, 1
	default:
		return c, errs.InvalidField("file", `The first line of the file must name its columns: "Email Address" (a Mailchimp export), `+
			`"uuid,email,name,…" (a listmonk export) or "email,name". A file of bare addresses, one per line, works too.`)
	}
	return c, nil
}

func looksLikeEmail(cell string) bool {
	_, err := pii.NormalizeEmail(unescapeCell(cell))
	return err == nil
}

// unescapeCell undoes the formula-injection quote of a spreadsheet export (and of
// Candor's own export): "'=…", "'+…", "'-…", "'@…" lose the quote.
func unescapeCell(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// csvDelimiter guesses the separator from the first line: comma, semicolon or tab.
func csvDelimiter(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := ',', bytes.Count(line, []byte(","))
	for _, d := range []rune{';', '\t'} {
		if c := bytes.Count(line, []byte(string(d))); c > n {
			best, n = d, c
		}
	}
	return best
}

// sourceStatusOK reports whether a status column's value means "subscribed".
func sourceStatusOK(format ImportFormat, v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	if format == FormatListmonk {
		return v == "" || v == "enabled"
	}
	switch v {
	case "", "confirmed", "subscribed", "enabled", "active", "opted-in", "opted in":
		return true
	}
	return false
}

func csvCell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}

// ParseImport reads a CSV export of subscribers: Mailchimp's, listmonk's, or a plain
// "email,name" file, told apart by the header. It never fails on a bad row (the row is
// listed with its line number and reason) but fails on a file it cannot read as a
// whole: too large, too many rows, no recognisable header, no rows. Rows marked as
// unsubscribed, cleaned or blocklisted in the source, and repeated addresses, are
// skipped; a name with a link or special characters is left out (the address is kept).
func ParseImport(r io.Reader) (ParsedImport, error) {
	var p ParsedImport
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return p, errs.Wrap(errs.Invalid, "The file could not be read.", err)
	}
	if len(data) > MaxImportBytes {
		return p, errs.InvalidField("file", fmt.Sprintf("The file is larger than %d MB: split it into smaller files.", MaxImportBytes>>20))
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // the byte order mark of spreadsheet exports
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = csvDelimiter(data), -1, true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return p, errs.InvalidField("file", "The file is empty.")
	}
	if err != nil {
		return p, errs.InvalidField("file", "The first line of the file is not valid CSV.")
	}
	cols, err := detectImport(header)
	if err != nil {
		return p, err
	}
	p.Format = cols.format
	seen := map[string]int{}
	first := true
	records := 0
	for {
		var rec []string
		var line int
		if first && cols.headerless {
			rec, line = header, 1
		} else {
			rec, err = cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				p.invalid(pe.StartLine, "", "This line is not valid CSV.")
				continue
			}
			if err != nil {
				return p, errs.Wrap(errs.Invalid, "The file could not be read.", err)
			}
			line, _ = cr.FieldPos(0)
		}
		first = false
		if csvBlank(rec) {
			continue
		}
		if records++; records > MaxImportRows {
			return p, errs.InvalidField("file", fmt.Sprintf("The file has more than %d rows: split it into smaller files.", MaxImportRows))
		}
		p.row(cols, rec, line, seen)
	}
	if records == 0 {
		return p, errs.InvalidField("file", "The file has no rows below its header.")
	}
	return p, nil
}

// row classifies one data record.
func (p *ParsedImport) row(cols importColumns, rec []string, line int, seen map[string]int) {
	raw := csvCell(rec, cols.email)
	email, err := pii.NormalizeEmail(unescapeCell(raw))
	if err != nil {
		reason := "This is not an email address."
		if strings.TrimSpace(raw) == "" {
			reason = "The address is missing."
		}
		p.invalid(line, raw, reason)
		return
	}
	for _, g := range cols.gone {
		if strings.TrimSpace(csvCell(rec, g)) != "" {
			p.skip(line, email, "Unsubscribed or cleaned in "+cols.source+".")
			return
		}
	}
	if cols.status >= 0 && !sourceStatusOK(cols.format, csvCell(rec, cols.status)) {
		p.skip(line, email, fmt.Sprintf("Marked %q in %s.", shorten(strings.TrimSpace(csvCell(rec, cols.status))), cols.source))
		return
	}
	if at, dup := seen[email]; dup {
		p.skip(line, email, fmt.Sprintf("The same address is on line %d.", at))
		return
	}
	seen[email] = line
	name := unescapeCell(csvCell(rec, cols.name))
	if cols.name < 0 {
		name = strings.TrimSpace(unescapeCell(csvCell(rec, cols.first)) + " " + unescapeCell(csvCell(rec, cols.last)))
	}
	if clean, err := CleanName(name); err != nil {
		p.NamesDropped++
		name = ""
	} else {
		name = clean
	}
	p.Rows = append(p.Rows, ImportRow{Line: line, Email: email, Name: name})
}

func csvBlank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
