package newsletter

import (
	"html"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/candor-dev/candor/internal/errs"
)

// Campaigns carry no images: Candor does not host them, and a remote image is a
// tracking pixel (its server learns who opened the mail, when, and from where), which
// the privacy policy rules out. Validation refuses them; one stored before renders as
// its alternative text.

// errImages refuses a campaign body with an image.
var errImages = errs.InvalidField("body", "Campaigns cannot show images: Candor does not host them, and a remote image tells its server who opened the mail. Link to the picture instead: [picture](https://…).")

// hasImage reports whether Markdown source holds an image.
func hasImage(src string) bool {
	b := []byte(src)
	found := false
	_ = ast.Walk(markdown.Parser().Parse(text.NewReader(b)), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == ast.KindImage {
			found = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// imageAsText renders an image as its alternative text, never as an <img>.
type imageAsText struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (imageAsText) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(ast.KindImage, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(html.EscapeString(altText(n, src)))
		}
		return ast.WalkSkipChildren, nil
	})
}

// altText is the plain text of an image's children.
func altText(n ast.Node, src []byte) string {
	var out []byte
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			out = append(out, t.Segment.Value(src)...)
		} else {
			out = append(out, altText(c, src)...)
		}
	}
	return string(out)
}
