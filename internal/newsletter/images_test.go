package newsletter_test

import (
	"context"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/newsletter"
)

// Promise (issue 12, item 11): a campaign carries no tracking pixel. Candor does not
// host images, so an image in a campaign is refused with a clear error, and one already
// stored renders as its text, never as a remote <img>.
func TestCampaignRefusesRemoteImages(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	for _, body := range []string{"Hi ![p](https://tracker.example/p.gif)", "![](//tracker.example/p.gif)", "Hi\n\n![logo][l]\n\n[l]: https://tracker.example/l.png"} {
		_, err := e.camps.Create(ctx, marketer, newsletter.Campaign{Subject: "S", BodyMarkdown: body, Lists: []int64{newsList(t, e)}})
		if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "image") {
			t.Errorf("a campaign with %q: %v; want it refused on its images", body, err)
		}
	}
	c, err := e.camps.Preview(ctx, newsletter.Campaign{ID: 999, Subject: "S", BodyMarkdown: "Hi ![a pixel](https://tracker.example/p.gif)"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.HTML, "<img") || strings.Contains(c.HTML, "tracker.example") || !strings.Contains(c.HTML, "a pixel") {
		t.Errorf("an image renders as a remote <img>:\n%s", c.HTML)
	}
}
