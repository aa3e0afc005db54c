package config

import (
	"crypto/x509"
	"fmt"
	"os"
)

// CertPool reads a PEM file of certificates to trust (a --…-ca-file setting) into a
// pool; nil for no file (the system roots). Errors name the setting.
func CertPool(setting, file string) (*x509.CertPool, error) {
	if file == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("setting --%s: %w", setting, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("setting --%s: no PEM certificate in %s", setting, file)
	}
	return pool, nil
}
