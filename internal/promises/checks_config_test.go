package promises

import (
	"context"
	"strings"
	"testing"
)

// Promise: "will not be shared with our partners or third parties" and "encrypted as it
// passes over the Internet": the configuration checks are red exactly for a public
// address with the keys in the data directory, plain HTTP on a public address, and a
// destination outside the allowlist; the egress check lists what is allowed.
func TestConfigurationChecks(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name  string
		check func(context.Context, *Inputs) outcome
		in    Inputs
		want  Status
		text  string
	}{
		{"keys in the data dir on loopback", checkKeys, Inputs{Setup: Setup{KeysInDataDir: true}}, StatusOK, "loopback"},
		{"keys in the data dir on a public address", checkKeys, Inputs{Setup: Setup{KeysInDataDir: true, PublicAddr: true}}, StatusFinding, "move them"},
		{"keys elsewhere on a public address", checkKeys, Inputs{Setup: Setup{PublicAddr: true, KeysWhere: "from CANDOR_KEYS"}}, StatusOK, "CANDOR_KEYS"},
		{"plain HTTP on loopback", checkTLS, Inputs{}, StatusOK, "loopback"},
		{"plain HTTP on a public address", checkTLS, Inputs{Setup: Setup{PublicAddr: true}}, StatusFinding, "--tls-cert"},
		{"a proxy terminating TLS", checkTLS, Inputs{Setup: Setup{PublicAddr: true, HTTPSURL: true}}, StatusOK, "proxy"},
		{"Candor's own TLS", checkTLS, Inputs{Setup: Setup{PublicAddr: true, TLS: true}}, StatusOK, "TLS"},
		{"no destination", checkEgress, Inputs{}, StatusOK, "0 destinations allowed"},
		{"allowed destinations", checkEgress, Inputs{Egress: []Destination{{What: "SMTP relay", Host: "smtp.example.com:587", Allowed: true},
			{What: "card processor", Host: "api.stripe.com", Allowed: true}}}, StatusOK, "2 destinations allowed: SMTP relay smtp.example.com:587, card processor api.stripe.com"},
		{"a destination outside the allowlist", checkEgress, Inputs{Egress: []Destination{{What: "SMTP relay", Host: "smtp.example.com:587", Allowed: true},
			{What: "card processor", Host: "stripe.example.com", Why: "plain http"}}}, StatusFinding, "1 destinations outside the allowlist: card processor stripe.example.com: plain http"},
	} {
		o := c.check(ctx, &c.in)
		if o.status != c.want || !strings.Contains(o.message, c.text) {
			t.Errorf("%s: %s %q; want %s with %q", c.name, o.status, o.message, c.want, c.text)
		}
	}
}
