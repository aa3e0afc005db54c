package cli

import (
	"time"

	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/egress"
	"github.com/candor-dev/candor/internal/privacy"
	"github.com/candor-dev/candor/internal/web"
)

// openPrivacyNotice generates the public privacy notice (/privacy) of cfg: the vendor's
// name as mails show it, and every outbound destination the dialer allows.
func openPrivacyNotice(cfg config.Config, now time.Time) (*privacy.Published, error) {
	return web.PublishPrivacyNotice(cfg, vendorName(cfg), egress.Listing(cfg), now)
}
