package egress

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Transport returns an HTTP transport that connects only through d: to an allowed
// destination, or through the configured proxy after checking that the request's
// destination is allowed. Proxy environment variables are never read. tlsConfig may be
// nil (system roots, TLS 1.2 or later).
func (d *Dialer) Transport(tlsConfig *tls.Config) *http.Transport {
	if tlsConfig == nil {
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return &http.Transport{
		Proxy:                 d.proxyFor,
		DialContext:           d.DialContext,
		TLSClientConfig:       tlsConfig,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// HTTPClient returns a client over Transport(nil) whose requests time out after
// timeout (zero: no overall limit beyond the connection's).
func (d *Dialer) HTTPClient(timeout time.Duration) *http.Client {
	return &http.Client{Transport: d.Transport(nil), Timeout: timeout}
}

// proxyFor is the transport's Proxy: the request's destination must be allowed even
// when a proxy, which resolves it, carries the connection.
func (d *Dialer) proxyFor(r *http.Request) (*url.URL, error) {
	port := portOf(r.URL, "")
	if _, ok := d.destination(r.URL.Hostname(), port); !ok {
		return nil, d.refuse(r.URL.Hostname(), fmt.Errorf("%w: %s is not a destination the configuration names (see `candor config`, docs/security.md#one-way-out)",
			ErrNotConfigured, net.JoinHostPort(r.URL.Hostname(), port)))
	}
	return d.proxy, nil
}
