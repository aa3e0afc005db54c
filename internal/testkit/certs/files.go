package certs

import (
	"os"
	"path/filepath"
	"testing"
)

// WriteFiles writes the certificate and its key as PEM into dir (cert.pem and key.pem,
// readable by the owner only), for a program started by the test, and returns their
// paths. A failure fails the test.
func (c *Cert) WriteFiles(t testing.TB, dir string) (certFile, keyFile string) {
	t.Helper()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for _, f := range []struct {
		path string
		data []byte
	}{{certFile, c.CertPEM}, {keyFile, c.KeyPEM}} {
		if err := os.WriteFile(f.path, f.data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return certFile, keyFile
}
