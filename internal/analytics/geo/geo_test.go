package geo_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/analytics/geo"
	"github.com/candor-dev/candor/internal/testkit/geodb"
)

func TestLookup(t *testing.T) {
	db, err := geo.Open(geodb.Write(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct{ ip, region, city string }{
		{"203.0.113.7", geodb.Region, geodb.City},
		{"::ffff:203.0.113.200", geodb.Region, geodb.City},
		{"198.51.100.1", "", ""},
		{"2001:db8::1", "", ""},
	} {
		region, city := db.Lookup(netip.MustParseAddr(c.ip))
		if region != c.region || city != c.city {
			t.Errorf("%s: %q, %q; want %q, %q", c.ip, region, city, c.region, c.city)
		}
	}
	if region, city := db.Lookup(netip.Addr{}); region != "" || city != "" {
		t.Errorf("the zero address: %q, %q", region, city)
	}
}

func TestOpenRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.mmdb")
	if err := os.WriteFile(junk, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{junk, filepath.Join(dir, "missing.mmdb")} {
		if _, err := geo.Open(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v", path, err)
		}
	}
}
