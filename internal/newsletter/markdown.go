package newsletter

import (
	"bytes"
	"html/template"
)

// RenderMarkdown renders vendor-written Markdown with the campaigns' safe renderer: raw
// HTML in the source is not passed through, so the result may be shown as HTML (the
// /privacy page's --privacy-intro uses it).
func RenderMarkdown(src string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // #nosec G203 -- goldmark without html.WithUnsafe drops raw HTML
}
