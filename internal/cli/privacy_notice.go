package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/egress"
	"github.com/candor-dev/candor/internal/privacy"
)

// openPrivacyNotice generates the public privacy notice (/privacy) from the inventory
// and cfg, reads the vendor's --privacy-intro, and versions the generated part in the
// data directory (the date is kept while the facts stay the same).
func openPrivacyNotice(cfg config.Config, now time.Time) (*privacy.Published, error) {
	var intro string
	if cfg.PrivacyIntro != "" {
		b, err := os.ReadFile(cfg.PrivacyIntro)
		if err != nil {
			return nil, fmt.Errorf("setting --privacy-intro (CANDOR_PRIVACY_INTRO): %w", err)
		}
		intro = string(b)
	}
	facts := privacy.Notice(noticeInput(cfg))
	p, err := privacy.Publish(facts, intro, privacy.VersionFileIn(cfg.DataDir), now)
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// noticeInput is what the notice is generated from: the effective settings, the vendor's
// name and every outbound destination.
func noticeInput(cfg config.Config) privacy.NoticeInput {
	return privacy.NoticeInput{Settings: cfg.ListingByName(), Vendor: vendorName(cfg), Outside: egress.Listing(cfg)}
}
