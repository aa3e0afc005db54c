package egress

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrRefused is wrapped by every error of a connection the Dialer refused.
var ErrRefused = errors.New("egress: refused")

// ErrNotConfigured is the cause of a refused connection to a destination the
// configuration does not name.
var ErrNotConfigured = fmt.Errorf("%w: not a configured destination", ErrRefused)

// ErrPrivate is the cause of a refused connection to a configured destination that
// resolved to a loopback, private, link-local or otherwise non-public address.
var ErrPrivate = fmt.Errorf("%w: not a public address", ErrRefused)

// DefaultTimeout bounds one connection attempt when Options.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// Destination is one place Candor may connect to.
type Destination struct {
	Purpose string // what it is for, e.g. "mail relay"
	Setting string // the setting that names it, e.g. "--smtp"
	Host    string // a lower-case name or a literal address
	Port    string
	// AllowPrivate permits a loopback or private address; PrivateSetting names the
	// setting that would permit it, for the refusal's message.
	AllowPrivate   bool
	PrivateSetting string
}

// Addr is the destination as HOST:PORT.
func (d Destination) Addr() string { return net.JoinHostPort(d.Host, d.Port) }

// String is the destination for listings: "mail relay (--smtp): smtp.example.com:587".
func (d Destination) String() string {
	s := d.Purpose + " (" + d.Setting + "): " + d.Addr()
	if d.AllowPrivate {
		s += ", private addresses allowed"
	}
	return s
}

// Options configure a Dialer.
type Options struct {
	Destinations []Destination
	Proxy        *url.URL      // the only proxy used (--egress-proxy); nil: none, whatever the environment says
	Resolver     *net.Resolver // nil: net.DefaultResolver
	Timeout      time.Duration // per connection attempt; zero for DefaultTimeout
	Log          *slog.Logger  // where refusals are logged (host only); nil: not logged
}

// Dialer connects only to the destinations it was given. It is safe for concurrent use.
type Dialer struct {
	dests    []Destination
	proxy    *url.URL
	resolver *net.Resolver
	timeout  time.Duration
	log      *slog.Logger
}

// New returns a Dialer over o. The proxy, when set, is itself an allowed destination.
func New(o Options) *Dialer {
	d := &Dialer{proxy: o.Proxy, resolver: o.Resolver, timeout: o.Timeout, log: o.Log}
	if d.resolver == nil {
		d.resolver = net.DefaultResolver
	}
	if d.timeout <= 0 {
		d.timeout = DefaultTimeout
	}
	for _, dest := range o.Destinations {
		dest.Host = strings.ToLower(strings.TrimSuffix(dest.Host, "."))
		d.dests = append(d.dests, dest)
	}
	if o.Proxy != nil {
		// A proxy the configuration names is typically on the local network.
		d.dests = append(d.dests, Destination{Purpose: "proxy", Setting: "--egress-proxy",
			Host: strings.ToLower(o.Proxy.Hostname()), Port: portOf(o.Proxy, "3128"), AllowPrivate: true})
	}
	return d
}

// Destinations lists what the Dialer allows, in order.
func (d *Dialer) Destinations() []Destination { return append([]Destination(nil), d.dests...) }

// destination finds the allowed destination at host:port.
func (d *Dialer) destination(host, port string) (Destination, bool) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, dest := range d.dests {
		if dest.Host == host && dest.Port == port {
			return dest, true
		}
	}
	return Destination{}, false
}

// DialContext connects to address (HOST:PORT over TCP) when the configuration names
// it: it resolves the host itself, refuses non-public addresses unless the destination
// allows them, and dials only an address it checked (the socket's Control checks it
// once more), so DNS rebinding cannot slip another address in.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if network != "tcp" && network != "tcp4" && network != "tcp6" {
		return nil, d.refuse(address, fmt.Errorf("%w: network %q", ErrRefused, network))
	}
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("egress: %w", err)
	}
	dest, ok := d.destination(host, port)
	if !ok {
		return nil, d.refuse(host, fmt.Errorf("%w: %s is not a destination the configuration names (see `candor config`, docs/security.md#one-way-out)",
			ErrNotConfigured, net.JoinHostPort(host, port)))
	}
	addrs, err := d.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	var refused netip.Addr
	var dialErr error
	for _, ip := range addrs {
		if !dest.AllowPrivate && !IsPublic(ip) {
			refused = ip
			continue
		}
		nd := net.Dialer{Timeout: d.timeout, Control: checkControl(dest.AllowPrivate)}
		conn, err := nd.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return conn, nil
		}
		dialErr = err
	}
	if dialErr != nil {
		return nil, dialErr
	}
	if refused.IsValid() {
		hint := ""
		if dest.PrivateSetting != "" {
			hint = "; set " + dest.PrivateSetting + " to permit it"
		}
		return nil, d.refuse(host, fmt.Errorf("%w: the %s %s is at %s, a loopback, private or link-local address%s",
			ErrPrivate, dest.Purpose, host, refused, hint))
	}
	return nil, fmt.Errorf("egress: the %s %s has no address", dest.Purpose, host)
}

// resolve returns host's addresses, unmapped.
func (d *Dialer) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip.Unmap()}, nil
	}
	addrs, err := d.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("egress: resolving %s: %w", host, err)
	}
	for i := range addrs {
		addrs[i] = addrs[i].Unmap()
	}
	return addrs, nil
}

// checkControl refuses, at the socket, an address that is not public unless allowed.
func checkControl(allowPrivate bool) func(network, address string, c syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrRefused, err)
		}
		if !allowPrivate && !IsPublic(ap.Addr()) {
			return ErrPrivate
		}
		return nil
	}
}

// refuse logs a refusal with the host only and returns err.
func (d *Dialer) refuse(host string, err error) error {
	if d.log != nil {
		d.log.Warn("outbound connection refused", "host", host, "reason", reason(err))
	}
	return err
}

func reason(err error) string {
	if errors.Is(err, ErrPrivate) {
		return "not a public address"
	}
	if errors.Is(err, ErrNotConfigured) {
		return "not a configured destination"
	}
	return "refused"
}

// portOf is u's port, or def when it has none (the scheme's port for http and https).
func portOf(u *url.URL, def string) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch u.Scheme {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return def
}
