package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/staff"
)

var funnelRowRE = regexp.MustCompile(`(?s)<th scope="row"><span class="value">([^<]+)</span></th><td class="num">([^<]*)</td><td class="num[^"]*">([^<]+)</td>`)

// The shop funnel counts checkouts and purchases apart from visitors, and suppresses
// a step under k like every other figure.
func TestShopFunnel(t *testing.T) {
	e := newEnv(t)
	statsFixture(t, e, true)
	shopFixture(t, e) // one pending checkout, one paid: 2 started, 1 purchase
	c, _ := e.signedIn("analyst@staff.example", staff.Analyst)
	r := c.get("/admin/stats?range=7d")
	want(t, r, http.StatusOK)
	rows := map[string][2]string{}
	for _, m := range funnelRowRE.FindAllStringSubmatch(r.body[strings.Index(r.body, "Shop funnel"):], 3) {
		rows[m[1]] = [2]string{m[3], m[2]} // count, rate
	}
	if rows["Purchases"][0] != "&lt; 5" && rows["Purchases"][0] != "< 5" {
		t.Fatalf("purchases under k: %q (funnel %v)", rows["Purchases"], rows)
	}
	if rows["Checkouts started"][0] != "&lt; 5" && rows["Checkouts started"][0] != "< 5" {
		t.Fatalf("checkouts under k: %q", rows["Checkouts started"])
	}
	if rows["Purchases"][1] != "—" {
		t.Fatalf("a rate next to a suppressed step: %q", rows["Purchases"][1])
	}

	// With k = 2 the checkouts show; the single purchase still does not.
	steps, err := e.srv.statsPages.shopFunnel(context.Background(), staff.Principal{Role: staff.Analyst}, analytics.Totals{Visitors: 40}, time.Now().AddDate(0, 0, -1), time.Now(), 2)
	if err != nil || steps[1].Count != "2" || steps[1].Rate != "5.0 %" || steps[2].Count != "< 2" {
		t.Fatalf("funnel at k=2: %+v, %v", steps, err)
	}
	if _, err := e.shop.Funnel(context.Background(), staff.Principal{Role: staff.Support}, time.Now(), time.Now()); err == nil {
		t.Fatal("support reads the funnel")
	}
}
