package smtp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// ErrPrivateRelay is the cause of a refused dial to a loopback, private, link-local or
// otherwise non-public address.
var ErrPrivateRelay = errors.New("smtp: relay address is not public")

// Dialer is the one way Candor connects to a mail relay. It resolves the host itself
// and dials only an address it has checked, so that neither a configured name nor DNS
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
}

// DialContext resolves address's host, refuses it when every address it resolves to
// is non-public (unless AllowPrivate), and connects to the first acceptable address.
func (d Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{ip}
	} else {
		r := d.Resolver
		if r == nil {
			r = net.DefaultResolver
		}
		if addrs, err = r.LookupNetIP(ctx, "ip", host); err != nil {
			return nil, fmt.Errorf("resolving the mail relay %s: %w", host, err)
		}
	}
	var refused netip.Addr
	var dialErr error
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	nd := net.Dialer{Timeout: timeout}
	for _, ip := range addrs {
		ip = ip.Unmap()
		if !d.AllowPrivate && !IsPublic(ip) {
			refused = ip
			continue
		}
		conn, err := nd.DialContext(ctx, "tcp", net.JoinHostPort(ip.String(), port))
		if err != nil {
			dialErr = err
			continue
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
	if dialErr != nil {
		return nil, dialErr
	}
	if refused.IsValid() {
		return nil, fmt.Errorf("%w: the mail relay %s is at %s, a loopback, private or link-local address; "+
			"set --smtp-allow-private (CANDOR_SMTP_ALLOW_PRIVATE=true) to permit it", ErrPrivateRelay, host, refused)
	}
	return nil, fmt.Errorf("the mail relay %s has no address", host)
}

// nonPublic lists ranges that are not the public internet beyond what netip's own
// predicates cover.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
}

var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// IsPublic reports whether ip is a public unicast address: not loopback, private,
// link-local, unspecified, multicast, carrier-grade NAT, reserved or documentation,
// and, for a NAT64 address, not embedding such an IPv4 address.
func IsPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	if nat64.Contains(ip) {
		b := ip.As16()
		return IsPublic(netip.AddrFrom4([4]byte(b[12:])))
	}
	return true
}
