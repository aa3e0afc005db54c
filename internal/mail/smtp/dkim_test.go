package smtp_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/mail/smtp"
)

// Promise: --dkim-key accepts RSA of 2048 bits or more (PKCS#1 or PKCS#8) and Ed25519,
// and refuses short RSA keys, other key types and garbage with a message naming the
// setting, never the key.
func TestParseKey(t *testing.T) {
	t.Parallel()
	rsa2048, _ := rsa.GenerateKey(rand.Reader, 2048)
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pkcs8 := func(k any) string {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	}
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsa2048)}))
	for _, ok := range []string{pkcs1, pkcs8(rsa2048)} {
		if _, err := smtp.ParseKey(ok); err != nil {
			t.Fatalf("RSA-2048: %v", err)
		}
	}
	for name, bad := range map[string]string{
		"rsa1024": pkcs8(rsa1024), "ecdsa": pkcs8(ec), "garbage": "not a key",
		"certificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
	} {
		_, err := smtp.ParseKey(bad)
		if err == nil || !strings.Contains(err.Error(), "--dkim-key") || strings.Contains(err.Error(), "MII") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
