package licencekey

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// maxFileSize bounds what Load reads from a key file; an Ed25519 PEM key is 119 bytes.
const maxFileSize = 64 << 10

// pemType is the PEM block type of a PKCS #8 private key.
const pemType = "PRIVATE KEY"

// Load returns the licence signing key. When pemText is not empty it is parsed (PEM,
// PKCS #8, Ed25519) and path is not touched. Otherwise the key is read from path; if
// no file exists there, a new key is generated and written to path with mode 0600
// (its directory created with mode 0700), never replacing a file that appeared
// meanwhile.
func Load(pemText, path string) (ed25519.PrivateKey, error) {
	if pemText != "" {
		return parse([]byte(pemText), "setting --licence-key (CANDOR_LICENCE_KEY)")
	}
	key, err := readFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	return create(path)
}

// parse decodes one PEM block holding an Ed25519 PKCS #8 private key, and nothing
// else. source names where the text came from, for the error.
func parse(text []byte, source string) (ed25519.PrivateKey, error) {
	block, rest := pem.Decode(text)
	switch {
	case block == nil:
		return nil, fmt.Errorf("licencekey: %s holds no PEM block; make a key with: openssl genpkey -algorithm ed25519", source)
	case block.Type != pemType:
		return nil, fmt.Errorf("licencekey: %s holds a %q PEM block, not %q (PKCS #8); make a key with: openssl genpkey -algorithm ed25519", source, block.Type, pemType)
	case len(bytes.TrimSpace(rest)) != 0:
		return nil, fmt.Errorf("licencekey: %s holds more than one PEM block", source)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("licencekey: %s is not a PKCS #8 private key: %w", source, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("licencekey: %s holds a %T, not an Ed25519 key", source, k)
	}
	return priv, nil
}

// readFile checks and parses the key file at path. A missing file yields an error
// wrapping fs.ErrNotExist.
func readFile(path string) (ed25519.PrivateKey, error) {
	// Stat before opening: opening a FIFO or a device could block or read forever.
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("licencekey: licence key file: %w", err)
	}
	if err := checkInfo(path, info); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("licencekey: opening licence key file: %w", err)
	}
	defer f.Close()
	opened, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("licencekey: licence key file: %w", err)
	}
	if !os.SameFile(info, opened) {
		return nil, fmt.Errorf("licencekey: licence key file %s was replaced while being opened; try again", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("licencekey: reading licence key file %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("licencekey: licence key file %s is larger than %d bytes", path, maxFileSize)
	}
	return parse(data, "licence key file "+path)
}

// checkInfo refuses anything but a regular file that only its owner may access.
func checkInfo(path string, info fs.FileInfo) error {
	if !info.Mode().IsRegular() {
		return fmt.Errorf("licencekey: licence key file %s is not a regular file (%s); move it away and a new key is generated", path, info.Mode().Type())
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return fmt.Errorf("licencekey: licence key file %s has mode %04o, readable beyond its owner; run: chmod 600 %s", path, perm, path)
	}
	return nil
}

// create generates a key and links it into place at path, unless a file appeared
// there first, which is then read instead.
func create(path string) (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("licencekey: generating a key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("licencekey: encoding the key: %w", err)
	}
	tmp, err := writeTemp(path, pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der}))
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	// Link fails when path exists, so a key another instance just wrote is kept.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readFile(path)
		}
		return nil, fmt.Errorf("licencekey: creating licence key file %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync() // makes the link durable where the platform allows; the file is synced
		_ = d.Close()
	}
	return priv, nil
}

// writeTemp writes data to a new mode 0600 file next to path, synced, and returns its
// name.
func writeTemp(path string, data []byte) (string, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("licencekey: creating directory for %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("licencekey: creating licence key file %s: %w", path, err)
	}
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("licencekey: writing licence key file %s: %w", path, err)
	}
	return f.Name(), nil
}
