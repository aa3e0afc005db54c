package licence_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/candor-dev/candor/licence"
)

// publicKey is what `candor licence public-key` printed on the vendor's Candor
// installation. The vendor's software embeds it as a constant: it can verify licence
// keys but not make them, so it is safe to ship in the binary.
const publicKey = "CANDORPK1-X956RRZ2KH90NFQNA1XH6BP5Z6AMEXNEQTZ7Q4J23VN6J526T8P0"

// A perpetual key and one that expired on 2026-03-01, as Candor's shop mailed them.
const (
	customerKey = "CANDOR1-04000-000D6-J2MG0-00000-00000-00000-000M6-MYMJ4-5MS30-CHP5M-R30D1-J1DGP-6VB55-NJP8T-BMDXS-06W3J-DY9D7-YKX6P-P1GRP-Z0TRC-BBNBX-VENYA-856M6-4BMPX-HECX8-5JQCT-1XV55-A59HM-94T4N-XFMMS-DKYF4-511TJ-G17F6-MFG1F-GBM1R-MZ9PE-HYG9"
	expiredKey  = "CANDOR1-04000-000CZ-1FDG0-00000-0TD45-90000-000M6-MYMJ4-5MS30-CHN5M-R30C1-Q1DGP-6VB55-NJP8T-BMDXS-06W3J-DY37B-JY1EQ-9K9KW-0KAJW-HMCAS-SV1YX-93DPT-ER4X6-19CJB-DCXZD-D3K26-7SJA0-S0P3T-EHE4H-2W4KP-21RDW-WPMMW-CZRF0-FDHHH-K7QVQ-1CR4"
)

// The vendor's software checks the key its customer typed, offline.
func ExampleVerify() {
	pub, err := licence.ParsePublicKey(publicKey)
	if err != nil {
		log.Fatal(err) // a mistake in the embedded constant: caught by the first test run
	}
	l, err := licence.Verify(pub, customerKey, time.Now())
	switch {
	case errors.Is(err, licence.ErrExpired):
		fmt.Println("your licence has expired; renew it at https://example.com/shop")
	case err != nil:
		fmt.Println("this is not a valid licence key:", err)
	case l.Product != "acme-editor":
		fmt.Println("this licence key is for another product")
	default:
		fmt.Printf("licensed: %s %s, %d seats, perpetual: %v\n", l.Product, l.Edition, l.Seats, l.Perpetual())
	}
	// Output: licensed: acme-editor pro, 5 seats, perpetual: true
}

// An expired key is still genuine: Verify returns its Licence with ErrExpired, so the
// software can, say, keep running the versions released before the expiry date.
func ExampleVerify_expired() {
	pub, err := licence.ParsePublicKey(publicKey)
	if err != nil {
		log.Fatal(err)
	}
	l, err := licence.Verify(pub, expiredKey, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(err)
	fmt.Println(errors.Is(err, licence.ErrExpired), l.ID)
	// Output:
	// licence: expired on 2026-03-01 12:00:00 UTC
	// true ORD-2025-0007
}

// Candor's shop signs the keys it sells; Sign is public for vendors who issue keys
// elsewhere too (a reseller's script, a test suite).
func ExampleSign() {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	key, err := licence.Sign(priv, licence.Licence{
		ID: "ORD-2026-0043", Product: "acme-editor", Edition: "team", Seats: 10,
		Issued: time.Now(), Expires: time.Now().AddDate(1, 0, 0),
	})
	if err != nil {
		log.Fatal(err)
	}
	l, err := licence.Verify(pub, key, time.Now())
	fmt.Println(l.ID, l.Seats, err)
	// Output: ORD-2026-0043 10 <nil>
}
