package analytics_test

import (
	"context"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/staff"
)

func TestSites(t *testing.T) {
	e := newEnv(t) // holds "example" on example.com
	ctx := context.Background()
	analyst := staff.Principal{ID: 3, Role: staff.Analyst}
	if _, err := e.sites.Add(ctx, analyst, "shop", "shop.example.com"); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("analyst adds a site: %v, want forbidden", err)
	}
	for _, tc := range []struct{ name, domain string }{{"Bad Name", "a.com"}, {"ok", "not a host"}, {"", "a.com"}, {"ok", ""}} {
		if _, err := e.sites.Add(ctx, staff.CLI, tc.name, tc.domain); !errs.Is(err, errs.Invalid) {
			t.Errorf("Add(%q, %q) = %v, want invalid", tc.name, tc.domain, err)
		}
	}
	if _, err := e.sites.Add(ctx, staff.CLI, "other", "https://WWW.Example.com:443/"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a second site on example.com: %v, want conflict", err)
	}
	docs, err := e.sites.Add(ctx, staff.CLI, "docs", "docs.example.com")
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.sites.List(ctx, analyst)
	if err != nil || len(list) != 2 || list[0].Name != "docs" {
		t.Fatalf("List = %v, %v", list, err)
	}
	if _, err := e.sites.List(ctx, staff.Principal{ID: 4, Role: staff.Marketing}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("marketing lists sites: %v", err)
	}
	for _, host := range []string{"docs.example.com", "DOCS.example.com:8443", "www.docs.example.com"} {
		if got, err := e.sites.ByDomain(ctx, host); err != nil || got != docs {
			t.Errorf("ByDomain(%q) = %v, %v", host, got, err)
		}
	}
	if got, err := e.sites.ByName(ctx, "docs"); err != nil || got != docs {
		t.Errorf("ByName = %v, %v", got, err)
	}
	if _, err := e.sites.ByDomain(ctx, "unknown.example"); !errs.Is(err, errs.NotFound) {
		t.Errorf("unknown domain: %v", err)
	}
	// A miss reloads at most every few seconds; a new site is found right after Add.
	e.clock.t = e.clock.t.Add(time.Second)
	late, err := e.sites.Add(ctx, staff.CLI, "late", "late.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := e.sites.ByDomain(ctx, "late.example.com"); err != nil || got != late {
		t.Errorf("ByDomain after Add = %v, %v", got, err)
	}
	if e.sites.Host(docs.ID) != "docs.example.com" || e.sites.Host(9999) != "" {
		t.Error("Host")
	}
	_ = analytics.NormalizeDomain
}
