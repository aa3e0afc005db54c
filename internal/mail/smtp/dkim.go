package smtp

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/emersion/go-msgauth/dkim"
)

// SignedHeaders are the header fields every DKIM signature covers, in this order. From
// is listed twice, so a second From added in transit breaks the signature; a listed
// field the message lacks (List-Unsubscribe in a confirmation mail) is signed as
// absent, so it cannot be added later either.
var SignedHeaders = []string{
	"From", "From", "To", "Subject", "Date", "Message-ID",
	"List-Unsubscribe", "List-Unsubscribe-Post", "In-Reply-To", "References", "Reply-To",
	"MIME-Version", "Content-Type",
}

// DKIM signs outgoing mail as Domain with the key published at
// Selector._domainkey.Domain.
type DKIM struct {
	Domain, Selector string
	Key              crypto.Signer // *rsa.PrivateKey (2048 bits or more) or ed25519.PrivateKey
}

// NewDKIM parses a PEM private key (PKCS#1 or PKCS#8 RSA of at least 2048 bits, or
// PKCS#8 Ed25519) and returns the signer configuration.
func NewDKIM(domain, selector, keyPEM string) (*DKIM, error) {
	if domain == "" || selector == "" {
		return nil, errors.New("setting --dkim-domain and --dkim-selector: both are required with --dkim-key")
	}
	key, err := ParseKey(keyPEM)
	if err != nil {
		return nil, err
	}
	return &DKIM{Domain: domain, Selector: selector, Key: key}, nil
}

// ParseKey parses a DKIM private key from PEM.
func ParseKey(keyPEM string) (crypto.Signer, error) {
	block, _ := pem.Decode([]byte(keyPEM))
	if block == nil {
		return nil, errors.New("setting --dkim-key: not a PEM private key")
	}
	var key any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("setting --dkim-key: a %q PEM block is not a private key (want PRIVATE KEY or RSA PRIVATE KEY)", block.Type)
	}
	if err != nil {
		return nil, errors.New("setting --dkim-key: the private key does not parse")
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("setting --dkim-key: an RSA key of %d bits is too short; use 2048 bits or more, or Ed25519", k.N.BitLen())
		}
		return k, nil
	case ed25519.PrivateKey:
		return k, nil
	}
	return nil, fmt.Errorf("setting --dkim-key: a %T is not supported; use RSA or Ed25519", key)
}

// DNSRecord returns the TXT record to publish at Selector._domainkey.Domain.
func (d *DKIM) DNSRecord() (string, error) {
	return DNSRecord(d.Key.Public())
}

// DNSRecord returns the DKIM TXT record for a public key: "v=DKIM1; k=rsa; p=…" or
// "v=DKIM1; k=ed25519; p=…".
func DNSRecord(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		der, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			return "", err
		}
		return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der), nil
	case ed25519.PublicKey:
		return "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(k), nil
	}
	return "", fmt.Errorf("dkim: unsupported public key %T", pub)
}

// sign returns the DKIM-Signature header field (relaxed/relaxed, SHA-256, ending in
// CRLF) to prepend to a CRLF message.
func (d *DKIM) sign(msg []byte) ([]byte, error) {
	s, err := dkim.NewSigner(&dkim.SignOptions{
		Domain: d.Domain, Selector: d.Selector, Signer: d.Key,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed, BodyCanonicalization: dkim.CanonicalizationRelaxed,
		HeaderKeys: SignedHeaders,
	})
	if err != nil {
		return nil, errors.Join(errCompose, err)
	}
	if _, err := s.Write(msg); err != nil {
		_ = s.Close()
		return nil, errors.Join(errCompose, errors.New("DKIM signing failed"))
	}
	if err := s.Close(); err != nil {
		return nil, errors.Join(errCompose, errors.New("DKIM signing failed"))
	}
	return []byte(s.Signature()), nil
}
