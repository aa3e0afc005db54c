package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/candor-dev/candor/internal/config"
)

// checkStart refuses what serve must not start with on a non-loopback address: the
// data keys inside the data directory (a copy of the directory would open every sealed
// field), and card numbers typed into a form served over plain HTTP. The demo and
// loopback addresses start as before.
func checkStart(cfg config.Config, getenv func(string) string) error {
	if config.IsLoopback(cfg.Addr) {
		return nil
	}
	if (cfg.KeysInDataDir() || inside(getenv(config.EnvName("keys")+"_FILE"), cfg.DataDir)) && !cfg.AllowKeysInDataDir {
		return fmt.Errorf("setting --keys (CANDOR_KEYS): serve on %s refuses data keys kept inside the data directory %s: "+
			"anyone holding a copy of that directory could open every sealed email, name and message. Move the key file out of it "+
			"and give it by CANDOR_KEYS_FILE=/path/outside/the/data/dir (or CANDOR_KEYS), by a secret manager's file mount "+
			"(a Docker/Kubernetes secret at /run/secrets/candor-keys), or by systemd credentials (LoadCredential=candor-keys:… and "+
			"CANDOR_KEYS_FILE=${CREDENTIALS_DIRECTORY}/candor-keys); see docs/keys.md#keys-apart-from-the-data. "+
			"To accept the risk, set --allow-keys-in-data-dir (CANDOR_ALLOW_KEYS_IN_DATA_DIR=true)", cfg.Addr, cfg.DataDir)
	}
	if (cfg.Payment == "pass-through" || cfg.Payment == "test") && !cfg.TLS() &&
		(cfg.PublicURL.Scheme != "https" || len(cfg.TrustedProxies) == 0) {
		return fmt.Errorf("setting --payment (CANDOR_PAYMENT): serve on %s with --payment %s shows a card form, and card numbers must never "+
			"cross the network in clear: serve HTTPS yourself (--tls-cert and --tls-key, or --acme-domain), or put Candor behind a "+
			"TLS-terminating reverse proxy with an https:// --public-url and that proxy's address in --trusted-proxy; or listen on "+
			"a loopback address, or use --payment hosted (the processor's own https page takes the card)", cfg.Addr, cfg.Payment)
	}
	return nil
}

// inside reports whether file lies within dir (both made absolute).
func inside(file, dir string) bool {
	if file == "" {
		return false
	}
	f, err1 := filepath.Abs(file)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, f)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
