package cli

import (
	"fmt"

	"github.com/candor-dev/candor/internal/analytics"
	"github.com/candor-dev/candor/internal/analytics/geo"
	"github.com/candor-dev/candor/internal/config"
)

// openGeoCity opens the city database of --geoip-city; nil, and nothing opened,
// without the setting. The caller closes it once no hit is recorded any more.
func openGeoCity(cfg config.Config) (*geo.DB, error) {
	if cfg.GeoIPCity == "" {
		return nil, nil
	}
	db, err := geo.Open(cfg.GeoIPCity)
	if err != nil {
		return nil, fmt.Errorf("setting --geoip-city (%s): %w", config.EnvName("geoip-city"), err)
	}
	return db, nil
}

// statsOptions are the aggregator's options for the site hosts host and the city
// database city (nil: regions and cities are neither looked up nor counted).
func statsOptions(cfg config.Config, host func(int64) string, city *geo.DB) analytics.Options {
	o := analytics.Options{SiteHost: host, MinCount: cfg.StatsK}
	if city != nil {
		o.Geo = city.Lookup
	}
	return o
}
