package geodb

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// The test database's one network and what it holds.
const (
	Network = "203.0.113.0/24"
	Region  = "XA-TS"
	City    = "Testville"
)

// Write writes the database into a temporary directory and returns its path.
func Write(t testing.TB) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "Candor-Test-City", RecordSize: 24, IncludeReservedNetworks: true})
	if err != nil {
		t.Fatal(err)
	}
	_, network, err := net.ParseCIDR(Network)
	if err != nil {
		t.Fatal(err)
	}
	names := func(en string) mmdbtype.Map {
		return mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(en), "de": mmdbtype.String(en + "-de")}}
	}
	record := mmdbtype.Map{
		"city":         names(City),
		"country":      mmdbtype.Map{"iso_code": mmdbtype.String("XA")},
		"subdivisions": mmdbtype.Slice{mmdbtype.Map{"iso_code": mmdbtype.String("TS")}},
		"location":     mmdbtype.Map{"latitude": mmdbtype.Float64(1.5), "longitude": mmdbtype.Float64(2.5)},
	}
	if err := tree.Insert(network, record); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "test-city.mmdb")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
