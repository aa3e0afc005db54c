package shop

import (
	"crypto/ed25519"

	"github.com/candor-dev/candor/licence"
)

// LicenceSigner signs licence keys with the installation's Ed25519 key, in the format
// of the public licence package (docs/licences.md).
type LicenceSigner struct{ Key ed25519.PrivateKey }

// SignLicence implements Signer.
func (s LicenceSigner) SignLicence(f LicenceFacts) (string, error) {
	return licence.Sign(s.Key, licence.Licence{ID: f.ID, Product: f.Product, Edition: f.Edition, Seats: f.Seats, Issued: f.Issued, Expires: f.Expires})
}
