package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"filippo.io/age"
)

// Keep is the configuration of keeping data home (issue 11): the one way out, the keys
// apart from the data, and sealed backups.
type Keep struct {
	EgressAllowPrivate   bool     // every configured destination may be on loopback or a private range
	EgressProxy          *url.URL // the only proxy outbound HTTP uses; nil: none (proxy variables are ignored)
	AllowKeysInDataDir   bool     // serve on a public address with the keys in DATA-DIR/keys
	BackupRecipients     []string // age recipients (age1…) backups are encrypted to
	BackupRecipientsFile string   // a file of age recipients, one a line
	BackupDir            string   // where serve writes scheduled backups; "": none
	BackupEvery          time.Duration
	BackupKeep           int    // how many scheduled backups are kept
	MetricsToken         string // bearer token /metrics demands from a non-loopback client; "": loopback only
}

// keepSettings are the settings of Keep, listed after the others by `candor config`.
var keepSettings = []setting{
	{name: "egress-allow-private", bool: true, def: "false", help: "allow every configured outbound destination (relay, mailbox, card processor, ACME) on loopback or a private address range", set: func(c *Config, v string) (err error) {
		c.EgressAllowPrivate, err = strconv.ParseBool(v)
		return err
	}},
	{name: "egress-proxy", help: "HTTP proxy for outbound HTTPS (card processor, ACME): http://HOST:PORT; unset: none, whatever HTTPS_PROXY says", secret: true, show: redactURL, set: func(c *Config, v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("must look like http://proxy.example.com:3128")
		}
		c.EgressProxy = u
		return nil
	}},
	{name: "allow-keys-in-data-dir", bool: true, def: "false", help: "serve on a non-loopback address although the data keys are generated inside the data directory (a copy of it then opens every sealed field)", set: func(c *Config, v string) (err error) {
		c.AllowKeysInDataDir, err = strconv.ParseBool(v)
		return err
	}},
	{name: "backup-recipient", list: true, help: "age public key (age1…) backups are encrypted to (repeatable)", set: func(c *Config, v string) error {
		if _, err := age.ParseRecipients(strings.NewReader(v)); err != nil || strings.ContainsAny(strings.TrimSpace(v), " \n") {
			return fmt.Errorf("%q is not an age recipient such as age1…", v)
		}
		c.BackupRecipients = append(c.BackupRecipients, strings.TrimSpace(v))
		return nil
	}},
	{name: "backup-recipients-file", help: "file of age public keys backups are encrypted to, one a line", set: func(c *Config, v string) error {
		c.BackupRecipientsFile = v
		return nil
	}},
	{name: "backup-dir", help: "serve writes an encrypted backup here every --backup-every (default none)", set: func(c *Config, v string) error {
		c.BackupDir = v
		return nil
	}},
	{name: "backup-every", def: "24h", help: "how often serve writes a backup into --backup-dir", set: func(c *Config, v string) (err error) {
		c.BackupEvery, err = duration(v, time.Minute, 366*24*time.Hour)
		return err
	}},
	{name: "backup-keep", def: "7", help: "how many backups serve keeps in --backup-dir (older ones are deleted, so erased data leaves the backups after KEEP × EVERY)", set: func(c *Config, v string) (err error) {
		c.BackupKeep, err = strconv.Atoi(v)
		if err == nil && (c.BackupKeep < 1 || c.BackupKeep > 1000) {
			err = fmt.Errorf("must be between 1 and 1000")
		}
		return err
	}},
	{name: "metrics-token", help: "bearer token /metrics demands from anyone but a loopback client (Authorization: Bearer TOKEN); unset: /metrics answers loopback only", secret: true, set: func(c *Config, v string) error {
		if len(v) < 16 || strings.ContainsAny(v, " \t\r\n") {
			return fmt.Errorf("must be at least 16 characters without spaces (e.g. openssl rand -hex 32)")
		}
		c.MetricsToken = v
		return nil
	}},
}

func init() { settings = append(settings, keepSettings...) }

// keepValues is the listing text of the Keep settings.
func (c Config) keepValues() map[string]string {
	return map[string]string{
		"egress-allow-private": boolText(c.EgressAllowPrivate), "egress-proxy": urlText(c.EgressProxy),
		"allow-keys-in-data-dir": boolText(c.AllowKeysInDataDir), "backup-recipient": strings.Join(c.BackupRecipients, ","),
		"backup-recipients-file": c.BackupRecipientsFile, "backup-dir": c.BackupDir,
		"backup-every": c.BackupEvery.String(), "backup-keep": strconv.Itoa(c.BackupKeep),
		"metrics-token": c.MetricsToken,
	}
}

// finishKeep checks the Keep settings against the others.
func (c *Config) finishKeep() error {
	if c.StripeAPI != nil && c.StripeAPI.Scheme != "https" && !isLoopbackHost(c.StripeAPI.Hostname()) {
		return fmt.Errorf("setting --stripe-api (CANDOR_STRIPE_API): the card processor's API must be https:// (http:// only on a loopback address, for a test double), not %s", c.StripeAPI.Redacted())
	}
	if c.BackupDir != "" {
		if _, err := c.BackupRecipientList(); err != nil {
			return fmt.Errorf("setting --backup-dir (CANDOR_BACKUP_DIR): %w", err)
		}
	}
	return nil
}

// BackupRecipientList parses --backup-recipient and --backup-recipients-file into age
// recipients; an error when there is none.
func (c Config) BackupRecipientList() ([]age.Recipient, error) {
	text := strings.Join(c.BackupRecipients, "\n")
	if c.BackupRecipientsFile != "" {
		b, err := os.ReadFile(c.BackupRecipientsFile)
		if err != nil {
			return nil, fmt.Errorf("setting --backup-recipients-file: %w", err)
		}
		text += "\n" + string(b)
	}
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("backups are encrypted to the vendor's age public key: give --backup-recipient age1… or --backup-recipients-file (docs/keys.md#backups)")
	}
	r, err := age.ParseRecipients(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("setting --backup-recipients-file: %w", err)
	}
	return r, nil
}

// KeysInDataDir reports whether the data keys are the ones generated inside the data
// directory (no --keys / CANDOR_KEYS / CANDOR_KEYS_FILE).
func (c Config) KeysInDataDir() bool { return c.Keys == "" }

func isLoopbackHost(h string) bool {
	return IsLoopback("["+strings.Trim(h, "[]")+"]:0") || h == "localhost"
}
