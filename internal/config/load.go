package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Register adds every setting's flag to fs. Values are collected, not applied: Load
// applies them after the environment so that precedence is flag > env > default.
func Register(fs *flag.FlagSet) map[string]*[]string {
	got := map[string]*[]string{}
	for _, s := range settings {
		vals := new([]string)
		got[s.name] = vals
		help := s.help
		if s.def != "" && !s.bool {
			help += " (default " + s.def + ")"
		}
		help += " [" + EnvName(s.name)
		if s.secret {
			help += ", " + EnvName(s.name) + "_FILE"
		}
		help += "]"
		if s.bool {
			fs.BoolFunc(s.name, help, func(v string) error { *vals = append(*vals, v); return nil })
		} else {
			fs.Func(s.name, help, func(v string) error { *vals = append(*vals, v); return nil })
		}
	}
	return got
}

// Load builds the Config from the flag values Register collected (after fs.Parse) and
// the environment. Every error names the flag and the variable concerned.
func Load(flags map[string]*[]string, getenv func(string) string) (Config, error) {
	var c Config
	for _, s := range settings {
		vals, source, err := valuesOf(s, flags, getenv)
		if err != nil {
			return c, err
		}
		for _, v := range vals {
			if err := s.set(&c, v); err != nil {
				return c, fmt.Errorf("setting --%s (%s) from %s: %w", s.name, EnvName(s.name), source, err)
			}
		}
	}
	return c, c.finish()
}

// valuesOf returns a setting's raw values and where they came from.
func valuesOf(s setting, flags map[string]*[]string, getenv func(string) string) ([]string, string, error) {
	if v := flags[s.name]; v != nil && len(*v) > 0 {
		return *v, "the command line", nil
	}
	env := EnvName(s.name)
	if s.secret {
		if path := getenv(env + "_FILE"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return nil, "", fmt.Errorf("setting --%s from %s_FILE: cannot read the file: %w", s.name, env, errors.Unwrap(err))
			}
			return []string{strings.TrimRight(string(b), "\r\n")}, env + "_FILE", nil
		}
	}
	if v := getenv(env); v != "" {
		if s.list {
			return splitList(v), env, nil
		}
		return []string{v}, env, nil
	}
	if s.def == "" {
		return nil, "", nil
	}
	return []string{s.def}, "the default", nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// finish fills derived defaults and checks settings against each other.
func (c *Config) finish() error {
	if c.DB == "" {
		c.DB = "sqlite:" + filepath.Join(c.DataDir, "candor.db")
	}
	if c.PublicURL == nil {
		host, port, _ := net.SplitHostPort(c.Addr)
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		scheme := "http"
		if c.TLS() {
			scheme = "https"
		}
		c.PublicURL = &url.URL{Scheme: scheme, Host: net.JoinHostPort(host, port)}
	}
	if c.MailFrom == nil {
		host := c.PublicURL.Hostname()
		if net.ParseIP(host) != nil || !strings.Contains(host, ".") {
			host = "localhost.localdomain"
		}
		c.MailFrom = &mail.Address{Name: "Candor", Address: "noreply@" + host}
	}
	switch {
	case (c.DKIMDomain == "") != (c.DKIMKey == "") || (c.DKIMDomain == "") != (c.DKIMSelector == ""):
		return errors.New("setting --dkim-domain, --dkim-selector and --dkim-key: give all three or none")
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return errors.New("setting --tls-cert and --tls-key: give both or neither")
	case c.TLSCert != "" && len(c.ACMEDomains) > 0:
		return errors.New("setting --acme-domain: choose certificate files (--tls-cert) or ACME, not both")
	case c.Demo && !IsLoopback(c.Addr):
		return fmt.Errorf("setting --addr (CANDOR_ADDR): --demo listens only on a loopback address such as 127.0.0.1:8080, not %q", c.Addr)
	case c.Payment == "test" && c.Production():
		return fmt.Errorf("setting --payment (CANDOR_PAYMENT): the built-in test processor is refused when --public-url is a public https address (%s); use hosted or pass-through with --stripe-key", c.PublicURL)
	case c.Payment != "test" && c.StripeKey == "":
		return fmt.Errorf("setting --stripe-key (CANDOR_STRIPE_KEY): --payment %s needs a Stripe secret key", c.Payment)
	case c.Payment == "test" && c.StripeKey != "":
		return errors.New("setting --payment (CANDOR_PAYMENT): a Stripe key is set but --payment is test; choose hosted or pass-through")
	case c.SessionAbsolute < c.SessionIdle:
		return errors.New("setting --session-max: must not be shorter than --session-idle")
	}
	return c.finishKeep()
}

func checkAddr(v string) error {
	if _, _, err := net.SplitHostPort(v); err != nil {
		return fmt.Errorf("%q is not HOST:PORT", v)
	}
	return nil
}

func nonEmpty(v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("must not be empty")
	}
	return nil
}

func oneOf(v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("%q is not one of %s", v, strings.Join(allowed, ", "))
}

func duration(v string, lo, hi time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 30m or 12h", v)
	}
	if d < lo || d > hi {
		return 0, fmt.Errorf("must be between %s and %s", lo, hi)
	}
	return d, nil
}

// redactURL hides the password of a URL-shaped secret, keeping the rest readable.
func redactURL(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		return v // sqlite:PATH holds no secret
	}
	return u.Redacted()
}
