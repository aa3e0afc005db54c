package smtp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/candor-dev/candor/internal/egress"
)

// ErrPrivateRelay is the cause of a refused dial to a loopback, private, link-local or
// otherwise non-public address.
var ErrPrivateRelay = errors.New("smtp: relay address is not public")

// Dialer connects to a mail relay through Candor's one way out (internal/egress): the
// host is resolved and checked there, so that neither a configured name nor DNS
// (rebinding included) can point the relay, or a "send test mail" button, at a
// service on the machine or the private network, unless AllowPrivate is set
// (--smtp-allow-private).
type Dialer struct {
	AllowPrivate bool
	Resolver     *net.Resolver // nil: net.DefaultResolver
	Timeout      time.Duration // 0: 15 s
	// TLS, when set, makes DialContext complete a TLS handshake before returning
	// (smtps://, implicit TLS). The connection is then a *tls.Conn.
	TLS *tls.Config
	// Egress is the configuration's dialer; nil: one that allows only the address
	// dialled (with AllowPrivate, Resolver and Timeout).
	Egress *egress.Dialer
}

// DialContext connects to address through the egress dialer; a non-public address is
// refused (unless allowed) with an error wrapping ErrPrivateRelay.
func (d Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	e := d.Egress
	if e == nil {
		host, port, err := net.SplitHostPort(address)
		if err != nil {
			return nil, err
		}
		e = egress.New(egress.Options{Resolver: d.Resolver, Timeout: d.Timeout, Destinations: []egress.Destination{{
			Purpose: "mail relay", Setting: "--smtp", Host: host, Port: port, AllowPrivate: d.AllowPrivate,
			PrivateSetting: "--smtp-allow-private (CANDOR_SMTP_ALLOW_PRIVATE=true)"}}})
	}
	conn, err := e.DialContext(ctx, network, address)
	if err != nil {
		if errors.Is(err, egress.ErrPrivate) {
			return nil, fmt.Errorf("%w: %w", ErrPrivateRelay, err)
		}
		return nil, err
	}
	if d.TLS == nil {
		return conn, nil
	}
	tc := tls.Client(conn, d.TLS)
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return tc, nil
}

// IsPublic reports whether ip is a public unicast address (egress.IsPublic).
func IsPublic(ip netip.Addr) bool { return egress.IsPublic(ip) }
