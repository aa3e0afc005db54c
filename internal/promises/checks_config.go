package promises

import (
	"context"
	"fmt"
	"strings"
)

func checkKeys(_ context.Context, in *Inputs) outcome {
	s := in.Setup
	switch {
	case !s.KeysInDataDir:
		return ok("the data keys are outside the data directory (%s)", s.KeysWhere)
	case !s.PublicAddr:
		return ok("the data keys are in the data directory (%s), but Candor listens on loopback only", s.KeysWhere)
	}
	return finding([]string{"keys: " + s.KeysWhere},
		"the data keys are inside the data directory (%s) while Candor listens on a public address: move them (docs/keys.md)", s.KeysWhere)
}

func checkTLS(_ context.Context, in *Inputs) outcome {
	s := in.Setup
	switch {
	case s.TLS:
		return ok("Candor terminates TLS itself")
	case s.HTTPSURL:
		return ok("the public URL is https: a proxy in front terminates TLS")
	case !s.PublicAddr:
		return ok("plain HTTP, on loopback only")
	}
	return finding(nil, "plain HTTP on a public address: set --tls-cert/--tls-key or --acme-domain, or put a TLS proxy in front with an https --public-url")
}

// checkEgress is the hook of the outbound-connection allowlist: it reads the
// destinations passed in (Inputs.Egress) and is red for any the allowlist refuses.
func checkEgress(_ context.Context, in *Inputs) outcome {
	var allowed, refused []string
	for _, d := range in.Egress {
		if d.Allowed {
			allowed = append(allowed, d.What+" "+d.Host)
		} else {
			refused = append(refused, fmt.Sprintf("%s %s: %s", d.What, d.Host, d.Why))
		}
	}
	if len(refused) > 0 {
		return finding(refused, "%d destinations outside the allowlist: %s", len(refused), strings.Join(refused, "; "))
	}
	if len(allowed) == 0 {
		return ok("0 destinations allowed: Candor connects nowhere")
	}
	return ok("%d destinations allowed: %s", len(allowed), strings.Join(allowed, ", "))
}
