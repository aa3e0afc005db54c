package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/candor-dev/candor/internal/demo"
	"github.com/candor-dev/candor/internal/errs"
	"github.com/candor-dev/candor/internal/shop"
	"github.com/candor-dev/candor/internal/staff"
)

// seedDemoShop puts the demo catalogue into the shop (once) and writes each product's
// small demo download into DATA-DIR/downloads, so a test purchase can be followed to
// the end: receipt, licence key, download.
func seedDemoShop(ctx context.Context, a *app) error {
	dir := filepath.Join(a.cfg.DataDir, "downloads")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("seeding the demo downloads: %w", err)
	}
	for _, dp := range demo.Site().Products {
		if _, err := a.shop.Product(ctx, dp.Slug); err == nil {
			continue
		} else if !errs.Is(err, errs.NotFound) {
			return err
		}
		p := &shop.Product{Slug: dp.Slug, Name: dp.Name, Description: dp.Tagline, Version: dp.Version, Active: true,
			Platforms: strings.Split(dp.Platforms, ", ")}
		if err := a.shop.SaveProduct(ctx, staff.CLI, p); err != nil {
			return fmt.Errorf("seeding the demo shop: %w", err)
		}
		for _, de := range dp.Editions {
			e := &shop.Edition{ProductID: p.ID, Slug: de.Slug, Name: de.Name, Seats: de.Seats, TermDays: de.TermDays, Prices: de.Prices}
			if err := a.shop.SaveEdition(ctx, staff.CLI, e); err != nil {
				return fmt.Errorf("seeding the demo shop: %w", err)
			}
		}
		body := fmt.Sprintf("%s %s — a demo download from Candor's test shop. Nothing to install.\n", dp.Name, dp.Version)
		if err := os.WriteFile(filepath.Join(dir, dp.Download), []byte(body), 0o600); err != nil {
			return fmt.Errorf("seeding the demo downloads: %w", err)
		}
		if err := a.shop.AddDownload(ctx, staff.CLI, &shop.Download{ProductID: p.ID, Name: dp.Name + " " + dp.Version, File: dp.Download}); err != nil {
			return fmt.Errorf("seeding the demo shop: %w", err)
		}
	}
	return nil
}
