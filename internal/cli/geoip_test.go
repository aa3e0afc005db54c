package cli

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/config"
	"github.com/candor-dev/candor/internal/testkit/geodb"
)

func TestServeRefusesABadCityDatabase(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.mmdb")
	if err := os.WriteFile(junk, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{junk, filepath.Join(dir, "missing.mmdb")} {
		_, err := runCandor(t, "", "serve", "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "data"), "--geoip-city", path)
		if err == nil || !strings.Contains(err.Error(), "--geoip-city") || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v; want an error naming --geoip-city and the file", path, err)
		}
	}
}

func TestCityLookupOnlyWithTheSetting(t *testing.T) {
	city, err := openGeoCity(config.Config{})
	if city != nil || err != nil {
		t.Fatalf("without --geoip-city: %v, %v; want nothing opened", city, err)
	}
	if o := statsOptions(config.Config{}, nil, nil); o.Geo != nil {
		t.Fatal("without --geoip-city the aggregator looks addresses up")
	}
	city, err = openGeoCity(config.Config{GeoIPCity: geodb.Write(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer city.Close()
	o := statsOptions(config.Config{}, nil, city)
	if region, name := o.Geo(netip.MustParseAddr("203.0.113.9")); region != geodb.Region || name != geodb.City {
		t.Fatalf("with --geoip-city: %q, %q", region, name)
	}
}
