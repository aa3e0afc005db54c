package privacy

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/staff"
)

// subjectOf reads the subject of a sealed mail.Content's JSON.
func subjectOf(raw string) string {
	var c mail.Content
	if json.Unmarshal([]byte(raw), &c) != nil {
		return ""
	}
	return c.Subject
}

// ExportZIP finds everything held under email for staff and writes it to w as a ZIP
// holding data.json (the documented schema) and data.html (a readable copy); the
// request is recorded and audited.
func (s *Service) ExportZIP(ctx context.Context, actor staff.Principal, email string, w io.Writer) (Subject, error) {
	if err := requireStaff(actor); err != nil {
		return Subject{}, err
	}
	return s.export(ctx, actor.Name, StaffDesk, email, w)
}

// ExportSelfZIP is ExportZIP for the person themself, after they proved control of the address.
func (s *Service) ExportSelfZIP(ctx context.Context, email string, w io.Writer) (Subject, error) {
	return s.export(ctx, SelfActor, SelfService, email, w)
}

func (s *Service) export(ctx context.Context, actor string, ch Channel, email string, w io.Writer) (Subject, error) {
	sub, err := s.find(ctx, actor, ch, Export, email)
	if err != nil {
		return sub, err
	}
	return sub, WriteZIP(w, sub)
}

// WriteZIP writes sub as a ZIP archive: data.json and data.html.
func WriteZIP(w io.Writer, sub Subject) error {
	js, err := json.MarshalIndent(sub, "", "  ")
	if err != nil {
		return err
	}
	var page bytes.Buffer
	if err := htmlCopy.Execute(&page, sub); err != nil {
		return err
	}
	z := zip.NewWriter(w)
	for _, f := range []struct {
		name string
		body []byte
	}{{"data.json", js}, {"data.html", page.Bytes()}} {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: sub.GeneratedAt})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.body); err != nil {
			return err
		}
	}
	return z.Close()
}

var htmlCopy = template.Must(template.New("data.html").Funcs(template.FuncMap{
	"when": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			return v.UTC().Format("2006-01-02 15:04 UTC")
		case *time.Time:
			if v != nil {
				return v.UTC().Format("2006-01-02 15:04 UTC")
			}
		}
		return "—"
	},
	"money": func(minor int64, currency string) string {
		return fmt.Sprintf("%d.%02d %s", minor/100, minor%100, currency)
	},
}).Parse(htmlCopyText))

const htmlCopyText = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Your data</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
pre{white-space:pre-wrap}</style></head><body>
<h1>What we hold about {{.Email}}</h1>
<p>Made {{when .GeneratedAt}}. The same data, machine-readable, is in data.json ({{.Schema}}).</p>
<h2>Newsletter</h2>
{{with .Subscription}}<table>
<tr><th>Status</th><td>{{.Status}}</td></tr><tr><th>Name</th><td>{{.Name}}</td></tr>
<tr><th>Consent</th><td>{{.ConsentSource}} (text {{.ConsentTextHash}})</td></tr>
<tr><th>Signed up</th><td>{{when .CreatedAt}}</td></tr><tr><th>Confirmed</th><td>{{when .ConfirmedAt}}</td></tr>
<tr><th>Lists</th><td>{{range .Lists}}{{.Name}}{{if not .Subscribed}} (left){{end}}<br>{{end}}</td></tr>
<tr><th>History</th><td>{{range .History}}{{when .At}} {{.Event}}<br>{{end}}</td></tr></table>
{{else}}<p>No subscription or sign-up.</p>{{end}}
<h2>Conversations</h2>
{{range .Conversations}}<h3>{{.Subject}}</h3>{{range .Messages}}<p><b>{{.From}}</b>, {{when .At}}:</p><pre>{{.Text}}</pre>{{end}}
{{else}}<p>No conversations.</p>{{end}}
<h2>Orders</h2>
{{range .Orders}}<h3>Order {{.Ref}} ({{.Status}}){{if .LegalHold}}: erasure requested, kept only for legal retention{{end}}</h3>
<table><tr><th>Name</th><td>{{.Name}}</td></tr><tr><th>Country</th><td>{{.Country}}</td></tr>
<tr><th>Placed</th><td>{{when .CreatedAt}}</td></tr><tr><th>Paid</th><td>{{when .PaidAt}}</td></tr>
{{$c := .Currency}}<tr><th>Items</th><td>{{range .Items}}{{.Quantity}} × {{.Product}} {{.Edition}} at {{money .UnitAmount $c}}<br>{{end}}</td></tr>
<tr><th>Total</th><td>{{money .Total .Currency}} (tax {{money .Tax .Currency}}, refunded {{money .Refunded .Currency}})</td></tr>
<tr><th>Card</th><td>{{.CardBrand}} {{if .CardLast4}}…{{.CardLast4}}{{end}}</td></tr><tr><th>Invoice</th><td>{{.Invoice}}</td></tr>
<tr><th>Licences</th><td>{{range .Licences}}<code>{{.Key}}</code> ({{.Seats}} seats)<br>{{end}}</td></tr></table>
{{else}}<p>No orders.</p>{{end}}
<h2>Mail to you in the outbox</h2>
{{range .Outbox}}<p>{{when .CreatedAt}}: {{.Purpose}} {{.Subject}} ({{.Status}})</p>{{else}}<p>None.</p>{{end}}
</body></html>
`
