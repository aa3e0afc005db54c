package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// load parses args and env like a command does.
func load(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	got := Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return Load(got, func(k string) string { return env[k] })
}

func TestDefaults(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DB != "sqlite:"+filepath.Join("candor-data", "candor.db") {
		t.Fatalf("defaults: addr %q db %q", c.Addr, c.DB)
	}
	if c.PublicURL.String() != "http://127.0.0.1:8080" || c.SecureCookies() {
		t.Fatalf("public URL %v, secure cookies %v", c.PublicURL, c.SecureCookies())
	}
}

func TestPrecedenceFlagOverEnvOverDefault(t *testing.T) {
	env := map[string]string{"CANDOR_ADDR": "127.0.0.1:9000", "CANDOR_LOG_LEVEL": "debug"}
	c, err := load(t, []string{"--addr", "127.0.0.1:9999"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" || c.LogLevel != "debug" || c.LogFormat != "text" {
		t.Fatalf("got addr %q level %q format %q", c.Addr, c.LogLevel, c.LogFormat)
	}
}

func TestListsFromFlagsAndEnv(t *testing.T) {
	c, err := load(t, []string{"--site-origin", "https://www.example.com", "--site-origin", "https://shop.example.com/"}, map[string]string{
		"CANDOR_TRUSTED_PROXY": "10.0.0.0/8, 192.168.1.7",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.SiteOrigins) != 2 || c.SiteOrigins[1] != "https://shop.example.com" {
		t.Fatalf("site origins %v", c.SiteOrigins)
	}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[1].String() != "192.168.1.7/32" {
		t.Fatalf("trusted proxies %v", c.TrustedProxies)
	}
}

// A bad setting fails at start with a message that names the setting.
func TestBadSettingsNameTheSetting(t *testing.T) {
	cases := []struct {
		args []string
		env  map[string]string
		name string
	}{
		{env: map[string]string{"CANDOR_SESSION_IDLE": "banana"}, name: "--session-idle"},
		{env: map[string]string{"CANDOR_ADDR": "nope"}, name: "--addr"},
		{args: []string{"--db", "mysql://x"}, name: "--db"},
		{args: []string{"--log-format", "xml"}, name: "--log-format"},
		{args: []string{"--public-url", "ftp://x"}, name: "--public-url"},
		{args: []string{"--site-origin", "https://x.example/path"}, name: "--site-origin"},
		{args: []string{"--trusted-proxy", "10.0.0.0/99"}, name: "--trusted-proxy"},
		{args: []string{"--max-body", "12"}, name: "--max-body"},
		{args: []string{"--tls-cert", "c.pem"}, name: "--tls-cert"},
		{args: []string{"--demo", "--addr", "0.0.0.0:8080"}, name: "--addr"},
		{args: []string{"--session-idle", "2h", "--session-max", "1h"}, name: "--session-max"},
		{env: map[string]string{"CANDOR_KEYS_FILE": "/nonexistent/keys"}, name: "--keys"},
		// The built-in test processor is refused where real customers can reach Candor.
		{args: []string{"--public-url", "https://shop.example.com"}, name: "--payment"},
		{args: []string{"--payment", "hosted"}, name: "--stripe-key"},
		{args: []string{"--payment", "paypal"}, name: "--payment"},
		{args: []string{"--stripe-key", "sk_test_x"}, name: "--payment"},
		{args: []string{"--tax-rate", "DE=19.123"}, name: "--tax-rate"},
		{args: []string{"--tax-rate", "de=19"}, name: "--tax-rate"},
		{args: []string{"--tax-rate", "DE=101"}, name: "--tax-rate"},
		{args: []string{"--stats-k", "1"}, name: "--stats-k"},
		{args: []string{"--stripe-api", "ftp://x"}, name: "--stripe-api"},
	}
	for _, tc := range cases {
		_, err := load(t, tc.args, tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("args %v env %v: error %v does not name %s", tc.args, tc.env, err, tc.name)
		}
	}
}

func TestShopSettings(t *testing.T) {
	c, err := load(t, []string{"--tax-rate", "DE=19", "--tax-rate", "CH=8.1", "--public-url", "https://127.0.0.1:8443"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.TaxRates["DE"] != 1900 || c.TaxRates["CH"] != 810 || c.Payment != "test" || c.Production() {
		t.Fatalf("tax %v, payment %q, production %v", c.TaxRates, c.Payment, c.Production())
	}
	c, err = load(t, []string{"--public-url", "https://shop.example.com", "--payment", "pass-through", "--stripe-key", "sk_live_x"}, nil)
	if err != nil || !c.Production() {
		t.Fatalf("production pass-through: %v, %v", c.Production(), err)
	}
}

func TestSecretFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	if err := os.WriteFile(path, []byte("postgres://u:s3cret@db.example/candor\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := load(t, nil, map[string]string{"CANDOR_DB_FILE": path})
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "postgres://u:s3cret@db.example/candor" {
		t.Fatalf("DB from file = %q", c.DB)
	}
}

// Promise: secrets never appear in `candor config`.
func TestListingRedactsSecrets(t *testing.T) {
	c, err := load(t, nil, map[string]string{
		"CANDOR_DB":   "postgres://u:s3cret@db.example/candor",
		"CANDOR_KEYS": "index c2VjcmV0LWtleS1tYXRlcmlhbA==",
	})
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, e := range c.Listing() {
		all.WriteString(e.Name + "=" + e.Value + "\n")
	}
	out := all.String()
	for _, secret := range []string{"s3cret", "c2VjcmV0"} {
		if strings.Contains(out, secret) {
			t.Fatalf("listing shows secret %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "db.example") {
		t.Fatalf("listing hides the non-secret part of the DSN:\n%s", out)
	}
}

// The docs match the code: every setting is in docs/configuration.md with its variable.
func TestEverySettingIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings {
		row := "| `--" + s.name + "` | `" + EnvName(s.name) + "`"
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/configuration.md has no row starting %q", row)
		}
		if s.secret && !strings.Contains(string(doc), EnvName(s.name)+"_FILE") {
			t.Errorf("docs/configuration.md does not mention %s_FILE", EnvName(s.name))
		}
	}
}

// `candor config` shows every setting's value: none is missing from the listing's table
// (a missing one would print empty whatever it is set to).
func TestListingCoversEverySetting(t *testing.T) {
	c, err := load(t, []string{"--stats-ip-limit", "7", "--geoip-city", "/srv/city.mmdb"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	values := c.values()
	if values["stats-ip-limit"] != "7" || values["geoip-city"] != "/srv/city.mmdb" {
		t.Errorf("stats-ip-limit %q, geoip-city %q; want the values given", values["stats-ip-limit"], values["geoip-city"])
	}
	for _, s := range settings {
		if _, ok := values[s.name]; !ok {
			t.Errorf("--%s has no value in Config.values: candor config would show it empty", s.name)
		}
	}
	if len(values) != len(settings) {
		t.Errorf("Config.values has %d entries for %d settings", len(values), len(settings))
	}
}

func TestCertPool(t *testing.T) {
	if p, err := CertPool("smtp-ca-file", ""); p != nil || err != nil {
		t.Fatalf("no file: %v, %v; want the system roots (nil)", p, err)
	}
	dir := t.TempDir()
	junk := dir + "/junk.pem"
	if err := os.WriteFile(junk, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{dir + "/missing.pem", junk} {
		if _, err := CertPool("contact-imap-ca-file", f); err == nil || !strings.Contains(err.Error(), "--contact-imap-ca-file") {
			t.Errorf("%s: %v; want an error naming the setting", f, err)
		}
	}
}
