package newsletter

import (
	"bytes"
	"context"
	"html/template"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/candor-dev/candor/internal/mail"
	"github.com/candor-dev/candor/internal/pii"
)

// markdown renders staff-written Markdown. Raw HTML in the source is not passed through
// (goldmark's default), and an image renders as its text (images.go), so a campaign
// cannot smuggle scripts or tracking pixels.
var markdown = goldmark.New(goldmark.WithRendererOptions(
	renderer.WithNodeRenderers(util.Prioritized(imageAsText{}, 0))))

// rendered is a campaign's body, rendered once and reused for every recipient.
type rendered struct {
	updated int64
	subject string
	html    string // inner HTML, before the per-recipient footer
	text    string
}

// renderCache keeps the rendered bodies of campaigns being sent, and the campaigns
// themselves: a campaign's content cannot change once it is sending (UpdateCampaign
// refuses), so RenderMessage loads it once, not once per recipient.
type renderCache struct {
	mu        sync.Mutex
	m         map[int64]rendered
	campaigns map[int64]Campaign
}

// maxCachedCampaigns bounds the cache; campaigns sending at once are few.
const maxCachedCampaigns = 32

// campaign returns a sending campaign, loading it on first use.
func (c *renderCache) campaign(ctx context.Context, id int64, load func(context.Context, int64) (Campaign, error)) (Campaign, error) {
	c.mu.Lock()
	camp, ok := c.campaigns[id]
	c.mu.Unlock()
	if ok {
		return camp, nil
	}
	camp, err := load(ctx, id)
	if err != nil || camp.Status != Sending {
		return camp, err // only a sending campaign is immutable enough to keep
	}
	c.mu.Lock()
	if c.campaigns == nil || len(c.campaigns) >= maxCachedCampaigns {
		c.campaigns = map[int64]Campaign{}
	}
	c.campaigns[id] = camp
	c.mu.Unlock()
	return camp, nil
}

func (c *renderCache) get(camp Campaign) (rendered, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.m[camp.ID]; ok && r.updated == camp.UpdatedAt.UnixMilli() {
		return r, nil
	}
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(camp.BodyMarkdown), &buf); err != nil {
		return rendered{}, err
	}
	r := rendered{updated: camp.UpdatedAt.UnixMilli(), subject: camp.Subject, html: buf.String(), text: camp.BodyMarkdown}
	if c.m == nil {
		c.m = map[int64]rendered{}
	}
	c.m[camp.ID] = r
	return r, nil
}

var mailTemplate = template.Must(template.New("mail").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{.Subject}}</title></head>
<body style="margin:0;padding:0;background:#f6f7f9">
<div style="max-width:600px;margin:0 auto;padding:24px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1b1f24;background:#ffffff">
{{.Body}}
<hr style="border:0;border-top:1px solid #dde1e6;margin:32px 0 16px">
<p style="font-size:13px;color:#5b6470">You receive this because you subscribed to {{.Vendor}}.{{if .Postal}}<br>{{.Postal}}{{end}}<br>
{{if .Unsubscribe}}<a href="{{.Unsubscribe}}" style="color:#2453c7">Unsubscribe</a> · <a href="{{.Preferences}}" style="color:#2453c7">Choose lists</a>{{else}}(Test message: no unsubscribe link){{end}} · <a href="{{.Privacy}}" style="color:#2453c7">Privacy</a></p>
</div></body></html>`))

// compose wraps a rendered body with the footer and, for a real recipient, the
// unsubscribe links and RFC 8058 headers.
func (s *Service) compose(r rendered, unsubToken string) (mail.Content, error) {
	data := map[string]any{
		"Subject": r.subject, "Body": template.HTML(r.html), "Vendor": s.opts.VendorName, "Postal": s.opts.PostalAddress,
	}
	var textFooter strings.Builder
	textFooter.WriteString("\n\n-- \nYou receive this because you subscribed to " + s.opts.VendorName + ".\n")
	if s.opts.PostalAddress != "" {
		textFooter.WriteString(s.opts.PostalAddress + "\n")
	}
	data["Privacy"] = s.opts.PublicURL + "/privacy"
	textFooter.WriteString(mail.PrivacyLine(s.opts.PublicURL) + "\n")
	c := mail.Content{Subject: r.subject}
	if unsubToken != "" {
		unsub := s.opts.PublicURL + "/unsubscribe/" + unsubToken
		prefs := s.opts.PublicURL + "/preferences/" + unsubToken
		data["Unsubscribe"], data["Preferences"] = unsub, prefs
		textFooter.WriteString("Unsubscribe: " + unsub + "\nChoose lists: " + prefs + "\n")
		c.Headers = map[string]string{
			"List-Unsubscribe":      "<" + unsub + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		}
	}
	var html bytes.Buffer
	if err := mailTemplate.Execute(&html, data); err != nil {
		return mail.Content{}, err
	}
	c.HTML, c.Text = html.String(), r.text+textFooter.String()
	return c, nil
}

// Preview renders a campaign as a recipient would see it, without an unsubscribe link.
func (c *Campaigns) Preview(ctx context.Context, camp Campaign) (mail.Content, error) {
	r, err := c.svc.cache.get(camp)
	if err != nil {
		return mail.Content{}, err
	}
	return c.svc.compose(r, "")
}

// RenderMessage renders one campaign message for one subscriber at send time (the mail
// worker's renderer for campaign rows).
func (c *Campaigns) RenderMessage(ctx context.Context, campaignID, subscriberID int64) (pii.Email, mail.Content, error) {
	camp, err := c.svc.cache.campaign(ctx, campaignID, c.store.Campaign)
	if err != nil {
		return pii.Email{}, mail.Content{}, err
	}
	rec, err := c.svc.store.SubscriberByID(ctx, subscriberID)
	if err != nil {
		return pii.Email{}, mail.Content{}, err
	}
	plain, err := c.svc.sealer.OpenString(SealEmail, rec.EmailSealed)
	if err != nil {
		return pii.Email{}, mail.Content{}, err
	}
	to, err := pii.NewEmail(plain)
	if err != nil {
		return pii.Email{}, mail.Content{}, err
	}
	r, err := c.svc.cache.get(camp)
	if err != nil {
		return pii.Email{}, mail.Content{}, err
	}
	tok, err := c.svc.UnsubscribeToken(subscriberID, campaignID)
	if err != nil {
		return pii.Email{}, mail.Content{}, err
	}
	content, err := c.svc.compose(r, tok)
	return to, content, err
}
