package newsletter_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/csvsafe"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/newsletter"
	"github.com/candor-dev/candor/internal/pii"
)

// Real export headers (Mailchimp's audience export, listmonk's subscriber export).
const (
	mailchimpHeader = "\uFEFF\"Email Address\",\"First Name\",\"Last Name\",\"Address\",\"Phone Number\",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER\n"
	listmonkHeader  = "uuid,email,name,attributes,status,created_at,updated_at\n"
)

func TestParseImportFormats(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		format     newsletter.ImportFormat
		rows       []newsletter.ImportRow
		invalid    []int // line numbers
		skipped    []int
		dropped    int
	}{{
		name: "mailchimp",
		file: mailchimpHeader +
			"ana@example.com,Ana,Lopez,,,2,2026-01-01 10:00:00,,,,,,,,,,,2026-01-01,1,x,,,,,,,\n" +
			"\"BO@Example.com\",Bo,,,,2,,,,,,,,,,,,,,,,,,,,,\n" +
			"gone@example.com,Gone,,,,2,,,,,,,,,,,,,,,,,2026-02-01 10:00:00,Issue 3,1,,\n" +
			"not an address,X,,,,,,,,,,,,,,,,,,,,,,,,,\n",
		format:  newsletter.FormatMailchimp,
		rows:    []newsletter.ImportRow{{Line: 2, Email: "ana@example.com", Name: "Ana Lopez"}, {Line: 3, Email: "bo@example.com", Name: "Bo"}},
		invalid: []int{5}, skipped: []int{4},
	}, {
		name: "listmonk",
		file: listmonkHeader +
			"5f7d-1,cy@example.com,Cy,\"{\"\"city\"\"::\"\"Bergen\"\"}\",enabled,2026-01-01,2026-01-02\n" +
			"5f7d-2,dee@example.com,Dee,{},blocklisted,2026-01-01,2026-01-02\n" +
			"5f7d-3,cy@example.com,Cy again,{},enabled,2026-01-01,2026-01-02\n",
		format:  newsletter.FormatListmonk,
		rows:    []newsletter.ImportRow{{Line: 2, Email: "cy@example.com", Name: "Cy"}},
		skipped: []int{3, 4},
	}, {
		name:   "plain with header, semicolons",
		file:   "E-Mail;Name\nEve@example.com;Eve\n'=x@example.com;'=1+2\n\n;\n",
		format: newsletter.FormatPlain,
		rows:   []newsletter.ImportRow{{Line: 2, Email: "eve@example.com", Name: "Eve"}, {Line: 3, Email: "=x@example.com", Name: "=1+2"}},
	}, {
		name:    "bare addresses",
		file:    "fay@example.com\r\ngus@example.com,Gus http://spam.example\r\n",
		format:  newsletter.FormatPlain,
		rows:    []newsletter.ImportRow{{Line: 1, Email: "fay@example.com"}, {Line: 2, Email: "gus@example.com"}},
		dropped: 1,
	}, {
		name:    "candor's own export",
		file:    "email,name,status,lists\nhal@example.com,Hal,confirmed,news\nivy@example.com,Ivy,pending,news\n",
		format:  newsletter.FormatPlain,
		rows:    []newsletter.ImportRow{{Line: 2, Email: "hal@example.com", Name: "Hal"}},
		skipped: []int{3},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := newsletter.ParseImport(strings.NewReader(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if p.Format != tc.format {
				t.Errorf("format %q; want %q", p.Format, tc.format)
			}
			if len(p.Rows) != len(tc.rows) {
				t.Fatalf("rows %+v; want %+v", p.Rows, tc.rows)
			}
			for i := range p.Rows {
				if p.Rows[i] != tc.rows[i] {
					t.Errorf("row %d = %+v; want %+v", i, p.Rows[i], tc.rows[i])
				}
			}
			lines := func(is []newsletter.ImportIssue) (out []int) {
				for _, x := range is {
					out = append(out, x.Line)
				}
				return out
			}
			if got := lines(p.Invalid); !equalInts(got, tc.invalid) || p.InvalidCount != len(tc.invalid) {
				t.Errorf("invalid lines %v (%d); want %v", got, p.InvalidCount, tc.invalid)
			}
			if got := lines(p.Skipped); !equalInts(got, tc.skipped) || p.SkippedCount != len(tc.skipped) {
				t.Errorf("skipped lines %v (%d); want %v", got, p.SkippedCount, tc.skipped)
			}
			if p.NamesDropped != tc.dropped {
				t.Errorf("names dropped %d; want %d", p.NamesDropped, tc.dropped)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestParseImportRefusesWholeFiles(t *testing.T) {
	big := "email\n" + strings.Repeat("someone@example.com\n", newsletter.MaxImportBytes/20+1)
	many := "email\n" + strings.Repeat("a@b.co\n", newsletter.MaxImportRows+1)
	for name, file := range map[string]string{
		"empty": "", "header only": "email,name\n", "no header": "name,city\nAna,Oslo\n", "too large": big, "too many rows": many,
	} {
		if _, err := newsletter.ParseImport(strings.NewReader(file)); !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: %v; want invalid", name, err)
		}
	}
}

// FuzzParseImport: any input parses or fails with an invalid error, never panics, and
// every row it accepts holds a normalised address, a clean name and a line number.
func FuzzParseImport(f *testing.F) {
	f.Add(mailchimpHeader + "ana@example.com,Ana,Lopez,,,2,,,,,,,,,,,,,,,,,,,,,\n")
	f.Add(listmonkHeader + "u,cy@example.com,Cy,{},enabled,,\n")
	f.Add("email,name\nbo@example.com,\"Bo \"\"B\"\"\"\n\"unterminated\n")
	f.Add("a@b.co\n'=c@d.co;x\n")
	f.Add("email\tname\n\xff@example.com\t\xfe\n")
	f.Fuzz(func(t *testing.T, file string) {
		p, err := newsletter.ParseImport(strings.NewReader(file))
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("error %v is not invalid", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range p.Rows {
			if norm, err := pii.NormalizeEmail(r.Email); err != nil || norm != r.Email {
				t.Fatalf("row %+v: address not normalised", r)
			}
			if clean, err := newsletter.CleanName(r.Name); err != nil || clean != r.Name {
				t.Fatalf("row %+v: name not clean", r)
			}
			if r.Line < 1 || seen[r.Email] {
				t.Fatalf("row %+v: bad line or repeated address", r)
			}
			seen[r.Email] = true
		}
		for _, is := range append(p.Invalid, p.Skipped...) {
			if !utf8.ValidString(is.Value) || len(is.Value) > 100 {
				t.Fatalf("issue value %q not shortened", is.Value)
			}
		}
		if len(p.Rows)+p.InvalidCount+p.SkippedCount == 0 {
			t.Fatal("a file without rows was accepted")
		}
	})
}

// The export reads back as an import of the same people.
func TestExportHeaderReadsBack(t *testing.T) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(newsletter.ExportHeader)
	_ = w.Write([]string{csvsafe.Cell("-x@example.com"), csvsafe.Cell("-Jo"), "confirmed", "news", "form:footer", "", "", ""})
	w.Flush()
	p, err := newsletter.ParseImport(&b)
	if err != nil || len(p.Rows) != 1 || p.Rows[0].Email != "-x@example.com" || p.Rows[0].Name != "-Jo" {
		t.Fatalf("read back %+v, %v", p, err)
	}
}
