// Package geo reads the optional city database the vendor supplies (--geoip-city): a
// MaxMind DB file such as GeoIP2-City, GeoLite2-City or DB-IP's city lite, held in
// memory and looked up per hit. Only two coarse values come out of a lookup, a
// region code ("DE-BY") and an English city name; the address itself is never kept.
//
// Candor never downloads such a file: the vendor fetches it under its own licence
// (GeoLite2 needs a free MaxMind account) and restarts Candor to load a newer one.
package geo

import (
	"fmt"
	"net/netip"
	"os"
	"strings"

	"github.com/oschwald/maxminddb-golang/v2"
)

// DB is an open city database. Lookup is safe for concurrent use; Close must not
// race with it.
type DB struct {
	r *maxminddb.Reader
}

// Open reads the whole file into memory (so that replacing the file while Candor
// runs cannot disturb lookups) and checks that it is a MaxMind DB holding cities.
func Open(path string) (*DB, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r, err := maxminddb.OpenBytes(b)
	if err != nil {
		return nil, fmt.Errorf("%s is not a MaxMind DB file: %w", path, err)
	}
	if t := r.Metadata.DatabaseType; !strings.Contains(strings.ToLower(t), "city") {
		r.Close()
		return nil, fmt.Errorf("%s is a %q database, not a city database (such as GeoLite2-City)", path, t)
	}
	return &DB{r: r}, nil
}

// record is the part of a city record that is decoded; every other field is skipped.
type record struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	Subdivisions []struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"subdivisions"`
	City struct {
		Names struct {
			English string `maxminddb:"en"`
		} `maxminddb:"names"`
	} `maxminddb:"city"`
}

// Lookup returns the ISO 3166-2 code of the address's first-level region ("DE-BY")
// and its city's English name; "" for what the database does not know.
func (d *DB) Lookup(ip netip.Addr) (region, city string) {
	ip = ip.Unmap()
	if !ip.IsValid() {
		return "", ""
	}
	var rec record
	if err := d.r.Lookup(ip).Decode(&rec); err != nil {
		return "", ""
	}
	if c := rec.Country.ISOCode; c != "" && len(rec.Subdivisions) > 0 && rec.Subdivisions[0].ISOCode != "" {
		region = c + "-" + rec.Subdivisions[0].ISOCode
	}
	return region, rec.City.Names.English
}

// Close releases the database.
func (d *DB) Close() error { return d.r.Close() }
